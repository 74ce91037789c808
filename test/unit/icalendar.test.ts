import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, renderCalendar, type CalendarEvent } from '../../domain/icalendar.ts';

// RFC 5545 without a library: §3.1 (content lines of at most 75 octets, folded with CRLF and one
// space), §3.3.11 (TEXT escaping), §3.6.1 (an event with UID and DTSTAMP), and a small parser of
// our own that reads the feed back.

const octets = (line: string) => Buffer.byteLength(line, 'utf8');

/** Unfolds, splits into content lines and reads each event's properties back, TEXT unescaped. */
function parse(feed: string) {
  expect(feed.endsWith('\r\n')).toBe(true);
  expect(feed.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = feed.replace(/\r\n /g, '').split('\r\n').slice(0, -1);
  const unescape = (value: string) =>
    value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
  const calendar: Record<string, string> = {};
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    const [name, ...params] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1);
    if (name === 'BEGIN' && value === 'VEVENT') current = {};
    else if (name === 'END' && value === 'VEVENT') {
      events.push(current!);
      current = undefined;
    } else if (name !== 'BEGIN' && name !== 'END') {
      const key = [name, ...params].join(';');
      const text = ['SUMMARY', 'DESCRIPTION', 'UID', 'X-WR-CALNAME'].includes(name!) ? unescape(value) : value;
      (current ?? calendar)[key] = text;
    }
  }
  return { calendar, events, lines: feed.split('\r\n') };
}

const events: CalendarEvent[] = [
  {
    uid: 'kh-1:5:UBND-TDG/due@dondoc',
    day: '2026-12-31',
    summary:
      'Hạn hoàn thành: nhiệm vụ số 5 – Rà soát, đơn giản hóa thủ tục hành chính; nội bộ "liên thông" \\ điện tử trên địa bàn huyện Tam Dương',
    description: 'Kế hoạch 2866/QĐ-UBND: Kế hoạch CCHC\nCơ quan chủ trì: UBND huyện Tam Dương',
    url: 'https://dondoc.example.gov.vn/#/nhiem-vu/kh-1%3A5%3AUBND-TDG',
  },
  { uid: 'kh-1:6:SYT/report-2027-Q1@dondoc', day: '2027-03-19', summary: 'Hạn gửi báo cáo quý I/2027: nhiệm vụ số 6' },
];
const now = new Date('2026-12-07T00:17:26.123Z');

describe('the calendar feed, by RFC 5545', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('folds lines at 75 octets, never inside a character, each continuation one space', () => {
    const line = `SUMMARY:${'Đề án cải cách hành chính của Ủy ban nhân dân xã '.repeat(6)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(3);
    for (const physical of folded) expect(octets(physical)).toBeLessThanOrEqual(75);
    for (const continuation of folded.slice(1)) expect(continuation).toMatch(/^ [^ ]|^ $/);
    expect(folded.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(line);
    // Four-byte characters too.
    const emoji = foldLine(`SUMMARY:${'📅'.repeat(40)}`).split('\r\n');
    for (const physical of emoji) expect(octets(physical)).toBeLessThanOrEqual(75);
    expect(emoji.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(`SUMMARY:${'📅'.repeat(40)}`);
  });

  it('writes a calendar of all-day events whose every line is CRLF-terminated and at most 75 octets', () => {
    const feed = renderCalendar({ name: 'Đôn đốc – lịch công việc, Sở Y tế', events, now });
    const { calendar, lines } = parse(feed);
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(calendar).toMatchObject({ VERSION: '2.0', 'X-WR-CALNAME': 'Đôn đốc – lịch công việc, Sở Y tế' });
    expect(calendar.PRODID).toBeDefined();
  });

  it('reads back what it was given', () => {
    const { events: read } = parse(renderCalendar({ name: 'x', events, now }));
    expect(read).toHaveLength(2);
    expect(read[0]).toEqual({
      UID: events[0]!.uid,
      DTSTAMP: '20261207T001726Z',
      'DTSTART;VALUE=DATE': '20261231',
      'DTEND;VALUE=DATE': '20270101',
      SUMMARY: events[0]!.summary,
      DESCRIPTION: events[0]!.description,
      URL: events[0]!.url,
      TRANSP: 'TRANSPARENT',
    });
    expect(read[1]).toMatchObject({
      UID: events[1]!.uid,
      'DTSTART;VALUE=DATE': '20270319',
      'DTEND;VALUE=DATE': '20270320',
      SUMMARY: events[1]!.summary,
    });
  });
});
