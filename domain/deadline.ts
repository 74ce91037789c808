/**
 * Reads the loose deadline text of an appendix row into a {@link Deadline}.
 *
 * One item is one of:
 * - a year ("2021", "Năm 2021"), a half year ("6 tháng đầu năm 2022"), a quarter ("Quý IV/2025",
 *   "Quí II năm 2022", "quý 3-2024"), a month ("Tháng 06/2026", "T6/2022") or a day ("30/6/2022",
 *   "ngày 30 tháng 6 năm 2022"). Its last permissible day is the period's last day; after "trước"
 *   (before) it is the day before the period starts ("trước ngày 30/6/2022" → 2022-06-29,
 *   "trước năm 2025" → 2024-12-31). "đến", "chậm nhất", "trong", "vào", "hoàn thành" change nothing.
 * - a range of two such periods joined by a dash or "đến" ("2021 - 2025", "Quý IV/2025 - Quý II/2026",
 *   "Từ tháng 3 đến tháng 6/2022"). A left end without a year takes the right end's year when both
 *   are the same unit ("Quý I - Quý III/2024"); a bare right end takes the left end's unit
 *   ("Tháng 3-6/2022"). A reversed range, or text that splits into two different ranges, is not read.
 * - "hằng năm"/"hàng năm"/"mỗi năm", alone or anchored by a period without a year ("Quý IV hằng năm"
 *   → month 12; "trước ngày 15/12 hằng năm" → 14 December). The anchor may also stand in its own list
 *   item next to a bare "hằng năm" ("Hằng năm (trước ngày 15/12)").
 * - "thường xuyên"/"liên tục": continuous.
 *
 * Items are listed with ",", ";", "và" or parentheses, and combine as follows:
 * - Continuous adds no due day, so it only stands when nothing else is listed.
 * - Any recurring item makes the reading recurring. Dated items beside it must be whole years or
 *   ranges of whole years ("2021 và hằng năm", "2021-2022, hằng năm"): the earliest one gives the
 *   first cycle as `start`, and the cycles carry the dues. A quarter, month or day beside a yearly
 *   cycle could move the first cycle's due or be a separate one-off, so it is left unresolved.
 *   Several recurring items must agree; a bare "hằng năm" yields to an anchored one.
 * - Otherwise the reading is a range when any item is a range (start = the earliest range start),
 *   else a date; `due` is the latest last day, and `milestones` lists every distinct last day in
 *   order when there is more than one.
 * - A bare year after a quarter, month or day ("Quý 4/2021, 2023") may mean that quarter of the other
 *   year, so it is not read.
 * - a bare month and year ("6/2025", "06/2025", "6-2025"): the month's last day; a day whose year has
 *   two digits ("12/5/26", "30/6/26") is read as 20yy.
 * - a span counted from the plan's signing ("90 ngày kể từ ngày ban hành Kế hoạch", "trong vòng 30 ngày",
 *   "sau 3 tháng kể từ ngày ký"): that many days, weeks or months after the issue date given in the
 *   context; without one the reading is unresolved and says it needs the issue date. Working days, or a
 *   span counted from anything but the plan's own signing, are left unresolved.
 * - a composite cell whose other parts are prose, not dates ("31/03/2026 (đề nghị thường xuyên)",
 *   "Quý I/2026; báo cáo hằng tháng"): the parts read as above, the rest kept as a note (`ignored`).
 * Anything else, including any single item not understood, is `unresolved`: never a guess.
 *
 * `readDeadlineText` also says, in Vietnamese, what the reader decided that the cell does not write
 * literally (a month's end, a year read from two digits, a count from the issue date): its `note`.
 */
import { addDays, daysInMonth, isoDate } from './calendar.ts';
import { fold } from './text.ts';
import type { Deadline, IsoDate, Recurrence } from './types.ts';

/** What a deadline is counted from when the cell counts from the plan's signing. */
export interface DeadlineContext {
  /** The plan's issue date (the date it was signed). */
  issuedOn?: IsoDate;
}

/** A deadline cell as read, with what the reader decided and what it left aside. */
export interface DeadlineReading {
  deadline: Deadline;
  /** What the reader decided that the cell does not write literally, in Vietnamese ("cuối tháng 6/2025 → 30/06/2025"). */
  note?: string;
  /** The cell counts from the plan's issue date, which the context does not give. */
  needsIssueDate?: boolean;
  /** Parts of a composite cell that are not a deadline ("báo cáo hằng tháng"), as written. */
  ignored?: string[];
}

