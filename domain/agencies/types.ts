// The agencies a plan names, as a registry per plan. The JSON form is what
// data/agencies/*.json holds and what the API stores; the registry adds the lookup indexes.

/** What level of government an agency is, which decides the groups it belongs to. */
export type AgencyKind =
  | 'department' // Sở …
  | 'office' // Văn phòng UBND tỉnh
  | 'inspectorate' // Thanh tra tỉnh
  | 'board' // Ban … (department-level boards)
  | 'district' // UBND of a district or provincial city
  | 'commune' // UBND of a commune, ward or town
  | 'province' // UBND tỉnh and its leadership
  | 'central' // Bộ, cơ quan ngang bộ: the Government's ministries, a national programme's leads
  | 'other'; // press, broadcasters, centrally managed bodies …

export const AGENCY_KINDS: readonly AgencyKind[] = [
  'department',
  'office',
  'inspectorate',
  'board',
  'district',
  'commune',
  'province',
  'central',
  'other',
];

export interface AgencyRecord {
  /** Short, upper-case, ASCII and stable: it outlives renames. */
  code: string;
  name: string;
  kind: AgencyKind;
  /** Other ways plans write the name: abbreviations, older names, with or without "tỉnh". */
  aliases?: string[];
  /** Code of the agency that took over this one's work (a merger); new work goes there. */
  mergedInto?: string;
  /** The first day it exists (YYYY-MM-DD), when it was founded by a reorganisation. */
  existsFrom?: string;
  /** The last day it existed (YYYY-MM-DD), when a reorganisation ended it: Decree 150/2025's merges, 30 June 2025. */
  existsUntil?: string;
}

/**
 * Who a group stands for: every active agency of some kinds, a fixed list, or nobody in
 * particular ("Các cơ quan, đơn vị liên quan"), which gives no assignment.
 */
export type GroupMembers = { kinds: AgencyKind[] } | { codes: string[] } | 'unspecified';

export interface AgencyGroupRecord {
  name: string;
  aliases?: string[];
  members: GroupMembers;
  /** Shown to the coordinator when the group cannot be fanned out (its members are not listed). */
  note?: string;
  /**
   * Too loose to lead as a whole ("Các bộ, ngành, địa phương"): named as the lead, it is a question
   * for the coordinator, not an assignment to every member; as a collaborator it stays a group.
   */
  ask?: boolean;
}

/** The registry of the central government (national programmes, ministries as leads). */
export const CENTRAL_REGISTRY = 'trung-uong';

export interface RegistryData {
  registry: string;
  /** What people call the registry: the province ("Đồng Nai", "Thành phố Hà Nội") or "Trung ương". */
  name?: string;
  /** Words that may follow a name without changing it ("tỉnh", "tỉnh Vĩnh Phúc"). */
  qualifiers?: string[];
  agencies: AgencyRecord[];
  groups: AgencyGroupRecord[];
}

/** One way of writing a name, tokenised for matching. */
export interface NameEntry {
  /** Folded tokens without soft punctuation (commas, dashes). */
  tokens: readonly string[];
  /** Exactly one of `code` (an agency) or `group` (a group name). */
  code?: string;
  group?: string;
  /** The text as the registry spells it, for suggestions. */
  text: string;
}

export interface AgencyRegistry {
  readonly id: string;
  /** The validated data the registry was built from; edit it through withAgency/withMerge/withGroup. */
  readonly data: RegistryData;
  readonly byCode: ReadonlyMap<string, AgencyRecord>;
  readonly groupsByName: ReadonlyMap<string, AgencyGroupRecord>;
  /** Every name, alias and code, for longest-match splitting. */
  readonly names: readonly NameEntry[];
  readonly qualifiers: readonly (readonly string[])[];
}

/** One agency found in a cell; `group` is set when it came from fanning out that group. */
export interface AgencyRef {
  code: string;
  name: string;
  group?: string;
}

export interface UnknownAgency {
  /** The text as written in the cell. */
  text: string;
  /** Up to three known names closest to it. */
  nearest: string[];
}

export interface AgencySplit {
  agencies: AgencyRef[];
  unknown: UnknownAgency[];
  /** The cell names a group without listed members ("Các cơ quan, đơn vị liên quan", "UBND cấp xã"). */
  unspecified: boolean;
  /**
   * Those groups, in the order written, with their notes; with a role, also the groups too loose
   * to fan out ("Các bộ, ngành, địa phương", "Sở, ngành liên quan"), with how many members they list.
   */
  unspecifiedGroups: { name: string; note?: string; members?: number }[];
  /** With a role: the commune level named as a group ("UBND các xã, phường"), and how many communes it is. */
  communeGroups: { name: string; members: number }[];
  /** The cell held a person's name, a phone number or an e-mail address, left out (never echoed). */
  personal: boolean;
}

/** Which column a cell is in: a lead's groups are questions, a collaborator's stay groups. */
export type AgencyRole = 'lead' | 'collaborators';
