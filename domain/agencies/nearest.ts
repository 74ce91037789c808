import { fold } from '../text.ts';

/**
 * Levenshtein distance: insertions, deletions and substitutions each cost 1. With `atMost`, gives
 * up (returning Infinity) as soon as the distance must exceed it, looking only at the diagonal
 * band that can still stay within it: comparing a page of text with a short name costs nothing.
 */
export function editDistance(a: string, b: string, atMost = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > atMost) return Infinity;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const band = Math.min(Math.max(a.length, b.length), atMost);
  // Two rows of the table, reused. Only the band is computed, so a row costs its band, not the
  // whole of `b`: the band only moves right, so the cells past its end were never written and are
  // still Infinity, and the one cell before its start that the row reads is set here.
  let previous = new Float64Array(b.length + 1).fill(Infinity);
  let current = new Float64Array(b.length + 1).fill(Infinity);
  for (let j = 0; j <= Math.min(b.length, band); j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(b.length, i + band);
    current[from - 1] = from === 1 && i <= band ? i : Infinity;
    let best = current[from - 1]!;
    for (let j = from; j <= to; j++) {
      const substitution = previous[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      const cell = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      current[j] = cell;
      if (cell < best) best = cell;
    }
    if (best > atMost) return Infinity;
    [previous, current] = [current, previous];
  }
  const distance = previous[b.length]!;
  return distance > atMost ? Infinity : distance;
}

/**
 * How much suggesting near names may still cost for one file, in compared character pairs. Shared
 * by every cell of the file; once spent, unknown names are still reported, without suggestions.
 */
export interface FuzzyBudget {
  remaining: number;
  exhausted: boolean;
  /** Suggestions already made in this file, by the text they were made for. */
  made: Map<string, string[]>;
}

/**
 * About a second of matching at most (a file of 8,000 unknown names spends it all in 0.9 s here): a
 * plan with a hundred unknown names still gets suggestions for each.
 */
export const FUZZY_BUDGET = 100_000_000;

export function fuzzyBudget(pairs = FUZZY_BUDGET): FuzzyBudget {
  return { remaining: pairs, exhausted: false, made: new Map() };
}

/** Only suggestions this close (edit distance over length) are worth showing. */
const MAX_RATIO = 0.45;
/** A typed prefix ("Sở Văn hóa") is a good hint, but only once it is long enough to mean something. */
const MIN_PREFIX_LENGTH = 6;

/** Known names in comparable form: each is folded once, not once per unknown name. */
const comparableNames = new Map<string, string>();

function comparableName(name: string): string {
  let form = comparableNames.get(name);
  if (form === undefined) {
    form = comparable(name);
    comparableNames.set(name, form);
  }
  return form;
}

function comparable(text: string): string {
  return fold(text)
    .replace(/[.,;:()"“”]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The known names closest to `text`, best first, at most `limit`. Each candidate is one way of
 * writing a name (`written`) and what to suggest for it (`shown`, the official name), so an
 * alias close to the text suggests the official name once.
 */
export function nearestNames(
  text: string,
  candidates: readonly { written: string; shown: string }[],
  limit = 3,
  budget?: FuzzyBudget,
): string[] {
  const target = comparable(text);
  if (target.length === 0) return [];
  const made = budget?.made.get(`${limit}:${target}`);
  if (made) return made;
  const best = new Map<string, number>();
  for (const candidate of candidates) {
    const written = comparableName(candidate.written);
    if (written.length === 0) continue;
    const longest = Math.max(target.length, written.length);
    // Only distances up to MAX_RATIO of the longer name can be suggested; the band is that wide.
    const bound = Math.floor(MAX_RATIO * longest + 1e-9);
    const prefixed = target.length >= MIN_PREFIX_LENGTH && written.length > target.length;
    if (budget) {
      // What the banded comparisons below will cost: nothing when the lengths alone rule it out.
      const whole = Math.abs(target.length - written.length) > bound ? 1 : target.length * (2 * bound + 1);
      budget.remaining -= whole + (prefixed ? target.length * target.length : 0);
      if (budget.remaining < 0) {
        budget.exhausted = true;
        return [];
      }
    }
    let score = editDistance(target, written, bound) / longest;
    if (prefixed) {
      const prefix = written.slice(0, target.length);
      // Slightly worse than a whole-name match of the same distance.
      const prefixBound = Math.floor((MAX_RATIO - 0.05) * target.length + 1e-9);
      score = Math.min(score, editDistance(target, prefix, prefixBound) / target.length + 0.05);
    }
    if (score > MAX_RATIO) continue;
    const known = best.get(candidate.shown);
    if (known === undefined || score < known) best.set(candidate.shown, score);
  }
  const nearest = [...best.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0], 'vi'))
    .slice(0, limit)
    .map(([shown]) => shown);
  budget?.made.set(`${limit}:${target}`, nearest);
  return nearest;
}