/** Reads one deadline cell; `raw` in the result is `raw` exactly as given. */
export function readDeadline(raw: string, context: DeadlineContext = {}): Deadline {
  return readDeadlineText(raw, context).deadline;
}

/** Reads one deadline cell and says what it decided (see the module's comment). */
export function readDeadlineText(raw: string, context: DeadlineContext = {}): DeadlineReading {
  const written = splitParts(raw);
  const items: Item[] = [];
  const read: { item: Item; part: string }[] = [];
  const ignored: string[] = [];
  let needsIssueDate = false;
  for (const part of written) {
    const text = normalize(part)
      .replace(/^[\s.:+•*-]+|[\s.:!]+$/g, '')
      .trim();
    if (text === '') continue;
    const item = readItem(text, context);
    if (item?.type === 'relative') {
      needsIssueDate = true;
      continue;
    }
    if (!item) {
      ignored.push(squishPart(part));
      continue;
    }
    const previous = items.at(-1);
    if (/^\d{4}$/.test(text) && previous?.type === 'span' && !previous.wholeYears) return { deadline: unresolved(raw) };
    items.push(item);
    read.push({ item, part: text });
  }
  if (needsIssueDate && items.length === 0 && ignored.every(isProse)) {
    return { deadline: unresolved(raw), needsIssueDate: true };
  }
  if (needsIssueDate) return { deadline: unresolved(raw) };
  // A part not understood leaves the whole cell unresolved, unless it is prose beside a reading.
  if (ignored.length > 0 && (items.length === 0 || !ignored.every(isProse))) return { deadline: unresolved(raw) };
  const deadline = combine(items, raw);
  if (deadline.kind === 'unresolved') return { deadline };
  const notes = read.flatMap(({ item }) => ('note' in item && item.note ? [item.note] : []));
  if (deadline.kind === 'recurring' && deadline.recurrence) notes.push(recurrenceNote(deadline.recurrence));
  if (ignored.length > 0) notes.push(`phần "${ignored.join('; ')}" không phải thời hạn, chỉ ghi chú`);
  return {
    deadline,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    ...(ignored.length > 0 ? { ignored } : {}),
  };
}

const unresolved = (raw: string): Deadline => ({ kind: 'unresolved', raw });

/**
 * The parts of a cell as written, cut where the folded text is cut into items: at commas,
 * semicolons, brackets and "và". A count from the signing keeps its comma ("30 ngày, kể từ …").
 */
function splitParts(raw: string): string[] {
  return raw
    .normalize('NFC')
    .replace(/,\s*(kể từ|tính từ|ke tu|tinh tu)/giu, ' $1')
    .split(/[,;()]|\s(?:và|va)\s/iu);
}

function squishPart(part: string): string {
  return part
    .replace(/\s+/g, ' ')
    .replace(/^[\s.:+•*-]+|[\s.:!]+$/g, '')
    .trim();
}

/** A part that names no date: no four-digit year and no day or month written with digits. */
function isProse(part: string): boolean {
  return (
    !/\d{4}/.test(part) &&
    !/\d{1,2}\s*[/.-]\s*\d{1,2}/.test(part) &&
    !/\d+\s*(ngày|tháng|tuần|ngay|thang|tuan)/iu.test(part)
  );
}

/**
 * The due day of a recurring deadline's cycle in `year`. An absent month means December and an
 * absent day the month's last day; a day past the month's end (29 February in a common year) falls
 * on the month's last day.
 */
export function recurrenceDue(recurrence: Recurrence, year: number): IsoDate {
  const month = recurrence.month ?? 12;
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`not a month: ${month}`);
  const last = daysInMonth(year, month);
  const day = recurrence.day ?? last;
  if (!Number.isInteger(day) || day < 1 || day > 31) throw new RangeError(`not a day of the month: ${day}`);
  return isoDate(year, month, Math.min(day, last));
}

type Item =
  | { type: 'span'; start: IsoDate; due: IsoDate; range: boolean; wholeYears: boolean; note?: string }
  /** A count from the plan's signing, whose date is not known. */
  | { type: 'relative' }
  | { type: 'recurring'; recurrence: Recurrence }
  /** A period with no year ("Quý IV", "trước ngày 15/12"): only meaningful beside "hằng năm". */
  | { type: 'anchor'; recurrence: Recurrence }
  | { type: 'continuous' };

interface Period {
  start: IsoDate;
  end: IsoDate;
}

type Unit = 'year' | 'half' | 'quarter' | 'month' | 'day';

