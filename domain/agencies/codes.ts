import { fold } from '../text.ts';

/** Initials of the name's words, ASCII upper case ("Ban Quản lý dự án" → "BQLDA"), made unique. */
export function codeFor(name: string, taken: Set<string>): string {
  const initials = fold(name)
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && word !== 'va')
    .map((word) => (/^\d+$/.test(word) ? word : word[0]!.toUpperCase()))
    .join('')
    .slice(0, 12);
  const base = initials.length > 0 ? initials : 'CQ';
  let code = base;
  for (let n = 2; taken.has(code); n += 1) code = `${base}${n}`;
  taken.add(code);
  return code;
}
