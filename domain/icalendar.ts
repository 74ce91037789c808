import { addDays } from './calendar.ts';
import type { IsoDate } from './types.ts';

// A calendar feed (iCalendar, RFC 5545) of a person's deadlines and report due days, for Outlook,
// Google Calendar or a phone to subscribe to. Pure: the events and the instant are given.

/** One all-day event. */
export interface CalendarEvent {
  /** Stable across feeds, so a calendar updates the event when its day moves instead of adding one. */
  uid: string;
  day: IsoDate;
  summary: string;
  description?: string;
  /** The page where the person acts. */
  url?: string;
}

const CRLF = '\r\n';
/** RFC 5545 §3.1: a content line is at most 75 octets, its line break excluded. */
const MAX_OCTETS = 75;

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks as \n. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const utf8Length = (char: string) => {
  const code = char.codePointAt(0)!;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
};

/**
 * A content line folded at 75 octets (RFC 5545 §3.1): each continuation starts with one space,
 * and a character's UTF-8 bytes are never split between two lines.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char);
    // A continuation's leading space counts toward its 75 octets.
    const room = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > room) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** 20261207T001700Z */
function utcStamp(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const dateValue = (day: IsoDate) => day.replace(/-/g, '');

/** The whole feed, CRLF line breaks, every line folded; events in the order given. */
export function renderCalendar(input: { name: string; events: readonly CalendarEvent[]; now: Date }): string {
  const stamp = utcStamp(input.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Don doc//Lich cong viec//VI',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
    'X-WR-TIMEZONE:Asia/Ho_Chi_Minh',
    // Clients that honour it look again every hour: a moved deadline shows up the same day.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const event of input.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${dateValue(event.day)}`,
      // All-day: the end is the next day, not included.
      `DTEND;VALUE=DATE:${dateValue(addDays(event.day, 1))}`,
      `SUMMARY:${escapeText(event.summary)}`,
      ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
      // A URI value is not TEXT: no escaping, but never a line break.
      ...(event.url ? [`URL:${event.url.replace(/[\r\n]/g, '')}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