interface Term {
  unit: Unit;
  /** How the period is named in a note: "năm 2025", "quý IV/2025", "tháng 6/2025", "ngày 30/06/2022". */
  label: string;
  /** The two digits written for the year ("26"), when the text gives only two. */
  shortYear?: string;
  /** Absent when the text names no year ("Quý IV", "15/12"). */
  year?: number;
  /** The period in a given year; undefined when it does not exist that year (29/2/2023). */
  within(year: number): Period | undefined;
}

/** Yearless days are checked against a leap year so that "29/2 hằng năm" is a real day. */
const referenceLeapYear = 2024;
const firstYear = 1900;
const lastYear = 2199;

function normalize(raw: string): string {
  return fold(raw)
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s*([/-])\s*/g, '$1');
}

function readItem(text: string, context: DeadlineContext): Item | undefined {
  if (/^(?:(?:sau do|tiep tuc|va) )?(thuong xuyen|lien tuc|thuong xuyen lien tuc)$/.test(text))
    return { type: 'continuous' };
  const relative = readRelative(text, context);
  if (relative !== undefined) return relative ?? undefined;
  const words = text.split(' ');
  const cycle = words.findIndex((word, i) => (word === 'hang' || word === 'moi') && words[i + 1] === 'nam');
  if (cycle >= 0) return readRecurring(words.slice(0, cycle), words.slice(cycle + 2));
  return readPoint(text) ?? readRange(text);
}

function readRecurring(before: string[], after: string[]): Item | undefined {
  // "Định kỳ" (periodically) and "thường xuyên" (ongoing) add nothing to a yearly cycle.
  const lead = before.join(' ');
  if (lead === 'dinh ky' || lead === 'thuong xuyen') before = [];
  if (before.length > 0 && after.length > 0) return undefined;
  const anchorText = [...before, ...after].join(' ');
  if (anchorText === '') return { type: 'recurring', recurrence: { every: 'year' } };
  const anchor = readPoint(anchorText);
  return anchor?.type === 'anchor' ? { type: 'recurring', recurrence: anchor.recurrence } : undefined;
}

/** Words before a period that say when within it the work is due. */
const qualifiers = [
  'hoan thanh',
  'thoi han',
  'cham nhat la',
  'cham nhat',
  'den het',
  'den',
  'trong',
  'vao',
  'het',
  'cuoi',
  'truoc',
];

function readPoint(text: string): Item | undefined {
  let rest = text;
  let before = false;
  for (let stripped = true; stripped;) {
    stripped = false;
    for (const qualifier of qualifiers) {
      if (rest.startsWith(`${qualifier} `)) {
        rest = rest.slice(qualifier.length + 1);
        before ||= qualifier === 'truoc';
        stripped = true;
      }
    }
  }
  const term = parseTerm(rest);
  if (!term) return undefined;
  const period = term.within(term.year ?? referenceLeapYear);
  if (!period) return undefined;
  const due = before ? addDays(period.start, -1) : period.end;
  if (term.year === undefined) return { type: 'anchor', recurrence: recurrenceOn(due) };
  return {
    type: 'span',
    start: period.start,
    due,
    range: false,
    wholeYears: term.unit === 'year' && !before,
    ...pointNote(term, before, due),
  };
}

/** What a point's reading decided beyond what it writes: the period's end, the day before, the century. */
function pointNote(term: Term, before: boolean, due: IsoDate): { note?: string } {
  if (before) return { note: `trước ${term.label}: hạn chót ${vnDate(due)}` };
  if (term.unit !== 'day') return { note: `cuối ${term.label} → ${vnDate(due)}` };
  if (term.shortYear) return { note: `năm "${term.shortYear}" đọc là ${term.year} → ${vnDate(due)}` };
  return {};
}

/** dd/mm/yyyy, as plans write dates. */
export function vnDate(day: IsoDate): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

function recurrenceNote(recurrence: Recurrence): string {
  const due = recurrenceDue(recurrence, referenceLeapYear).slice(5);
  const [m, d] = due.split('-');
  return recurrence.month === undefined ? 'hằng năm: hạn 31/12 mỗi năm' : `hằng năm: hạn ${d}/${m} mỗi năm`;
}

const relativePattern =
  /^(?:(?:hoan thanh|thuc hien|thoi han|cham nhat) )?(?:(?:trong vong|trong thoi han|trong thoi gian|trong|sau|khong qua|toi da) )?(\d{1,4}) (ngay lam viec|ngay|tuan|thang)(?: (?:ke tu|tinh tu|tu|sau) (.*))?$/;
/** What a count may start from for it to be the plan's signing. */
const signing = /\b(ban hanh|ky|phe duyet)\b/;

