import { slugify } from '../ids.ts';
import { squish } from '../text.ts';
import { RegistryError } from './registry.ts';
import { nameKey } from './tokens.ts';
import type { AgencyGroupRecord, AgencyKind, AgencyRecord, GroupMembers, RegistryData } from './types.ts';

// Since 1 July 2025 the 34 provincial units have the same departments (Decree 150/2025/NĐ-CP: twelve
// everywhere, four more "where conditions apply") and the same bodies that appendices name as leads.
// So one template, written once, gives every province its registry; the province adds only what is
// its own: its name, whether it is a centrally-run city, the optional departments it has, and the
// few bodies it names differently (Hà Nội's Bộ Tư lệnh Thủ đô instead of a Bộ Chỉ huy Quân sự).
//
// Text in the template may hold three placeholders:
//   {name}       the unit's name without "Thành phố"/"Tỉnh": "Đồng Nai", "Hà Nội", "Hồ Chí Minh"
//   {unit}       "tỉnh", or "thành phố" in the six centrally-run cities
//   {unitShort}  "tỉnh", or "TP" in the cities

/** An agency as the template (or a province's own list) writes it. */
export interface TemplateAgency {
  code: string;
  name: string;
  kind: AgencyKind;
  aliases?: string[];
  /** A body merged away in 2025: its work went to this code. Left out where that code is absent. */
  mergedInto?: string;
  /** The last day a merged body existed. */
  existsUntil?: string;
  /** A department "where conditions apply": only where the province lists its code in `departments`. */
  optional?: boolean;
  /** Only where the province has this optional department ("Sở Văn hóa và Thể thao" beside a Sở Du lịch). */
  when?: string;
  /** Not where the province has this optional department. */
  unless?: string;
}

export interface ProvinceTemplate {
  qualifiers: string[];
  agencies: TemplateAgency[];
  /**
   * A group whose `kinds` have no agency in a province (the communes, until they are loaded) is
   * written as 'unspecified' with its note, so that a cell naming it is reported to the
   * coordinator instead of silently giving nobody.
   */
  groups: AgencyGroupRecord[];
  /** At most this many departments (Sở, Văn phòng UBND, Thanh tra) in a province; Decree 150 says 14. */
  departmentLimit: number;
}

export interface ProvinceEntry {
  /** Registry key: `provinceKey(name)`. */
  key: string;
  /** As people call the unit: "Tuyên Quang", "Thành phố Hà Nội". */
  name: string;
  /** One of the six centrally-run cities. */
  city: boolean;
  /** The optional departments it has, by template code. */
  departments?: string[];
  /** Overrides the template's limit (15 in Hà Nội and Thành phố Hồ Chí Minh). */
  departmentLimit?: number;
  /** The units merged into it on 1 July 2025, itself included; empty when unchanged. */
  predecessors?: string[];
  /** Words besides the template's that may follow a name ("TP HCM"). */
  qualifiers?: string[];
  /** Its own bodies: a template code replaces the template's agency, a new code is added. */
  agencies?: TemplateAgency[];
  /** Extra ways of writing a template agency's name, by code. */
  aliases?: Record<string, string[]>;
  /** Template agencies it does not have. */
  omit?: string[];
}

/** A commune, ward or special zone of a province since 1 July 2025, as data/agencies/provinces/communes.json lists it. */
export interface CommuneEntry {
  /** The official code of the administrative unit ("00004"). */
  code: string;
  /** Its name without its kind: "Ba Đình". */
  name: string;
  kind: 'xã' | 'phường' | 'đặc khu';
}

const KIND_WORDS: Record<CommuneEntry['kind'], string> = { xã: 'Xã', phường: 'Phường', 'đặc khu': 'Đặc khu' };

/**
 * A commune's people's committee as an agency: the unit's official code, "UBND xã Hy Cương", also
 * written "Xã Hy Cương". Two communes of a province whose names differ only by their diacritics
 * ("Văn Lang", "Văn Lăng") cannot be told apart by matching, so each is named with its code and a
 * cell naming either is left for the coordinator to choose.
 */
export function communeAgency(commune: CommuneEntry, ambiguous = false): AgencyRecord {
  const name = `UBND ${commune.kind} ${commune.name}`;
  if (ambiguous) return { code: commune.code, name: `${name} (mã ${commune.code})`, kind: 'commune' };
  return { code: commune.code, name, kind: 'commune', aliases: [`${KIND_WORDS[commune.kind]} ${commune.name}`] };
}

const CITY_PREFIX = /^(thành phố|tp\.?|tỉnh)\s+/iu;
const PLACEHOLDER = /\{(\w+)\}/g;
/** The kinds Decree 150 counts among a province's departments. */
const DEPARTMENT_KINDS: readonly AgencyKind[] = ['department', 'office', 'inspectorate'];

/** "Thành phố Hồ Chí Minh" → "Hồ Chí Minh". */
export function provinceShortName(name: string): string {
  return squish(name).replace(CITY_PREFIX, '');
}

/** The registry key of a provincial unit: "Thành phố Hồ Chí Minh" → "ho-chi-minh", "Đắk Lắk" → "dak-lak". */
export function provinceKey(name: string): string {
  return slugify(provinceShortName(name));
}

function unique(texts: readonly string[]): string[] {
  return [...new Set(texts.map(squish))];
}

