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