/**
 * A count from the plan's signing: a span ending that many days, weeks or months after the issue
 * date; `{ type: 'relative' }` when the issue date is not known; null for a count that cannot be
 * read (working days, a count from another event); undefined when the text is no count at all.
 */
function readRelative(text: string, context: DeadlineContext): Item | { type: 'relative' } | null | undefined {
  const match = relativePattern.exec(text);
  if (!match) return undefined;
  const [, digits, unit, from] = match;
  if (unit === 'ngay lam viec') return null;
  if (from !== undefined && !signing.test(from.replace(/^(?:ngay|khi) /, ''))) return null;
  const n = Number(digits);
  if (n <= 0) return null;
  if (!context.issuedOn) return { type: 'relative' };
  const due =
    unit === 'thang' ? addMonths(context.issuedOn, n) : addDays(context.issuedOn, unit === 'tuan' ? 7 * n : n);
  const what = unit === 'thang' ? 'tháng' : unit === 'tuan' ? 'tuần' : 'ngày';
  return {
    type: 'span',
    start: context.issuedOn,
    due,
    range: false,
    wholeYears: false,
    note: `${n} ${what} kể từ ngày ban hành (${vnDate(context.issuedOn)}) → ${vnDate(due)}`,
  };
}

/** `day` moved by `n` months, on the same day of the month or the month's last day. */
function addMonths(day: IsoDate, n: number): IsoDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return isoDate(year, month, Math.min(d, daysInMonth(year, month)));
}

/** The yearly recurrence due on `due`'s month and day; a month's last day is left implicit so February works in every year. */
function recurrenceOn(due: IsoDate): Recurrence {
  const month = Number(due.slice(5, 7));
  const day = Number(due.slice(8, 10));
  return day === daysInMonth(referenceLeapYear, month) ? { every: 'year', month } : { every: 'year', month, day };
}

function readRange(text: string): Item | undefined {
  const body = text.replace(/^(?:(?:tu|trong|giai doan|gd) )+/, '');
  const readings = new Map<string, Item>();
  for (const separator of body.matchAll(/-| den /g)) {
    const item = rangeOf(body.slice(0, separator.index), body.slice(separator.index + separator[0].length));
    if (item?.type === 'span') readings.set(`${item.start}/${item.due}`, item);
  }
  return readings.size === 1 ? [...readings.values()][0] : undefined;
}

function rangeOf(leftText: string, rightText: string): Item | undefined {
  const left = parseTerm(leftText);
  if (!left) return undefined;
  const unitWord = left.unit === 'quarter' ? 'quy ' : left.unit === 'month' ? 'thang ' : undefined;
  const right =
    parseTerm(rightText) ?? (unitWord && /^[\div]/.test(rightText) ? parseTerm(unitWord + rightText) : undefined);
  if (right?.year === undefined) return undefined;
  const leftYear = left.year ?? (left.unit === right.unit ? right.year : undefined);
  if (leftYear === undefined) return undefined;
  const from = left.within(leftYear);
  const to = right.within(right.year);
  if (!from || !to || from.start > to.start || from.end > to.end) return undefined;
  const literal = left.unit === 'day' && right.unit === 'day' && !left.shortYear && !right.shortYear;
  return {
    type: 'span',
    start: from.start,
    due: to.end,
    range: true,
    wholeYears: left.unit === 'year' && right.unit === 'year',
    ...(literal ? {} : { note: `từ ${vnDate(from.start)} đến ${vnDate(to.end)}` }),
  };
}

