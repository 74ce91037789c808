import { fold } from '../text.ts';

// Agency cells are matched token by token on folded text, so that "Sở KH & CN", "Sở KH&CN" and
// "SỞ KH&CN" are the same name and a name never matches half a word. Each token remembers where
// it was in the original text, so unknown names are reported as written.

export type TokenKind =
  | 'word'
  /** Commas and dashes: inside names ("Sở Văn hóa, Thể thao và Du lịch") as often as between them. */
  | 'soft'
  /** Semicolons, slashes, line breaks, brackets: always between names. */
  | 'hard';

export interface Token {
  kind: TokenKind;
  value: string;
  start: number;
  end: number;
}

const SOFT = new Set([',', '-', '–', '—']);
const HARD = new Set([';', '/', '\n', '+', ':', '(', ')', '[', ']', '|']);

/** Written-out forms that plans abbreviate; both sides are reduced to the abbreviation. */
const CONTRACTIONS: readonly { words: readonly string[]; value: string }[] = [
  { words: ['uy', 'ban', 'nhan', 'dan'], value: 'ubnd' },
  { words: ['hoi', 'dong', 'nhan', 'dan'], value: 'hdnd' },
];

function isWordChar(ch: string): boolean {
  return /[\p{L}\p{N}\p{M}'’]/u.test(ch);
}

export function tokenize(text: string): Token[] {
  const raw: Token[] = [];
  const normalized = text.replace(/\r\n?/g, '\n');
  let i = 0;
  while (i < normalized.length) {
    const ch = normalized[i]!;
    if (isWordChar(ch)) {
      let j = i + 1;
      while (j < normalized.length && isWordChar(normalized[j]!)) j++;
      raw.push({ kind: 'word', value: fold(normalized.slice(i, j)).replace(/['’]/g, ''), start: i, end: j });
      i = j;
    } else if (ch === '&') {
      raw.push({ kind: 'word', value: '&', start: i, end: i + 1 });
      i++;
    } else if (SOFT.has(ch)) {
      raw.push({ kind: 'soft', value: ch === ',' ? ',' : '-', start: i, end: i + 1 });
      i++;
    } else if (HARD.has(ch)) {
      raw.push({ kind: 'hard', value: ch, start: i, end: i + 1 });
      i++;
    } else {
      // Spaces, dots ("TP. Vĩnh Yên"), quotes: not part of any name.
      i++;
    }
  }
  return softenLevelSlashes(contract(raw));
}

/** Words naming a level of local government: "xã/phường", "tỉnh/thành phố" is one name's alternatives. */
const LEVEL_WORDS = new Set(['xa', 'phuong', 'thi', 'dac', 'huyen', 'quan', 'tinh', 'thanh', 'cac']);

/** A slash between two level words ("UBND xã/phường/đặc khu") is read as a comma: it joins, never splits, a name. */
function softenLevelSlashes(tokens: Token[]): Token[] {
  return tokens.map((token, i) => {
    if (token.kind !== 'hard' || token.value !== '/') return token;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const level = (t: Token | undefined) => t?.kind === 'word' && LEVEL_WORDS.has(t.value);
    return level(before) && level(after) ? { ...token, kind: 'soft', value: ',' } : token;
  });
}

function contract(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const hit = CONTRACTIONS.find((c) =>
      c.words.every((w, k) => tokens[i + k]?.kind === 'word' && tokens[i + k]?.value === w),
    );
    if (hit) {
      out.push({ kind: 'word', value: hit.value, start: tokens[i]!.start, end: tokens[i + hit.words.length - 1]!.end });
      i += hit.words.length;
    } else {
      out.push(tokens[i]!);
      i++;
    }
  }
  return out;
}

/** "và" joins the parts of a name as loosely as a comma: "Sở Giáo dục Đào tạo" is still the department. */
function isFiller(token: Token): boolean {
  return token.kind === 'soft' || (token.kind === 'word' && token.value === 'va');
}

/** The words of a name, for comparing names with each other: commas, dashes and "và" dropped. */
export function nameKey(text: string): string[] {
  return tokenize(text)
    .filter((t) => !isFiller(t))
    .map((t) => t.value);
}

/**
 * Where `key` matches the tokens starting at `from`, the index just past the match, else -1.
 * Commas, dashes and "và" between the words of the cell are skipped, since plans write them or not.
 */
export function matchAt(tokens: readonly Token[], from: number, key: readonly string[]): number {
  let i = from;
  for (let k = 0; k < key.length; k++) {
    if (k > 0) while (tokens[i] && isFiller(tokens[i]!)) i++;
    const token = tokens[i];
    if (!token || token.kind !== 'word' || token.value !== key[k]) return -1;
    i++;
  }
  return i;
}
