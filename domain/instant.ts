import { isIsoDate, isoDate } from './calendar.ts';
import type { IsoDate } from './types.ts';

// Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 1975, so a fixed offset is exact
// for every date this engine deals with and needs no time-zone database.
const offsetMs = 7 * 3_600_000;
export const zoneOffset = '+07:00';

function assertInstant(instant: Date): void {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
}

/** The instant at `hour`:`minute` local time on `day`. */
export function instantAt(day: IsoDate, hour: number, minute = 0): Date {
  if (!isIsoDate(day)) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(day)}`);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hour, minute) - offsetMs);
}

/** The local calendar day an instant falls on. */
export function localDay(instant: Date): IsoDate {
  assertInstant(instant);
  const local = new Date(instant.getTime() + offsetMs);
  return isoDate(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

/**
 * The instant `text` names (any RFC 3339 offset), written as everything Đôn đốc gives out writes
 * instants: RFC 3339 in UTC, "2026-02-12T01:00:00.000Z". Schedules and workflow state keep
 * Vietnam's offset inside; the doors (API, CLI) speak UTC.
 */
export function utcInstant(text: string): string {
  const instant = new Date(text);
  assertInstant(instant);
  return instant.toISOString();
}

/** An audit entry's details as given out: a timer's instant (`at`, recorded at +07:00) in UTC. */
export function detailsInUtc<T extends Record<string, unknown>>(details: T): T {
  const at = details.at;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? { ...details, at: utcInstant(at) } : details;
}

/** Writes an instant in local time with its offset, e.g. "2026-02-12T08:00:00+07:00"; milliseconds only when not zero. */
export function formatInstant(instant: Date): string {
  assertInstant(instant);
  const local = new Date(instant.getTime() + offsetMs);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const ms = local.getUTCMilliseconds();
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
  return `${localDay(instant)}T${time}${zoneOffset}`;
}
