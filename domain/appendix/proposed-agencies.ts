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
export function proposeAgencies(preview: PlanPreview, registry: AgencyRegistry, fuzzy?: FuzzyBudget): ProposedAgency[] {
  const byKey = new Map<string, { name: string; rows: number[]; written: Set<string> }>();
  for (const task of preview.tasks) {
    for (const agency of [...task.leads, ...task.collaborators]) {
      if (agency.code !== null || agency.group !== undefined) continue;
      const name = expand(agency.name);
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