/**
 * The registry of one provincial unit, from the shared template, with its communes when given.
 * Throws RegistryError listing every problem.
 */
export function provinceRegistry(
  template: ProvinceTemplate,
  province: ProvinceEntry,
  communes: readonly CommuneEntry[] = [],
): RegistryData {
  const problems: string[] = [];
  const where = `tỉnh/thành phố "${province.name}"`;
  const values: Record<string, string> = {
    name: provinceShortName(province.name),
    unit: province.city ? 'thành phố' : 'tỉnh',
    unitShort: province.city ? 'TP' : 'tỉnh',
  };
  const expand = (text: string): string => {
    const out = squish(text.replace(PLACEHOLDER, (whole, key: string) => values[key] ?? whole));
    const left = out.match(PLACEHOLDER);
    if (left) problems.push(`${where}: "${text}" có chỗ trống không biết: ${left.join(', ')}`);
    return out;
  };

  if (province.key !== provinceKey(province.name))
    problems.push(`${where}: khóa phải là "${provinceKey(province.name)}", không phải "${province.key}"`);
  const templateCodes = new Set(template.agencies.map((a) => a.code));
  const optionalCodes = new Set(template.agencies.filter((a) => a.optional).map((a) => a.code));
  const present = new Set(province.departments ?? []);
  for (const code of present)
    if (!optionalCodes.has(code)) problems.push(`${where}: "${code}" không phải sở đặc thù trong mẫu`);
  for (const code of [...(province.omit ?? []), ...Object.keys(province.aliases ?? {})])
    if (!templateCodes.has(code)) problems.push(`${where}: mẫu không có cơ quan mã "${code}"`);

  const own = new Map((province.agencies ?? []).map((a) => [a.code, a]));
  const omitted = new Set(province.omit ?? []);
  const chosen = [
    ...template.agencies.filter((a) => !omitted.has(a.code)).map((a) => own.get(a.code) ?? a),
    ...(province.agencies ?? []).filter((a) => !templateCodes.has(a.code)),
  ]
    .filter((a) => !a.optional || present.has(a.code))
    .filter((a) => (a.when === undefined || present.has(a.when)) && (a.unless === undefined || !present.has(a.unless)));
  const codes = new Set(chosen.map((a) => a.code));

  const agencies: AgencyRecord[] = [];
  for (const agency of chosen) {
    // A body merged into a department this province does not have is left out, not guessed.
    if (agency.mergedInto !== undefined && !codes.has(agency.mergedInto)) continue;
    const name = expand(agency.name);
    const aliases = unique([...(agency.aliases ?? []), ...(province.aliases?.[agency.code] ?? [])].map(expand)).filter(
      (alias) => alias !== name,
    );
    agencies.push({
      code: agency.code,
      name,
      kind: agency.kind,
      ...(aliases.length > 0 ? { aliases } : {}),
      ...(agency.mergedInto !== undefined ? { mergedInto: agency.mergedInto } : {}),
      ...(agency.existsUntil !== undefined ? { existsUntil: agency.existsUntil } : {}),
    });
  }

  const codesTaken = new Set(agencies.map((a) => a.code));
  const communeKey = (c: CommuneEntry) => nameKey(`${c.kind} ${c.name}`).join(' ');
  const communeKeys = new Map<string, number>();
  for (const commune of communes) communeKeys.set(communeKey(commune), (communeKeys.get(communeKey(commune)) ?? 0) + 1);
  for (const commune of communes) {
    if (codesTaken.has(commune.code)) problems.push(`${where}: mã xã "${commune.code}" trùng mã đã có`);
    codesTaken.add(commune.code);
    agencies.push(communeAgency(commune, communeKeys.get(communeKey(commune))! > 1));
  }

  const limit = province.departmentLimit ?? template.departmentLimit;
  const departments = agencies.filter((a) => !a.mergedInto && DEPARTMENT_KINDS.includes(a.kind));
  if (departments.length > limit)
    problems.push(`${where}: ${departments.length} sở, quá giới hạn ${limit} (Nghị định 150/2025/NĐ-CP)`);

  const groups = template.groups.map((group): AgencyGroupRecord => {
    const aliases = unique((group.aliases ?? []).map(expand));
    const members = membersIn(group.members, agencies);
    return {
      name: expand(group.name),
      ...(aliases.length > 0 ? { aliases } : {}),
      members,
      // The note says why a group gives nobody; once it has members it has nothing to say.
      ...(group.note !== undefined && (members === 'unspecified' || group.members === 'unspecified')
        ? { note: expand(group.note) }
        : {}),
      ...(group.ask ? { ask: true } : {}),
    };
  });

  const qualifiers = unique([...template.qualifiers, ...(province.qualifiers ?? [])].map(expand));

  if (problems.length > 0) throw new RegistryError(problems);
  return { registry: province.key, name: province.name, qualifiers, agencies, groups };
}

/** A group's members as far as this province has them; nobody in particular when it has none. */
function membersIn(members: GroupMembers, agencies: readonly AgencyRecord[]): GroupMembers {
  if (members === 'unspecified') return members;
  if ('kinds' in members)
    return agencies.some((a) => !a.mergedInto && members.kinds.includes(a.kind)) ? members : 'unspecified';
  const codes = members.codes.filter((code) => agencies.some((a) => a.code === code));
  return codes.length > 0 ? { codes } : 'unspecified';
}
