import { squish } from '../text.ts';
import { nearestNames, type FuzzyBudget } from './nearest.ts';
import { activeAgencies, resolveSuccessor } from './registry.ts';
import { matchAt, tokenize } from './tokens.ts';
import type { Token } from './tokens.ts';
import type {
  AgencyGroupRecord,
  AgencyRecord,
  AgencyRef,
  AgencyRegistry,
  AgencyRole,
  AgencySplit,
  NameEntry,
} from './types.ts';

/**
 * Words that begin an agency's name. Between two unknown names a comma or "và" separates them
 * only when one of these follows, so an unknown "Sở Văn hoá, Thể thao và Du lịch tỉnh X" is
 * reported as one name, not three.
 */
const HEAD_WORDS: readonly (readonly string[])[] = [
  ['so'],
  ['ban'],
  ['ubnd'],
  ['hdnd'],
  ['van', 'phong'],
  ['thanh', 'tra'],
  ['cong', 'an'],
  ['bo', 'chi', 'huy'],
  ['dai'],
  ['bao'],
  ['trung', 'tam'],
  ['cuc'],
  ['chi', 'cuc'],
  ['kho', 'bac'],
  ['bao', 'hiem'],
  ['toa', 'an'],
  ['vien', 'kiem', 'sat'],
  ['hoi'],
  ['lien', 'doan'],
  ['mat', 'tran'],
  ['tinh', 'doan'],
  ['tinh', 'uy'],
  ['cac'],
  ['bo'],
  ['phong'],
  ['truong'],
  ['benh', 'vien'],
  ['ngan', 'hang'],
  ['cong', 'ty'],
  ['thanh', 'pho'],
  ['huyen'],
  // National programmes: ministry-level agencies and bodies under the Government.
  ['uy', 'ban'],
  ['kiem', 'toan'],
  ['thong', 'tan', 'xa'],
  ['vien'],
  ['hoc', 'vien'],
  ['tong', 'cuc'],
  ['tap', 'doan'],
  ['dang', 'uy'],
  ['thue'],
  ['lien', 'minh'],
  ['lien', 'hiep'],
  ['tong', 'cong', 'ty'],
  ['chi', 'nhanh'],
];

/**
 * What a person writes beside an agency that is no agency: an e-mail address, a phone number, a
 * person named with a title ("đ/c Nguyễn Văn A", "ông …", "bà …"). It is cut out before the cell
 * is read, so it is never proposed as an agency, never stored in a registry and never quoted.
 */
const PERSONAL: readonly RegExp[] = [
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu,
  /(?:(?:số )?(?:điện thoại|đt|sđt|dđ|tel|phone)\s*[:.]?\s*)?(?:\+?84|0)(?:[\s.-]?\d){8,10}\b/giu,
  // A title starts the fragment ("(đ/c Nguyễn Văn A", ", bà Lê Thị B"): "tỉnh Bà Rịa" is a place.
  /(?<=^|[(,;:\-–]\s*)(?:[Đđ]\/[Cc]|[Đđ]\.[Cc]|[Đđ]ồng chí|[Ôô]ng|[Bb]à)\s+\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,4}/gu,
];

/** The cell without personal details, and whether it had any. */
export function withoutPersonal(cell: string): { text: string; removed: boolean } {
  let text = cell;
  let removed = false;
  for (const pattern of PERSONAL) {
    text = text.replace(pattern, () => {
      removed = true;
      return ';';
    });
  }
  return { text, removed };
}

type Found = { type: 'name'; entry: NameEntry; related?: boolean } | { type: 'unknown'; from: number; to: number };

/** "liên quan", "có liên quan" after a group: only the related ones, which the cell does not name. */
function relatedAfter(tokens: readonly Token[], at: number): number {
  for (const words of [
    ['co', 'lien', 'quan'],
    ['lien', 'quan'],
  ]) {
    const end = matchAt(tokens, at, words);
    if (end >= 0) return end;
  }
  return -1;
}

/** Names by their first word, so each position tries only the names that can start there. */
const byFirstWord = new WeakMap<AgencyRegistry, Map<string, NameEntry[]>>();

function namesStartingWith(registry: AgencyRegistry, word: string): readonly NameEntry[] {
  let index = byFirstWord.get(registry);
  if (!index) {
    index = new Map();
    for (const entry of registry.names) {
      const first = entry.tokens[0]!;
      index.set(first, [...(index.get(first) ?? []), entry]);
    }
    byFirstWord.set(registry, index);
  }
  return index.get(word) ?? [];
}

function longestMatch(
  tokens: readonly Token[],
  at: number,
  registry: AgencyRegistry,
): { entry: NameEntry; end: number } | undefined {
  let best: { entry: NameEntry; end: number } | undefined;
  const token = tokens[at];
  if (token?.kind !== 'word') return undefined;
  for (const entry of namesStartingWith(registry, token.value)) {
    if (best && entry.tokens.length <= best.entry.tokens.length) continue;
    const end = matchAt(tokens, at, entry.tokens);
    if (end >= 0) best = { entry, end };
  }
  return best;
}

function skipQualifier(tokens: readonly Token[], at: number, registry: AgencyRegistry): number {
  for (const qualifier of registry.qualifiers) {
    const end = matchAt(tokens, at, qualifier);
    // A qualifier counts only when a name does not start there ("tỉnh" vs "Tỉnh đoàn"); "và"
    // after it joins the next name ("Sở Tư pháp tỉnh và Sở Nội vụ tỉnh").
    if (end >= 0 && (end >= tokens.length || tokens[end]!.kind !== 'word' || tokens[end]!.value === 'va')) return end;
  }
  return at;
}

