import { createHash } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, buildCalendar, CalendarDataError, parseCalendarFile, yearOf } from '../domain/calendar.ts';
import type { CalendarFile, WorkingCalendar } from '../domain/calendar.ts';
import { parseHolidayRules, provisionalYears, type HolidayRules } from '../domain/holiday-rules.ts';
import { localDay } from '../domain/instant.ts';
import type { Logger } from './logger.ts';

/** The project's holiday data, found from this module's location so the working directory does not matter. */
export const calendarDataDir = fileURLToPath(new URL('../data/calendar/', import.meta.url));

/** The statutory rules in the calendar directory; every other *.json file is one year's official notice. */
const RULES_FILE = 'rules.json';

async function readJson(file: string): Promise<{ json: unknown; text: string }> {
  const text = await readFile(file, 'utf8');
  try {
    return { json: JSON.parse(text), text };
  } catch (error) {
    throw new CalendarDataError([`${file}: ${(error as Error).message}`]);
  }
}

/** Reads every official notice (*.json but the rules) in `dir`, in name order. */
export async function loadCalendarFiles(dir: string = calendarDataDir): Promise<CalendarFile[]> {
  return (await readNotices(dir)).map((notice) => notice.file);
}

async function readNotices(dir: string): Promise<{ file: CalendarFile; text: string }[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json') && name !== RULES_FILE).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      const { json, text } = await readJson(file);
      return { file: parseCalendarFile(json, file), text };
    }),
  );
}

export interface CalendarData {
  calendar: WorkingCalendar;
  /**
   * A fingerprint of everything the calendar is built from (the notices and the rules): when it
   * changes, running timers are planned again.
   */
  version: string;
}

/**
 * The working calendar of `dir`: its official notices, and the statutory rules (rules.json) for
 * every other year. Without a rules file, years without a notice have weekends only.
 */
export async function loadCalendarData(dir: string = calendarDataDir): Promise<CalendarData> {
  const notices = await readNotices(dir);
  const rulesPath = path.join(dir, RULES_FILE);
  let rules: { parsed: HolidayRules; text: string } | undefined;
  if (
    await access(rulesPath).then(
      () => true,
      () => false,
    )
  ) {
    const { json, text } = await readJson(rulesPath);
    rules = { parsed: parseHolidayRules(json, rulesPath), text };
  }
  const calendar = buildCalendar(
    notices.map((n) => n.file),
    rules ? { provisional: provisionalYears(rules.parsed) } : {},
  );
  const hash = createHash('sha256');
  for (const notice of notices) hash.update(`${notice.file.year}\n${notice.text}\n`);
  hash.update(`rules\n${rules?.text ?? ''}`);
  return { calendar, version: hash.digest('hex').slice(0, 16) };
}

/** The working calendar built from `dir`. */
export async function loadCalendar(dir: string = calendarDataDir): Promise<WorkingCalendar> {
  return (await loadCalendarData(dir)).calendar;
}

/** The provisional years among the days from `now` to `days` days later, for a warning at start. */
export function provisionalYearsAhead(calendar: WorkingCalendar, now: Date, days = 90): number[] {
  const first = yearOf(localDay(now));
  const last = yearOf(addDays(localDay(now), days));
  const years: number[] = [];
  for (let year = first; year <= last; year++) if (calendar.isProvisional(year)) years.push(year);
  return years;
}

/** Logs once, at start, the provisional years of the next 90 days: their days off await a notice. */
export function warnOfProvisionalYears(calendar: WorkingCalendar, logger: Logger, now = new Date()): void {
  const years = provisionalYearsAhead(calendar, now);
  if (years.length > 0)
    logger.warn(
      { years },
      `the days off of ${years.join(', ')} are provisional (computed from the Labour Code's rules); add the official notice to data/calendar/ when it is published`,
    );
}
