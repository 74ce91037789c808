import { readDeadline } from '../deadline.ts';
import type { Deadline, IsoDate } from '../types.ts';

// A deadline cell: read, never guessed; what cannot be read, or falls outside the plan period,
// is left for the coordinator with a warning.

function vnDate(day: IsoDate): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

function outsidePeriod(deadline: Deadline, start?: IsoDate, end?: IsoDate): IsoDate | undefined {
  const days = [deadline.start, deadline.due, ...(deadline.milestones ?? [])].filter(
    (d): d is IsoDate => d !== undefined,
  );
  return days.find((day) => (start !== undefined && day < start) || (end !== undefined && day > end));
}

export function readDeadlineCell(
  raw: string,
  period: { start?: IsoDate; end?: IsoDate },
): { deadline: Deadline; warning?: string } {
  const deadline = readDeadline(raw);
  if (!raw) return { deadline, warning: 'Không ghi thời hạn; điều phối viên cần đặt ngày.' };
  if (deadline.kind === 'unresolved')
    return { deadline, warning: `Không hiểu thời hạn "${raw}"; điều phối viên cần đặt ngày.` };
  const outside = outsidePeriod(deadline, period.start, period.end);
  if (!outside) return { deadline };
  const span = `${period.start ? vnDate(period.start) : '…'}–${period.end ? vnDate(period.end) : '…'}`;
  return { deadline, warning: `Thời hạn "${raw}" (${vnDate(outside)}) nằm ngoài thời kỳ của kế hoạch (${span}).` };
}
