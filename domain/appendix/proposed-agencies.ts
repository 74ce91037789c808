import type { FuzzyBudget } from '../agencies/nearest.ts';
import { suggestions } from '../agencies/split.ts';
import { codeFor } from '../agencies/codes.ts';
import { nameKey } from '../agencies/tokens.ts';
import type { AgencyKind, AgencyRecord, AgencyRegistry } from '../agencies/types.ts';
import { squish } from '../text.ts';
import type { PlanPreview, ProposedAgency } from './types.ts';

// Abbreviations plans use at the start of a name, written out so the registry gets the full name.
const EXPANSIONS: [RegExp, string][] = [
  [/^UBND\b/i, 'Ủy ban nhân dân'],
  [/^VP\b/i, 'Văn phòng'],
  [/^BQL\b/i, 'Ban Quản lý'],
  [/^TT\b/i, 'Trung tâm'],
  [/^BCH\b/i, 'Ban Chỉ huy'],
];

const KIND_BY_START: [RegExp, AgencyKind][] = [
  [/^sở /, 'department'],
  [/^ban /, 'board'],
  [/^văn phòng /, 'office'],
  [/^thanh tra /, 'inspectorate'],
  [/^ủy ban nhân dân (xã|phường|thị trấn|đặc khu)/, 'commune'],
  [/^(bộ|ngân hàng nhà nước|thanh tra chính phủ|văn phòng chính phủ)\b/, 'central'],
];

/**
 * Words an agency's name starts with. A proposal must read as an agency: a person's name, a phone
 * number or a phrase ("Đề nghị phối hợp với…", "liên quan") is never offered to join a registry.
 */
const AGENCY_STARTS = [
  'ubnd',
  'hđnd',
  'vp',
  'bql',
  'sở',
  'ban',
  'văn phòng',
  'trung tâm',
  'ủy ban',
  'bộ',
  'cục',
  'chi cục',
  'tổng cục',
  'công an',
  'bộ chỉ huy',
  'bộ tư lệnh',
  'báo',
  'đài',
  'trường',
  'đại học',
  'học viện',
  'viện',
  'bệnh viện',
  'kho bạc',
  'thuế',
  'bảo hiểm xã hội',
  'ngân hàng',
  'tổng công ty',
  'công ty',
  'tập đoàn',
  'thanh tra',
  'hội',
  'liên đoàn',
  'liên hiệp',
  'liên minh',
  'mặt trận',
  'tỉnh đoàn',
  'thành đoàn',
  'đoàn',
  'tòa án',
  'viện kiểm sát',
  'kiểm toán',
  'đảng ủy',
  'tỉnh ủy',
  'thành ủy',
  'hội đồng',
  'quỹ',
  'phòng',
  'chi nhánh',
  'cảng vụ',
  'vườn quốc gia',
  'thông tấn xã',
  'hạt',
  'đội',
];
/** What makes a name a phrase, not an agency. */
const NOT_AN_AGENCY =
  /(^|\s)(đề nghị|phối hợp|liên quan|chủ trì|theo dõi|hướng dẫn|thực hiện|tham mưu|các cơ quan|các đơn vị|và các)(\s|$)|[@\d]{6,}|@/iu;

/** Whether a name, abbreviations written out, reads as an agency's. */
export function readsAsAgency(name: string): boolean {
  const lower = name.toLowerCase().replace(/uỷ/g, 'ủy').replace(/\s+/g, ' ').trim();
  if (lower.split(' ').length > 16 || NOT_AN_AGENCY.test(lower)) return false;
  // The agency word alone ("Sở") names nobody.
  return AGENCY_STARTS.some((start) => lower.startsWith(`${start} `));
}

function expand(name: string): string {
  let text = squish(name.normalize('NFC'));
  for (const [pattern, full] of EXPANSIONS) text = text.replace(pattern, full);
  return text;
}

function kindOf(name: string): AgencyKind {
  const lower = name.toLowerCase().replace(/uỷ/g, 'ủy');
  return KIND_BY_START.find(([pattern]) => pattern.test(lower))?.[1] ?? 'other';
}

/**
 * The unknown names of a preview, normalised (NFC, spaces, common abbreviations written out),
 * deduplicated by their words, each with the rows that name it and the nearest known names.
 */
export function proposeAgencies(
  preview: PlanPreview,
  registry: AgencyRegistry,
  fuzzy?: FuzzyBudget,
  rejected: readonly string[] = [],
): ProposedAgency[] {
  const byKey = new Map<string, { name: string; rows: number[]; written: Set<string> }>();
  const refused = new Set(rejected.map((name) => nameKey(expand(name)).join(' ')));
  for (const task of preview.tasks) {
    for (const agency of [...task.leads, ...task.collaborators]) {
      if (agency.code !== null || agency.group !== undefined) continue;
      const name = expand(agency.name);
      if (!readsAsAgency(name) || refused.has(nameKey(name).join(' '))) continue;
      const key = nameKey(name).join(' ');
      if (key.length === 0) continue;
      const entry = byKey.get(key) ?? { name, rows: [], written: new Set<string>() };
      if (!entry.rows.includes(task.row)) entry.rows.push(task.row);
      if (squish(agency.name) !== name) entry.written.add(squish(agency.name));
      byKey.set(key, entry);
    }
  }
  const taken = new Set(registry.byCode.keys());
  return [...byKey.values()].map(({ name, rows, written }) => ({
    code: codeFor(name, taken),
    name,
    kind: kindOf(name),
    rows,
    nearest: suggestions(name, registry, fuzzy),
    written: [...written],
  }));
}

/** The registry record a proposal becomes once the coordinator accepts it. */
export function proposedRecord(proposal: ProposedAgency): AgencyRecord {
  return {
    code: proposal.code,
    name: proposal.name,
    kind: proposal.kind,
    ...(proposal.written.length > 0 ? { aliases: proposal.written } : {}),
  };
}
