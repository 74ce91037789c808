import { isIsoDate, isoDate } from '../calendar.ts';
import { fold } from '../text.ts';
import type { IsoDate } from '../types.ts';
import type { DoneDocument, TaskStatus } from './types.ts';

// A status column ("Tình hình thực hiện", "Kết quả thực hiện") of a plan taken up in the middle of
// its life: "Đã hoàn thành", "Hoàn thành ngày 15/3/2024", "Đã ban hành Kế hoạch số 32/KH-UBND ngày
// 17/01/2023" are done, with the day when the cell gives one; "Đang thực hiện", "Chưa thực hiện" and
// anything else are open. A day is taken only as written: a month is not a day of completion.

const OPEN = /\b(chua|dang|khong|tiep tuc|se)\b/;
const DONE = /\b(da hoan thanh|hoan thanh|da xong|xong|da ban hanh|da thuc hien xong|da trien khai xong|da to chuc)\b/;
const DAY = /(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})/;
/** "Kế hoạch số 32/KH-UBND ngày 17/01/2023": the kind of document, its number and its date. */
const DOCUMENT =
  /(kế hoạch|quyết định|báo cáo|công văn|văn bản|thông báo|nghị quyết|chỉ thị|đề án|hướng dẫn|quy chế|quy định|tờ trình)\s+số\s+(\d+[\p{L}\d/._-]*)(?:\s+ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}))?/iu;

function dayOf(day: string, month: string, year: string): IsoDate | undefined {
  const date = isoDate(Number(year), Number(month), Number(day));
  return isIsoDate(date) ? date : undefined;
}

function documentIn(raw: string): DoneDocument | undefined {
  const match = DOCUMENT.exec(raw);
  if (!match) return undefined;
  const kind = match[1]!;
  const date = match[3] ? dayOf(match[3], match[4]!, match[5]!) : undefined;
  return {
    kind: kind.charAt(0).toLocaleUpperCase('vi') + kind.slice(1).toLocaleLowerCase('vi'),
    number: match[2]!,
    ...(date ? { date } : {}),
  };
}

/** Reads a status cell: done (with its day and document when written) or open. */
export function readStatusCell(raw: string): TaskStatus {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return { state: 'open' };
  const folded = fold(text);
  const document = documentIn(text);
  if (OPEN.test(folded) && !/\bda hoan thanh\b/.test(folded)) return { state: 'open', raw: text };
  if (!DONE.test(folded) && !document) return { state: 'open', raw: text };
  const day = DAY.exec(folded);
  const completedOn = day
    ? day[1]
      ? dayOf(day[1], day[2]!, day[3]!)
      : dayOf(day[4]!, day[5]!, day[6]!)
    : document?.date;
  return {
    state: 'done',
    ...(completedOn ? { completedOn } : {}),
    ...(document ? { document } : {}),
    raw: text,
  };
}
