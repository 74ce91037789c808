// A workbook's date cell holds a serial number; what a person reads is that number through the cell's
// number format. "mm/yyyy" or `"Tháng "m/yyyy` shows a month, not the first day of it, so the cell's
// text must be the month: read as the person sees it, the same table gives the same deadlines from
// the workbook as from its CSV export.

/** Excel's built-in short date (format 14, which exceljs names "mm-dd-yy") follows the system's locale: dd/mm/yyyy in Vietnam. */
const LOCALE_SHORT_DATES = new Set(['mm-dd-yy', 'm/d/yy', 'm/d/yyyy', 'mm/dd/yy', 'mm/dd/yyyy']);

const WEEKDAYS = ['Chủ nhật', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy'];

type Token = { kind: 'literal'; text: string } | { kind: 'field'; code: string };

/** The first section of a format (positive numbers), without colours, locales and conditions ("[$-42A]", "[Red]"). */
function firstSection(format: string): string {
  let section = '';
  let quoted = false;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) break;
    section += ch;
  }
  return section.replace(/\[[^\]]*\]/g, '');
}

function tokenize(section: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < section.length) {
    const ch = section[i]!;
    if (ch === '"') {
      const end = section.indexOf('"', i + 1);
      const stop = end < 0 ? section.length : end;
      tokens.push({ kind: 'literal', text: section.slice(i + 1, stop) });
      i = stop + 1;
    } else if (ch === '\\') {
      tokens.push({ kind: 'literal', text: section[i + 1] ?? '' });
      i += 2;
    } else if (/[dmyhs]/i.test(ch)) {
      let j = i + 1;
      while (j < section.length && section[j]!.toLowerCase() === ch.toLowerCase()) j++;
      tokens.push({ kind: 'field', code: section.slice(i, j).toLowerCase() });
      i = j;
    } else if (ch === '_' || ch === '*') {
      // Padding to another character's width: nothing a reader sees.
      i += 2;
    } else if (ch === '@') {
      i += 1;
    } else {
      tokens.push({ kind: 'literal', text: ch });
      i += 1;
    }
  }
  return tokens;
}

/** Which of a, b fields are minutes: an "m" right after hours or right before seconds. */
function minutes(tokens: Token[]): Set<number> {
  const fields = tokens.flatMap((t, i) => (t.kind === 'field' ? [i] : []));
  const found = new Set<number>();
  fields.forEach((index, k) => {
    const token = tokens[index] as { code: string };
    if (!token.code.startsWith('m')) return;
    const before = k > 0 ? (tokens[fields[k - 1]!] as { code: string }).code : '';
    const after = k + 1 < fields.length ? (tokens[fields[k + 1]!] as { code: string }).code : '';
    if (before.startsWith('h') || after.startsWith('s')) found.add(index);
  });
  return found;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Whether a number format shows a date (has a day, month or year field outside quotes). */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const tokens = tokenize(firstSection(format));
  const asMinutes = minutes(tokens);
  return tokens.some((t, i) => t.kind === 'field' && /^[dy]|^m/.test(t.code) && !asMinutes.has(i));
}

/**
 * A date (a UTC midnight, as workbooks store days) as its number format shows it. A format that
 * shows a day reads dd/mm/yyyy whatever order it writes (a month written first is a locale's
 * habit, not another day); one that shows only a month and a year, or only a year, keeps its
 * words ("Tháng 12/2026", "12/2026", "2026"). Without a format, the day as dd/mm/yyyy.
 */
export function formatDateCell(date: Date, format: string | undefined): string {
  const day = date.getUTCDate();
  const month = date.getUTCMonth() + 1;
  const year = date.getUTCFullYear();
  const fullDay = `${pad(day)}/${pad(month)}/${year}`;
  if (!format || LOCALE_SHORT_DATES.has(format.toLowerCase())) return fullDay;
  const tokens = tokenize(firstSection(format));
  const asMinutes = minutes(tokens);
  const dateFields = tokens.filter(
    (t, i): t is Extract<Token, { kind: 'field' }> => t.kind === 'field' && !asMinutes.has(i) && /^[dmy]/.test(t.code),
  );
  const showsDay = dateFields.some((t) => t.code === 'd' || t.code === 'dd');
  const showsMonth = dateFields.some((t) => t.code.startsWith('m'));
  const showsYear = dateFields.some((t) => t.code.startsWith('y'));
  if (showsDay || dateFields.length === 0)
    return showsYear || dateFields.length === 0 ? fullDay : `${pad(day)}/${pad(month)}`;
  if (!showsMonth && showsYear) return String(year);
  let text = '';
  tokens.forEach((token, i) => {
    if (token.kind === 'literal') {
      text += token.text;
      return;
    }
    const { code } = token;
    if (asMinutes.has(i) || code.startsWith('h') || code.startsWith('s')) return;
    if (code === 'yy') text += pad(year % 100);
    else if (code.startsWith('y')) text += String(year);
    else if (code === 'm') text += String(month);
    else if (code === 'mm') text += pad(month);
    // Month names: as a Vietnamese Excel writes them ("Tháng 12"), whatever language the file was made in.
    else if (code.startsWith('m')) text += `Tháng ${month}`;
    else if (code.length >= 3) text += WEEKDAYS[date.getUTCDay()]!;
  });
  // A two-digit year would read as another day ("12/26"): the reader needs the four.
  if (dateFields.some((t) => t.code === 'yy')) return `${pad(month)}/${year}`;
  return text.replace(/\s+/g, ' ').trim();
}
