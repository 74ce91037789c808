import { isIsoDate } from '../calendar.ts';
import { nameKey } from './tokens.ts';
import { AGENCY_KINDS } from './types.ts';
import type { AgencyGroupRecord, AgencyKind, AgencyRecord, AgencyRegistry, NameEntry, RegistryData } from './types.ts';

/** Thrown when registry data does not hold together; `problems` lists every reason, in Vietnamese. */
export class RegistryError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Danh mục cơ quan không hợp lệ: ${problems.join('; ')}`);
    this.name = 'RegistryError';
    this.problems = problems;
  }
}

const CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, where: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push(`${where}: phải là danh sách chuỗi`);
    return undefined;
  }
  return value as string[];
}

/** Checks the shape of parsed JSON (or parses a string) and builds the registry from it. */
export function registryFromJson(json: unknown): AgencyRegistry {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new RegistryError([`không phải JSON hợp lệ (${(error as Error).message})`]);
    }
  }
  const problems: string[] = [];
  if (!isRecord(value)) throw new RegistryError(['phải là một đối tượng JSON']);
  if (typeof value.registry !== 'string') problems.push('thiếu "registry" (tên danh mục)');
  if (value.name !== undefined && typeof value.name !== 'string') problems.push('"name" phải là chuỗi');
  if (!Array.isArray(value.agencies)) problems.push('thiếu danh sách "agencies"');
  const groupsValue = value.groups ?? [];
  if (!Array.isArray(groupsValue)) problems.push('"groups" phải là danh sách');
  if (problems.length > 0) throw new RegistryError(problems);

  const agencies: AgencyRecord[] = [];
  (value.agencies as unknown[]).forEach((item, index) => {
    const where = `agencies[${index}]`;
    if (!isRecord(item)) {
      problems.push(`${where}: phải là đối tượng`);
      return;
    }
    if (typeof item.code !== 'string' || typeof item.name !== 'string' || typeof item.kind !== 'string') {
      problems.push(`${where}: cần "code", "name" và "kind" dạng chuỗi`);
      return;
    }
    if (item.mergedInto !== undefined && typeof item.mergedInto !== 'string')
      problems.push(`${where}: "mergedInto" phải là mã cơ quan`);
    for (const field of ['existsFrom', 'existsUntil'] as const) {
      if (item[field] !== undefined && !isIsoDate(item[field]))
        problems.push(`${where}: "${field}" phải là ngày dạng YYYY-MM-DD`);
    }
    if (isIsoDate(item.existsFrom) && isIsoDate(item.existsUntil) && item.existsFrom > item.existsUntil)
      problems.push(`${where}: "existsFrom" sau "existsUntil"`);
    const aliases = stringList(item.aliases, `${where}.aliases`, problems);
    agencies.push({
      code: item.code,
      name: item.name,
      kind: item.kind as AgencyKind,
      ...(aliases ? { aliases } : {}),
      ...(typeof item.mergedInto === 'string' ? { mergedInto: item.mergedInto } : {}),
      ...(isIsoDate(item.existsFrom) ? { existsFrom: item.existsFrom } : {}),
      ...(isIsoDate(item.existsUntil) ? { existsUntil: item.existsUntil } : {}),
    });
  });

  const groups: AgencyGroupRecord[] = [];
  (groupsValue as unknown[]).forEach((item, index) => {
    const where = `groups[${index}]`;
    if (!isRecord(item) || typeof item.name !== 'string') {
      problems.push(`${where}: cần "name" dạng chuỗi`);
      return;
    }
    const aliases = stringList(item.aliases, `${where}.aliases`, problems);
    const members = item.members;
    let parsed: AgencyGroupRecord['members'] | undefined;
    if (members === 'unspecified') parsed = 'unspecified';
    else if (isRecord(members) && Array.isArray(members.kinds))
      parsed = { kinds: (stringList(members.kinds, `${where}.members.kinds`, problems) as AgencyKind[]) ?? [] };
    else if (isRecord(members) && Array.isArray(members.codes))
      parsed = { codes: stringList(members.codes, `${where}.members.codes`, problems) ?? [] };
    else problems.push(`${where}: "members" phải là "unspecified", { "kinds": [...] } hoặc { "codes": [...] }`);
    if (!parsed) return;
    groups.push({
      name: item.name,
      ...(aliases ? { aliases } : {}),
      members: parsed,
      ...(typeof item.note === 'string' ? { note: item.note } : {}),
      ...(item.ask === true ? { ask: true } : {}),
    });
  });
  const qualifiers = stringList(value.qualifiers, 'qualifiers', problems);
  if (problems.length > 0) throw new RegistryError(problems);
  return buildRegistry({
    registry: value.registry as string,
    ...(typeof value.name === 'string' ? { name: value.name } : {}),
    ...(qualifiers ? { qualifiers } : {}),
    agencies,
    groups,
  });
}

function mergeCycle(byCode: ReadonlyMap<string, AgencyRecord>, start: AgencyRecord): boolean {
  const seen = new Set<string>([start.code]);
  let current = start;
  while (current.mergedInto) {
    if (seen.has(current.mergedInto)) return true;
    seen.add(current.mergedInto);
    const next = byCode.get(current.mergedInto);
    if (!next) return false;
    current = next;
  }
  return false;
}

/**
 * Validates the data and indexes every way of writing each name. Refuses duplicate codes,
 * a name or alias that would stand for two different agencies (or an agency and a group),
 * a merger into an unknown agency, and merger cycles.
 */
export function buildRegistry(data: RegistryData): AgencyRegistry {
  const problems: string[] = [];
  if (!data.registry || !data.registry.trim()) problems.push('thiếu tên danh mục ("registry")');

  const byCode = new Map<string, AgencyRecord>();
  for (const agency of data.agencies) {
    if (!CODE_PATTERN.test(agency.code)) problems.push(`mã "${agency.code}" phải viết hoa, không dấu (A–Z, 0–9, "-")`);
    if (byCode.has(agency.code)) problems.push(`mã "${agency.code}" bị trùng`);
    if (!agency.name.trim()) problems.push(`cơ quan ${agency.code} thiếu tên`);
    if (!AGENCY_KINDS.includes(agency.kind))
      problems.push(`cơ quan ${agency.code}: loại "${agency.kind}" không hợp lệ (${AGENCY_KINDS.join(', ')})`);
    byCode.set(agency.code, agency);
  }
  for (const agency of data.agencies) {
    if (agency.mergedInto === undefined) continue;
    if (agency.mergedInto === agency.code) problems.push(`cơ quan ${agency.code} không thể hợp nhất vào chính nó`);
    else if (!byCode.has(agency.mergedInto))
      problems.push(`cơ quan ${agency.code} hợp nhất vào mã không có trong danh mục: "${agency.mergedInto}"`);
    else if (mergeCycle(byCode, agency)) problems.push(`vòng lặp hợp nhất qua cơ quan ${agency.code}`);
  }

  const groupsByName = new Map<string, AgencyGroupRecord>();
  for (const group of data.groups) {
    if (!group.name.trim()) problems.push('có nhóm thiếu tên');
    if (groupsByName.has(group.name)) problems.push(`nhóm "${group.name}" bị trùng`);
    groupsByName.set(group.name, group);
    if (group.members !== 'unspecified' && 'kinds' in group.members) {
      for (const kind of group.members.kinds) {
        if (!AGENCY_KINDS.includes(kind)) problems.push(`nhóm "${group.name}": loại "${kind}" không hợp lệ`);
      }
    } else if (group.members !== 'unspecified') {
      for (const code of group.members.codes) {
        if (!byCode.has(code)) problems.push(`nhóm "${group.name}" có mã không có trong danh mục: "${code}"`);
      }
    }
  }

  const names: NameEntry[] = [];
  const owners = new Map<string, { label: string; target: string }>();
  const addName = (text: string, target: { code?: string; group?: string }, label: string) => {
    const tokens = nameKey(text);
    if (tokens.length === 0) {
      problems.push(`${label}: tên/viết tắt "${text}" không có chữ nào`);
      return;
    }
    const key = tokens.join(' ');
    const targetId = target.code !== undefined ? `agency:${target.code}` : `group:${target.group}`;
    const owner = owners.get(key);
    if (owner && owner.target !== targetId) {
      problems.push(`tên/viết tắt "${text}" vừa là của ${owner.label} vừa là của ${label}`);
      return;
    }
    if (owner) return;
    owners.set(key, { label, target: targetId });
    names.push({ tokens, text, ...target });
  };
  for (const agency of data.agencies) {
    const label = `${agency.code} (${agency.name})`;
    addName(agency.name, { code: agency.code }, label);
    addName(agency.code, { code: agency.code }, label);
    for (const alias of agency.aliases ?? []) addName(alias, { code: agency.code }, label);
  }
  for (const group of data.groups) {
    const label = `nhóm "${group.name}"`;
    addName(group.name, { group: group.name }, label);
    for (const alias of group.aliases ?? []) addName(alias, { group: group.name }, label);
  }
  if (problems.length > 0) throw new RegistryError(problems);

  const qualifiers = (data.qualifiers ?? [])
    .map(nameKey)
    .filter((key) => key.length > 0)
    .sort((a, b) => b.length - a.length);
  const registry: AgencyRegistry = {
    id: data.registry,
    data,
    byCode,
    groupsByName,
    names,
    qualifiers,
  };
  return registry;
}

/** The agency that now does `code`'s work: itself, or the end of its chain of mergers. */
export function resolveSuccessor(registry: AgencyRegistry, code: string): AgencyRecord | undefined {
  let current = registry.byCode.get(code);
  while (current?.mergedInto) {
    const next = registry.byCode.get(current.mergedInto);
    if (!next) break;
    current = next;
  }
  return current;
}

/** Active agencies (not merged away) of the given kinds, in registry order. */
export function activeAgencies(registry: AgencyRegistry, kinds?: readonly AgencyKind[]): AgencyRecord[] {
  return registry.data.agencies.filter((a) => !a.mergedInto && (!kinds || kinds.includes(a.kind)));
}

/** A new registry with `record` added, or replacing the agency with the same code. */
export function withAgency(registry: AgencyRegistry, record: AgencyRecord): AgencyRegistry {
  const exists = registry.byCode.has(record.code);
  const agencies = exists
    ? registry.data.agencies.map((a) => (a.code === record.code ? record : a))
    : [...registry.data.agencies, record];
  return buildRegistry({ ...registry.data, agencies });
}

/** A new registry in which `code` has merged into `successorCode`: new work goes to the successor. */
export function withMerge(registry: AgencyRegistry, code: string, successorCode: string): AgencyRegistry {
  const agency = registry.byCode.get(code);
  if (!agency) throw new RegistryError([`không có cơ quan mã "${code}"`]);
  if (!registry.byCode.has(successorCode)) throw new RegistryError([`không có cơ quan kế thừa mã "${successorCode}"`]);
  return withAgency(registry, { ...agency, mergedInto: successorCode });
}

/** A new registry with `group` added, or replacing the group with the same name. */
export function withGroup(registry: AgencyRegistry, group: AgencyGroupRecord): AgencyRegistry {
  const exists = registry.groupsByName.has(group.name);
  const groups = exists
    ? registry.data.groups.map((g) => (g.name === group.name ? group : g))
    : [...registry.data.groups, group];
  return buildRegistry({ ...registry.data, groups });
}