const yearPattern = /^(?:nam )?(\d{4})$/;
const halfPattern = /^6 thang (dau|cuoi) nam (\d{4})$/;
const quarterPattern = /^(?:quy|qui|q) ?(0?[1-4]|iv|iii|ii|i)(?:(?:\/|-| nam | )(\d{4}))?$/;
const monthPattern = /^(?:thang|t) ?(0?[1-9]|1[0-2])(?:(?:\/|-| nam | )(\d{4}))?$/;
/** "6/2025", "06/2025", "6-2025": a month, never a day (a day's month has at most two digits). */
const bareMonthPattern = /^(0?[1-9]|1[0-2])[/.-](\d{4})$/;
const dayPattern = /^(?:ngay )?(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?$/;
const spelledDayPattern = /^(?:ngay )?(\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?$/;
const romanQuarters: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const quarterNames = ['', 'I', 'II', 'III', 'IV'];
const withYear = (text: string, year: number | undefined) => (year === undefined ? text : `${text}/${year}`);

function parseTerm(text: string): Term | undefined {
  let match: RegExpExecArray | null;
  let term: Term | undefined;
  if ((match = yearPattern.exec(text))) {
    const year = Number(match[1]);
    term = { unit: 'year', label: `năm ${year}`, year, within: (y) => monthsOf(y, 1, 12) };
  } else if ((match = halfPattern.exec(text))) {
    const first = match[1] === 'dau' ? 1 : 7;
    const year = Number(match[2]);
    const label = `6 tháng ${first === 1 ? 'đầu' : 'cuối'} năm ${year}`;
    term = { unit: 'half', label, year, within: (y) => monthsOf(y, first, first + 5) };
  } else if ((match = quarterPattern.exec(text))) {
    const quarter = romanQuarters[match[1]!] ?? Number(match[1]);
    const year = yearOf(match[2]);
    const label = withYear(`quý ${quarterNames[quarter]}`, year);
    term = { unit: 'quarter', label, year, within: (y) => monthsOf(y, quarter * 3 - 2, quarter * 3) };
  } else if ((match = monthPattern.exec(text) ?? bareMonthPattern.exec(text))) {
    const month = Number(match[1]);
    const year = yearOf(match[2]);
    term = { unit: 'month', label: withYear(`tháng ${month}`, year), year, within: (y) => monthsOf(y, month, month) };
  } else if ((match = dayPattern.exec(text))) {
    term = dayTerm(match[1]!, match[3]!, match[4]);
  } else if ((match = spelledDayPattern.exec(text))) {
    term = dayTerm(match[1]!, match[2]!, match[3]);
  }
  if (!term || (term.year !== undefined && (term.year < firstYear || term.year > lastYear))) return undefined;
  if (term.year === undefined && !term.within(referenceLeapYear)) return undefined;
  return term;
}

function dayTerm(day: string, month: string, year: string | undefined): Term {
  const full = yearOf(year);
  const label = `ngày ${day.padStart(2, '0')}/${month.padStart(2, '0')}${full === undefined ? '' : `/${full}`}`;
  return {
    unit: 'day',
    label,
    year: full,
    ...(year?.length === 2 ? { shortYear: year } : {}),
    within: (y) => dayOf(y, Number(month), Number(day)),
  };
}

/** A year as written; two digits are this century's ("26" → 2026), as plans of 2025–2026 write them. */
function yearOf(digits: string | undefined): number | undefined {
  if (digits === undefined) return undefined;
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

function monthsOf(year: number, first: number, last: number): Period {
  return { start: isoDate(year, first, 1), end: isoDate(year, last, daysInMonth(year, last)) };
}

function dayOf(year: number, month: number, day: number): Period | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const date = isoDate(year, month, day);
  return { start: date, end: date };
}

function combine(items: readonly Item[], raw: string): Deadline {
  if (items.length === 0) return { kind: 'unresolved', raw };
  const dated = items.filter((item) => item.type !== 'continuous');
  if (dated.length === 0) return { kind: 'continuous', raw };

  const spans = dated.filter((item) => item.type === 'span');
  const anchors = dated.filter((item) => item.type === 'anchor');
  let cycles = dated.filter((item) => item.type === 'recurring').map((item) => item.recurrence);
  if (anchors.length > 0) {
    // A lone anchor completes a bare "hằng năm" listed beside it; anything more is ambiguous.
    if (anchors.length > 1 || cycles.length === 0 || cycles.some((cycle) => cycle.month !== undefined))
      return { kind: 'unresolved', raw };
    cycles = [anchors[0]!.recurrence];
  }

  if (cycles.length > 0) {
    const anchored = cycles.filter((cycle) => cycle.month !== undefined);
    const distinct = new Map(
      (anchored.length > 0 ? anchored : cycles).map((cycle) => [`${cycle.month}/${cycle.day}`, cycle]),
    );
    if (distinct.size > 1 || spans.some((span) => !span.wholeYears)) return { kind: 'unresolved', raw };
    const recurrence = [...distinct.values()][0]!;
    const start = earliest(spans.map((span) => span.start));
    return start === undefined ? { kind: 'recurring', recurrence, raw } : { kind: 'recurring', start, recurrence, raw };
  }

  if (spans.length === 1 && !spans[0]!.range) return { kind: 'date', due: spans[0]!.due, raw };
  const dues = [...new Set(spans.map((span) => span.due))].sort();
  const due = dues.at(-1)!;
  const start = earliest(spans.filter((span) => span.range).map((span) => span.start));
  const reading: Deadline = start === undefined ? { kind: 'date', due, raw } : { kind: 'range', start, due, raw };
  return dues.length > 1 ? { ...reading, milestones: dues } : reading;
}

function earliest(days: readonly IsoDate[]): IsoDate | undefined {
  return [...days].sort()[0];
}
