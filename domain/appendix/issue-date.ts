import { isIsoDate, isoDate } from '../calendar.ts';
import type { IsoDate } from '../types.ts';

// A plan's date of issue, as its document writes it: beside the place in the heading ("Phú Thọ, ngày
// 14 tháng 7 năm 2026"), or in the appendix's own title ("Kèm theo Quyết định số 2866/QĐ-UBND ngày
// 14 tháng 10 năm 2021"). The legal bases ("Căn cứ Luật … ngày 19 tháng 6 năm 2015") are never it,
// and a date left blank for the signature ("ngày … tháng … năm 2026") is no date.

const SPELLED = String.raw`ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})`;
const NUMERIC = String.raw`ngày\s+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})`;
/** "Phú Thọ, ngày 14 tháng 7 năm 2026": a place of a few words, a comma, the date. */
const PLACED = new RegExp(String.raw`(?:^|\s)\p{Lu}[\p{L} .'-]{1,60},\s*${SPELLED}`, 'u');
/** "(Kèm theo Kế hoạch số 123/KH-UBND ngày 14 tháng 7 năm 2026 …)". */
const ATTACHED = new RegExp(String.raw`kèm theo\b.{0,120}?(?:${SPELLED}|${NUMERIC})`, 'iu');

function dateOf(day: string, month: string, year: string): IsoDate | undefined {
  const date = isoDate(Number(year), Number(month), Number(day));
  return isIsoDate(date) ? date : undefined;
}

/** The plan's date of issue in the lines before its table, and the line that gives it. */
export function issueDateOf(lines: readonly string[]): { date: IsoDate; text: string } | undefined {
  const candidates = lines.map((line) => line.normalize('NFC')).filter((line) => !/^\s*căn cứ\b/iu.test(line));
  for (const line of candidates) {
    const match = PLACED.exec(line);
    const date = match && dateOf(match[1]!, match[2]!, match[3]!);
    if (date) return { date, text: line.trim() };
  }
  for (const line of candidates) {
    const match = ATTACHED.exec(line);
    if (!match) continue;
    const date = match[1] ? dateOf(match[1], match[2]!, match[3]!) : dateOf(match[4]!, match[5]!, match[6]!);
    if (date) return { date, text: line.trim() };
  }
  return undefined;
}