function startsName(tokens: readonly Token[], at: number, registry: AgencyRegistry): boolean {
  let i = at;
  while (tokens[i]?.kind === 'soft') i++;
  if (tokens[i]?.kind !== 'word') return true; // end of cell or a hard separator
  return longestMatch(tokens, i, registry) !== undefined || HEAD_WORDS.some((head) => matchAt(tokens, i, head) >= 0);
}

function scan(tokens: readonly Token[], registry: AgencyRegistry): Found[] {
  const found: Found[] = [];
  let open: { from: number; to: number } | undefined;
  const close = () => {
    if (open) found.push({ type: 'unknown', ...open });
    open = undefined;
  };
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.kind === 'hard') {
      close();
      i++;
      continue;
    }
    const match = token.kind === 'word' ? longestMatch(tokens, i, registry) : undefined;
    if (match) {
      close();
      const related = match.entry.group !== undefined ? relatedAfter(tokens, match.end) : -1;
      found.push({ type: 'name', entry: match.entry, ...(related >= 0 ? { related: true } : {}) });
      i = skipQualifier(tokens, related >= 0 ? related : match.end, registry);
      continue;
    }
    const weakSeparator = token.kind === 'soft' || token.value === 'va';
    if (weakSeparator) {
      if (open && !startsName(tokens, i + 1, registry)) open.to = i;
      else close();
      i++;
      continue;
    }
    if (open) open.to = i;
    else open = { from: i, to: i };
    i++;
  }
  close();
  return found;
}

/**
 * Splits one cell of the lead or collaborator column into agencies: longest known name first
 * (names contain commas and "và"), groups fanned out to their active members, names the
 * registry does not know reported with the nearest known names. With a role, a group too loose to
 * fan out (asked, or followed by "liên quan") and the commune level are kept whole: the import
 * asks about them rather than assign every member (see AgencySplit).
 */
export function splitAgencies(
  cell: string,
  registry: AgencyRegistry,
  fuzzy?: FuzzyBudget,
  role?: AgencyRole,
): AgencySplit {
  const { text: readable, removed } = withoutPersonal(cell);
  const tokens = tokenize(readable);
  const result: AgencySplit = {
    agencies: [],
    unknown: [],
    unspecified: false,
    unspecifiedGroups: [],
    communeGroups: [],
    personal: removed,
  };
  const seen = new Set<string>();
  const add = (ref: AgencyRef) => {
    if (seen.has(ref.code)) return;
    seen.add(ref.code);
    result.agencies.push(ref);
  };
  const keepWhole = (group: { name: string; note?: string; members?: number }) => {
    result.unspecified = true;
    if (!result.unspecifiedGroups.some((g) => g.name === group.name)) result.unspecifiedGroups.push(group);
  };
  for (const item of scan(tokens, registry)) {
    if (item.type === 'unknown') {
      const text = squish(readable.slice(tokens[item.from]!.start, tokens[item.to]!.end)).replace(
        /^[-–—,\s]+|[-–—,.\s]+$/g,
        '',
      );
      if (text) result.unknown.push({ text, nearest: suggestions(text, registry, fuzzy) });
      continue;
    }
    const { entry } = item;
    if (entry.code !== undefined) {
      const agency = registry.byCode.get(entry.code)!;
      add({ code: agency.code, name: agency.name });
      continue;
    }
    const group = registry.groupsByName.get(entry.group!)!;
    const members = membersOf(registry, group);
    if (group.members === 'unspecified') {
      keepWhole({ name: group.name, ...(group.note ? { note: group.note } : {}) });
    } else if (role && (group.ask || item.related)) {
      keepWhole({ name: item.related ? `${group.name} liên quan` : group.name, members: members.length });
    } else if (role && 'kinds' in group.members && group.members.kinds.every((kind) => kind === 'commune')) {
      if (!result.communeGroups.some((g) => g.name === group.name))
        result.communeGroups.push({ name: group.name, members: members.length });
    } else {
      for (const agency of members) add({ code: agency.code, name: agency.name, group: group.name });
    }
  }
  return result;
}

/** The agencies a group with listed members stands for today. */
export function membersOf(registry: AgencyRegistry, group: AgencyGroupRecord): AgencyRecord[] {
  if (group.members === 'unspecified') return [];
  if ('kinds' in group.members) return activeAgencies(registry, group.members.kinds);
  const found: AgencyRecord[] = [];
  for (const code of group.members.codes) {
    const agency = resolveSuccessor(registry, code);
    if (agency && !found.includes(agency)) found.push(agency);
  }
  return found;
}

/** The registry's names closest to `text`, as official names. */
export function suggestions(text: string, registry: AgencyRegistry, fuzzy?: FuzzyBudget): string[] {
  const candidates = registry.names.map((entry) => ({
    written: entry.text,
    shown: entry.code !== undefined ? registry.byCode.get(entry.code)!.name : entry.group!,
  }));
  return nearestNames(text, candidates, 3, fuzzy);
}

/** The one agency `text` names, or undefined when it names none, several or a group. */
export function findAgency(text: string, registry: AgencyRegistry): AgencyRef | undefined {
  const split = splitAgencies(text, registry);
  const only = split.agencies[0];
  if (split.agencies.length !== 1 || split.unknown.length > 0 || split.unspecified || only?.group) return undefined;
  return only;
}
