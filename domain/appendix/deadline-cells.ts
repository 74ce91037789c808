import { dayOfWeek, isIsoDate } from '../calendar.ts';
import { readDeadlineText, vnDate, type DeadlineContext } from '../deadline.ts';
import type { Deadline, IsoDate } from '../types.ts';

// A deadline cell: read, never guessed; what cannot be read, or falls outside the plan period,
// is left for the coordinator with a warning and a question. What the reader decided beyond the
// written text (a month's end, a count from the signing) is said in the note.

function outsidePeriod(deadline: Deadline, start?: IsoDate, end?: IsoDate): IsoDate | undefined {
  const days = [deadline.start, deadline.due, ...(deadline.milestones ?? [])].filter(
    (d): d is IsoDate => d !== undefined,
  );
  return days.find((day) => (start !== undefined && day < start) || (end !== undefined && day > end));
}

/**
 * A last day that falls on a weekend moves to the next working day (Civil Code art. 148(5), the
 * plans' default policy): said beside the reading. Holidays are the calendar's, known to the schedule.
 */
function weekendNote(deadline: Deadline): string | undefined {
  if ((deadline.kind !== 'date' && deadline.kind !== 'range') || !deadline.due) return undefined;
  const weekday = dayOfWeek(deadline.due);
  if (weekday !== 0 && weekday !== 6) return undefined;
  return `${vnDate(deadline.due)} là ${weekday === 0 ? 'Chủ nhật' : 'thứ Bảy'}: hạn dời sang ngày làm việc tiếp theo`;
}

export interface DeadlineCell {
  deadline: Deadline;
  note?: string;
  warning?: string;
  /** The coordinator must set the day (unresolved), or give the issue date it counts from. */
  question?: 'deadline' | 'issued-on';
}

export function readDeadlineCell(
  raw: string,
  period: { start?: IsoDate; end?: IsoDate },
  context: DeadlineContext = {},
): DeadlineCell {
  // A day the coordinator typed or picked on the page is taken as it is.
  if (isIsoDate(raw.trim())) {
    const due = raw.trim();
    return { deadline: { kind: 'date', due, raw: due } };
  }
  const reading = readDeadlineText(raw, context);
  const { deadline } = reading;
  if (!raw.trim())
    return { deadline, warning: 'Không ghi thời hạn; điều phối viên cần đặt ngày.', question: 'deadline' };
  if (reading.needsIssueDate)
    return {
      deadline,
      warning: `Thời hạn "${raw}" tính từ ngày ban hành kế hoạch; cần ngày ban hành để tính ra ngày.`,
      question: 'issued-on',
    };
  if (deadline.kind === 'unresolved')
    return { deadline, warning: `Không hiểu thời hạn "${raw}"; điều phối viên cần đặt ngày.`, question: 'deadline' };
  const weekend = weekendNote(deadline);
  const note = [reading.note, weekend].filter(Boolean).join('; ');
  const noted = note ? { note } : {};
  const ignored =
    reading.ignored && reading.ignored.length > 0
      ? `Thời hạn "${raw}": lấy hạn ${deadline.due ? vnDate(deadline.due) : 'đọc được'}; phần "${reading.ignored.join('; ')}" không phải thời hạn, chỉ ghi chú.`
      : undefined;
  const outside = outsidePeriod(deadline, period.start, period.end);
  if (!outside) return { deadline, ...noted, ...(ignored ? { warning: ignored } : {}) };
  const span = `${period.start ? vnDate(period.start) : '…'}–${period.end ? vnDate(period.end) : '…'}`;
  const warning = `Thời hạn "${raw}" (${vnDate(outside)}) nằm ngoài thời kỳ của kế hoạch (${span}).`;
  return { deadline, ...noted, warning: ignored ? `${ignored} ${warning}` : warning };
}
