import { fold } from '../text.ts';

/** The next number to try after each base code, per set of taken codes: thousands of alike names stay linear. */
const nextNumber = new WeakMap<Set<string>, Map<string, number>>();

/** Initials of the name's words, ASCII upper case ("Ban Quản lý dự án" → "BQLDA"), made unique. */
export function codeFor(name: string, taken: Set<string>): string {
  const initials = fold(name)
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && word !== 'va')
    .map((word) => (/^\d+$/.test(word) ? word : word[0]!.toUpperCase()))
    .join('')
    .slice(0, 12);
  const base = initials.length > 0 ? initials : 'CQ';
  const numbers = nextNumber.get(taken) ?? new Map<string, number>();
  nextNumber.set(taken, numbers);
  let code = base;
  let n = numbers.get(base) ?? 2;
  for (; taken.has(code); n += 1) code = `${base}${n}`;
  if (code !== base) numbers.set(base, n);
  taken.add(code);
  return code;
}
