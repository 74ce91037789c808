import { squish } from '../text.ts';

// How cell text is cleaned and cut up once the table is read.

/** Spaces squished on each line, empty lines dropped; line breaks inside a cell are kept. */
export function cleanCell(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\r\n|\n|\r/)
    .map(squish)
    .filter((line) => line !== '')
    .join('\n');
}

function capitalise(item: string): string {
  const first = item.codePointAt(0);
  if (first === undefined) return item;
  const head = String.fromCodePoint(first);
  return head.toLocaleUpperCase('vi') + item.slice(head.length);
}

/**
 * "Kế hoạch; báo cáo" and "Kế hoạch, Báo cáo, QĐ xử lý" name several deliverables: split on
 * semicolons, commas and line breaks, each item trimmed and its first letter upper-cased.
 */
export function splitDeliverables(cell: string): string[] {
  return cell
    .split(/[;,\n]/)
    .map((item) =>
      squish(item)
        .replace(/^[-+•*]\s*/, '')
        .replace(/[.\s]+$/, ''),
    )
    .filter((item) => item !== '')
    .map(capitalise);
}

/** A row number as written, without the trailing dot some plans add ("8." → "8"). */
export function cleanNumber(cell: string | undefined): string {
  return squish(cell ?? '').replace(/\.$/, '');
}

const ROMAN = /^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$/;
const SECTION = /^((?:X{0,3})(?:IX|IV|V?I{0,3})|[A-ZĐ])(?:\s*[.):\-–—]\s*|\s+|$)(.*)$/s;

/**
 * A section row's numeral ("II", "XII", "A", "IV.", "B -") and the title written with it, or
 * undefined when the cell is not a section numeral.
 */
export function sectionNumeral(cell: string): { numeral: string; title: string } | undefined {
  const text = squish(cell);
  const match = SECTION.exec(text);
  if (!match || !match[1]) return undefined;
  return { numeral: match[1], title: squish(match[2] ?? '') };
}

/** Roman numerals (I … XXXIX) and letters (A, B …) number different levels of sections. */
export function sectionKind(numeral: string): 'roman' | 'letter' {
  return ROMAN.test(numeral) ? 'roman' : 'letter';
}
