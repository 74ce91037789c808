/**
 * Folds Vietnamese text for matching: lower case, no diacritics, đ → d, single spaces.
 * Civil servants type headers and agency names with and without accents, in any case.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Collapses runs of white space (including non-breaking spaces and tabs) and trims. */
export function squish(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** An integer as Vietnamese writes it, "1.234.567": the same everywhere, without the runtime's locale data. */
export function vnInteger(value: number): string {
  const digits = String(Math.abs(Math.trunc(value))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return value < 0 ? `-${digits}` : digits;
}
