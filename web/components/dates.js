// @ts-check
// Day-month-year dates as Vietnamese officials write them, whatever the browser's language: pure
// functions (no DOM), so the date input's reading is tested on its own.

/** @param {number} year */
const isLeap = (year) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days in a month (1–12). @param {number} year @param {number} month */
export function daysInMonth(year, month) {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');

/** YYYY-MM-DD for a real calendar day, else null. @param {number} y @param {number} m @param {number} d */
export function isoOf(y, m, d) {
  if (!Number.isInteger(y) || y < 1900 || y > 2200) return null;
  if (!Number.isInteger(m) || m < 1 || m > 12) return null;
  if (!Number.isInteger(d) || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * Reads what a person typed as a day: 5/3/2027, 05/03/2027, 5-3-2027, 5.3.2027 and 5/3/27 are all
 * 5 March 2027 (day first, always; a two-digit year is 20yy); 2027-03-05 (ISO, year first) too.
 * Returns YYYY-MM-DD, or null for anything that is not one real day (31/02/2027, 13/13/2027).
 * @param {string} text
 * @returns {string | null}
 */
export function parseDay(text) {
  const t = text.trim().replace(/\s+/g, '');
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
  if (!dmy) return null;
  const year = dmy[3].length === 2 ? 2000 + Number(dmy[3]) : Number(dmy[3]);
  return isoOf(year, Number(dmy[2]), Number(dmy[1]));
}

/** dd/mm/yyyy for YYYY-MM-DD (empty for nothing). @param {string | null | undefined} iso */
export function showDay(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/**
 * A month's calendar as weeks from Monday (as Vietnamese calendars are printed): each week seven
 * cells, a day's ISO date or null before the first and after the last.
 * @param {number} year @param {number} month 1–12
 * @returns {(string | null)[][]}
 */
export function monthWeeks(year, month) {
  // getUTCDay: 0 = Sunday; Monday first puts Sunday last.
  const first = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  /** @type {(string | null)[]} */
  const cells = Array.from({ length: first }, () => null);
  for (let d = 1; d <= daysInMonth(year, month); d++) cells.push(isoOf(year, month, d));
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** The month before or after. @param {number} year @param {number} month @param {number} step */
export function shiftMonth(year, month, step) {
  const index = year * 12 + (month - 1) + step;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}
