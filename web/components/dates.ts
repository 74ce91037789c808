// Day-month-year dates as Vietnamese officials write them, whatever the browser's language: pure
// functions (no DOM), so the date input's reading is tested on its own.

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days in a month (1–12). */
export function daysInMonth(year: number, month: number) {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD for a real calendar day, else null. */
export function isoOf(y: number, m: number, d: number) {
  if (!Number.isInteger(y) || y < 1900 || y > 2200) return null;
  if (!Number.isInteger(m) || m < 1 || m > 12) return null;
  if (!Number.isInteger(d) || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * Reads what a person typed as a day: 5/3/2027, 05/03/2027, 5-3-2027, 5.3.2027 and 5/3/27 are all
 * 5 March 2027 (day first, always; a two-digit year is 20yy); 2027-03-05 (ISO, year first) too.
 * Returns YYYY-MM-DD, or null for anything that is not one real day (31/02/2027, 13/13/2027).
 */
export function parseDay(text: string): string | null {
  const t = text.trim().replace(/\s+/g, '');
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
  if (!dmy) return null;
  const [, d = '', m = '', y = ''] = dmy;
  const year = y.length === 2 ? 2000 + Number(y) : Number(y);
  return isoOf(year, Number(m), Number(d));
}

/** dd/mm/yyyy for YYYY-MM-DD (empty for nothing). */
export function showDay(iso: string | null | undefined) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/**
 * A month's calendar as weeks from Monday (as Vietnamese calendars are printed): each week seven
 * cells, a day's ISO date or null before the first and after the last.
 * @param month 1–12
 */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  // getUTCDay: 0 = Sunday; Monday first puts Sunday last.
  const first = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  const cells: (string | null)[] = Array.from({ length: first }, () => null);
  for (let d = 1; d <= daysInMonth(year, month); d++) cells.push(isoOf(year, month, d));
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** The month before or after. */
export function shiftMonth(year: number, month: number, step: number) {
  const index = year * 12 + (month - 1) + step;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}
