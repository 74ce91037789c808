import { fold } from '../text.ts';

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Only suggestions this close (edit distance over length) are worth showing. */
const MAX_RATIO = 0.45;
/** A typed prefix ("Sở Văn hóa") is a good hint, but only once it is long enough to mean something. */
const MIN_PREFIX_LENGTH = 6;

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
): string[] {
  const target = comparable(text);
  if (target.length === 0) return [];
  const best = new Map<string, number>();
  for (const candidate of candidates) {
    const written = comparable(candidate.written);
    if (written.length === 0) continue;
    let score = editDistance(target, written) / Math.max(target.length, written.length);
    if (target.length >= MIN_PREFIX_LENGTH && written.length > target.length) {
      const prefix = written.slice(0, target.length);
      // Slightly worse than a whole-name match of the same distance.
      score = Math.min(score, editDistance(target, prefix) / target.length + 0.05);
    }
    if (score > MAX_RATIO) continue;
    const known = best.get(candidate.shown);
    if (known === undefined || score < known) best.set(candidate.shown, score);
  }
  return [...best.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0], 'vi'))
    .slice(0, limit)
    .map(([shown]) => shown);
}
