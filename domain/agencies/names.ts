import { squish } from '../text.ts';
import type { RegistryData } from './types.ts';

// How people read an agency and a registry: by name, never by code. An agency's full name where
// there is room (a sentence, a heading, an e-mail, a print), its short form where space is tight
// (a card, a chart's axis, a subject line), and the code only as secondary text.

/**
 * The abbreviations Vietnamese administrative writing itself uses, in the order they apply: the
 * body's kind is shortened, the place it serves never is ("UBND xã Tân Dương", not "UBND x. TD").
 */
const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
  [/(?<![\p{L}\p{N}])Văn phòng (Ủy ban nhân dân|Uỷ ban nhân dân|UBND)(?=\s|$)/giu, 'VP UBND'],
  [/(?<![\p{L}\p{N}])Văn phòng (Hội đồng nhân dân|HĐND)(?=\s|$)/giu, 'VP HĐND'],
  [/(?<![\p{L}\p{N}])Văn phòng Đoàn đại biểu Quốc hội(?=\s|$)/giu, 'VP Đoàn ĐBQH'],
  [/(?<![\p{L}\p{N}])(Ủy ban nhân dân|Uỷ ban nhân dân)(?=\s|$)/giu, 'UBND'],
  [/(?<![\p{L}\p{N}])Hội đồng nhân dân(?=\s|$)/giu, 'HĐND'],
  [/(?<![\p{L}\p{N}])Đoàn đại biểu Quốc hội(?=\s|$)/giu, 'Đoàn ĐBQH'],
  [/(?<![\p{L}\p{N}])(Ủy ban|Uỷ ban) Mặt trận Tổ quốc Việt Nam(?=\s|$)/giu, 'UB MTTQ Việt Nam'],
  [/(?<![\p{L}\p{N}])Ban Quản lý(?=\s|$)/gu, 'BQL'],
  [/(?<![\p{L}\p{N}])Bộ Chỉ huy Quân sự(?=\s|$)/gu, 'Bộ CHQS'],
  [/(?<![\p{L}\p{N}])Trung tâm Phục vụ hành chính công(?=\s|$)/gu, 'Trung tâm PVHCC'],
  [/(?<![\p{L}\p{N}])Đài Phát thanh và Truyền hình(?=\s|$)/gu, 'Đài PT-TH'],
  [/(?<![\p{L}\p{N}])Bảo hiểm xã hội(?=\s|$)/gu, 'BHXH'],
  [/(?<![\p{L}\p{N}])Liên hiệp các Hội Khoa học và Kỹ thuật(?=\s|$)/gu, 'Liên hiệp các Hội KH&KT'],
  // Only after a body's kind: "UBND thành phố Vĩnh Yên" → "UBND TP Vĩnh Yên".
  [/(?<![\p{L}\p{N}])(UBND|HĐND|VP UBND) thành phố(?=\s|$)/gu, '$1 TP'],
];

/**
 * An agency's short form, for where space is tight: "Sở Y tế" stays, "Ủy ban nhân dân xã Tân
 * Dương" is "UBND xã Tân Dương", "Văn phòng Ủy ban nhân dân tỉnh" is "VP UBND tỉnh".
 */
export function agencyShortName(name: string): string {
  let short = squish(name.normalize('NFC'));
  for (const [pattern, replacement] of ABBREVIATIONS) short = short.replace(pattern, replacement);
  return short;
}

/** An agency as every answer names it: its code (stable, secondary), its name and its short form. */
export interface AgencyLabel {
  code: string;
  name: string;
  shortName: string;
}

/** The label of an agency by its code, from what a registry says of it; a code no registry knows names itself. */
export function agencyLabel(code: string, known?: { name: string; shortName?: string | null } | null): AgencyLabel {
  if (!known) return { code, name: code, shortName: code };
  return { code, name: known.name, shortName: known.shortName ?? agencyShortName(known.name) };
}

/** The day the 34 provincial units of Resolution 202/2025/QH15 took over from the 63 before them. */
export const PROVINCES_REORGANISED_ON = '2025-07-01';
const BEFORE_REORGANISATION = '(trước 01/7/2025)';

const UNIT_PREFIX = /^(tỉnh|thành phố)\s+/iu;

/**
 * A registry as people call it. The central one and the 34 provinces of today carry their name
 * ("Trung ương", "Phú Thọ", "Thành phố Hà Nội"). A registry shipped without one is a province as it
 * was before 1 July 2025, kept for the plans it issued then ("vinh-phuc", for Vĩnh Phúc's plans of
 * 2021–2025): it is named after the province its qualifiers name, and says so:
 * "Vĩnh Phúc (trước 01/7/2025)".
 */
export function registryDisplayName(data: Pick<RegistryData, 'registry' | 'name' | 'qualifiers'>): string {
  if (data.name && data.name.trim()) return squish(data.name);
  const named = (data.qualifiers ?? []).map((q) => squish(q)).find((q) => UNIT_PREFIX.test(q));
  const province = named ? named.replace(UNIT_PREFIX, '') : titleFromKey(data.registry);
  return `${province} ${BEFORE_REORGANISATION}`;
}

/** "vinh-phuc" → "Vinh Phuc": the last resort for a registry that names its province nowhere. */
function titleFromKey(key: string): string {
  return key
    .split('-')
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
