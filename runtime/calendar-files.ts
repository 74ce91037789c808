import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCalendar, CalendarDataError, parseCalendarFile } from '../domain/calendar.ts';
import type { CalendarFile, WorkingCalendar } from '../domain/calendar.ts';

/** The project's holiday data, found from this module's location so the working directory does not matter. */
export const calendarDataDir = fileURLToPath(new URL('../data/calendar/', import.meta.url));

/** Reads every *.json file in `dir` (one per year), in name order. */
export async function loadCalendarFiles(dir: string = calendarDataDir): Promise<CalendarFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new CalendarDataError([`${file}: ${(error as Error).message}`]);
      }
      return parseCalendarFile(json, file);
    }),
  );
}

/** The working calendar built from every file in `dir`. */
export async function loadCalendar(dir: string = calendarDataDir): Promise<WorkingCalendar> {
  return buildCalendar(await loadCalendarFiles(dir));
}
