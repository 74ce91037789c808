import { readFile } from 'node:fs/promises';
import { dayOfWeek, daysInMonth, isIsoDate, isoDate, yearOf } from '../../domain/calendar.ts';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import { resolvePolicy } from '../../domain/policy.ts';
import type { PlanPolicy } from '../../domain/policy.ts';
import { computeSchedule, instantAt, localDay } from '../../domain/schedule.ts';
import { utcInstant } from '../../domain/instant.ts';
import type { PlanPeriod, Schedule, ScheduleEvent } from '../../domain/schedule.ts';
import type { Deadline, IsoDate } from '../../domain/types.ts';
import { calendarDataDir, loadCalendar } from '../../runtime/calendar-files.ts';
import { parseOptions, runCommand, UsageError } from '../errors.ts';
import { writeErr, writeOut } from '../output.ts';

// `dondoc schedule`: shows every upcoming timer of one assignment, so a coordinator can check a
// plan's policy against the calendar before any workflow runs.

const usage = `cách dùng: dondoc schedule (--due YYYY-MM-DD | --continuous) [tùy chọn]

  --due YYYY-MM-DD       ngày cuối cùng được phép (trước khi dời sang ngày làm việc)
  --continuous           không có hạn, chỉ có báo cáo định kỳ ("Thường xuyên")
  --start YYYY-MM-DD     ngày bắt đầu thực hiện (thời hạn là một khoảng); với --recurring và
                         --continuous: ngày bắt đầu của kỳ kế hoạch
  --recurring yearly     mỗi năm một chu kỳ, hạn vào ngày và tháng của --due
  --from YYYY-MM-DD      liệt kê các mốc từ đầu ngày này (mặc định: hôm nay)
  --until YYYY-MM-DD     ngày kết thúc kỳ kế hoạch (mặc định: --due với thời hạn một ngày;
                         31/12 của năm thứ năm, kế hoạch 5 năm, với --recurring và
                         --continuous, tính từ năm của --due hoặc --from)
  --assigned YYYY-MM-DD  ngày giao nhiệm vụ (mặc định: --from)
  --acknowledged         cơ quan chủ trì đã xác nhận tiếp nhận: không đề nghị tiếp nhận nữa
  --policy TỆP           đối tượng JSON thay các trường của chính sách mặc định của kế hoạch
  --json                 in JSON thay cho bảng (thời điểm theo RFC 3339, giờ UTC, đuôi "Z")

  Bảng in ngày và giờ Việt Nam (UTC+7).
  mã thoát: 0 xong, 1 không đọc được lịch làm việc, 2 sai cách dùng
`;

const options = {
  due: { type: 'string' },
  continuous: { type: 'boolean' },
  start: { type: 'string' },
  recurring: { type: 'string' },
  from: { type: 'string' },
  until: { type: 'string' },
  assigned: { type: 'string' },
  acknowledged: { type: 'boolean' },
  policy: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function run(args: string[]): Promise<number> {
  return runCommand('schedule', usage, () => schedule(args));
}

async function schedule(args: string[]): Promise<number> {
  const { values } = parseOptions({ args, options, strict: true, allowPositionals: false });
  if (values.help) {
    writeOut(usage);
    return 0;
  }

  for (const name of ['due', 'start', 'from', 'until', 'assigned'] as const) {
    const value = values[name];
    if (value !== undefined && !isIsoDate(value))
      throw new UsageError(`--${name}: cần ngày dạng YYYY-MM-DD, không phải "${value}"`);
  }
  if (values.recurring !== undefined && values.recurring !== 'yearly') {
    throw new UsageError(`--recurring: chỉ nhận "yearly", không phải "${values.recurring}"`);
  }
  if ((values.due === undefined) === (values.continuous !== true)) {
    throw new UsageError(
      values.continuous ? '--continuous: không dùng cùng --due' : '--due: bắt buộc (hoặc --continuous)',
    );
  }
  if (values.continuous && values.recurring !== undefined)
    throw new UsageError('--recurring: không dùng cùng --continuous');

  const from = values.from ?? localDay(new Date());
  const { deadline, planPeriod } = readDeadline(values, from);

  const policy = values.policy === undefined ? resolvePolicyOrThrow(undefined, '') : await readPolicy(values.policy);
  let calendar: WorkingCalendar;
  try {
    calendar = await loadCalendar();
  } catch (error) {
    writeErr(`dondoc schedule: không đọc được lịch làm việc trong ${calendarDataDir}: ${(error as Error).message}\n`);
    return 1;
  }

  const result = computeSchedule({
    deadline,
    planPeriod,
    policy,
    calendar,
    // Events are listed from the start of the --from day, so its 08:00 timers are still shown.
    now: instantAt(from, 0),
    ...(values.assigned !== undefined ? { assignedAt: instantAt(values.assigned, 0) } : {}),
    acknowledged: values.acknowledged === true,
  });

  const provisional = provisionalYearsUsed(result, from, calendar);
  writeOut(
    values.json
      ? `${JSON.stringify({ ...result, events: result.events.map(inUtc), provisional }, null, 2)}\n`
      : table(result, deadline, calendar) +
          (provisional.length > 0
            ? `Lưu ý: ngày nghỉ của năm ${provisional.join(', ')} là tạm tính theo Bộ luật Lao động, cho đến khi thông báo chính thức được thêm vào ${calendarDataDir}\n`
            : ''),
  );
  return 0;
}

/** Instants for programs are RFC 3339 in UTC, like the API's; the table shows Vietnam's clock. */
function inUtc(event: ScheduleEvent): ScheduleEvent {
  return { ...event, at: utcInstant(event.at) };
}

function readDeadline(
  values: { due?: string; continuous?: boolean; start?: string; recurring?: string; until?: string },
  from: IsoDate,
): { deadline: Deadline; planPeriod: PlanPeriod } {
  const fiveYearsFrom = (year: number): IsoDate => isoDate(year + 4, 12, 31);
  let deadline: Deadline;
  let planPeriod: PlanPeriod;
  if (values.continuous) {
    deadline = { kind: 'continuous', raw: 'Thường xuyên' };
    planPeriod = { start: values.start ?? from, end: values.until ?? fiveYearsFrom(yearOf(from)) };
  } else if (values.recurring) {
    const due = values.due as IsoDate;
    const [year, month, day] = due.split('-').map(Number) as [number, number, number];
    // A due on a month's last day recurs on the last day (28 or 29 Feb alike).
    const recurrence =
      day === daysInMonth(year, month) ? { every: 'year' as const, month } : { every: 'year' as const, month, day };
    deadline = { kind: 'recurring', recurrence, raw: 'Hằng năm' };
    planPeriod = { start: values.start ?? isoDate(year, 1, 1), end: values.until ?? fiveYearsFrom(year) };
  } else {
    const due = values.due as IsoDate;
    if (values.start !== undefined && values.start > due)
      throw new UsageError(`--start: ${values.start} sau --due ${due}`);
    if (values.until !== undefined && values.until < due)
      throw new UsageError(`--until: ${values.until} trước --due ${due}`);
    deadline =
      values.start !== undefined
        ? { kind: 'range', start: values.start, due, raw: `${values.start} – ${due}` }
        : { kind: 'date', due, raw: due };
    planPeriod = { start: values.start ?? (from < due ? from : due), end: values.until ?? due };
  }
  if (planPeriod.start > planPeriod.end)
    throw new UsageError(`--until: kỳ kế hoạch ${planPeriod.start} – ${planPeriod.end} kết thúc trước khi bắt đầu`);
  return { deadline, planPeriod };
}

async function readPolicy(file: string): Promise<PlanPolicy> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--policy: không đọc được ${file}: ${(error as Error).message}`);
  }
  return resolvePolicyOrThrow(json, file);
}

function resolvePolicyOrThrow(json: unknown, file: string): PlanPolicy {
  const resolved = resolvePolicy(json);
  if ('policy' in resolved) return resolved.policy;
  const lines = resolved.errors.map((e) => `  ${e.field || '(chính sách)'}: ${e.message}`);
  throw new UsageError(`--policy: ${file} không phải chính sách hợp lệ:\n${lines.join('\n')}`);
}

/** The years the schedule's days fall in whose holidays come from the statutory rules, not a notice. */
function provisionalYearsUsed(result: Schedule, from: IsoDate, calendar: WorkingCalendar): number[] {
  const days = [
    from,
    ...(result.effectiveDue ? [result.effectiveDue] : []),
    ...result.events.map((e) => e.at.slice(0, 10)),
  ];
  return [...new Set(days.map(yearOf))].filter((year) => calendar.isProvisional(year)).sort((a, b) => a - b);
}

const weekdays = ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'] as const;

function table(result: Schedule, deadline: Deadline, calendar: WorkingCalendar): string {
  const lines: string[] = [];
  const due = result.cycle?.due ?? deadline.due;
  if (result.effectiveDue && due) {
    const holiday = calendar.holidayName(due);
    const why =
      result.effectiveDue !== due ? ` (dời từ ${weekdays[dayOfWeek(due)]} ${due}${holiday ? `, ${holiday}` : ''})` : '';
    const cycle = result.cycle ? `chu kỳ ${result.cycle.year}: ` : '';
    lines.push(`${cycle}hạn ${weekdays[dayOfWeek(result.effectiveDue)]} ${result.effectiveDue}${why}`);
  } else {
    lines.push(deadline.kind === 'continuous' ? 'thường xuyên: không có hạn, chỉ có báo cáo định kỳ' : 'không có hạn');
  }
  if (result.events.length === 0) {
    lines.push('không còn mốc nào sắp tới');
  } else {
    lines.push('');
    for (const event of result.events) {
      const day = event.at.slice(0, 10);
      lines.push(`${weekdays[dayOfWeek(day)]} ${day} ${event.at.slice(11, 16)}  ${describe(event)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function describe(event: ScheduleEvent): string {
  const days = (n: number): string => `${n} ngày làm việc`;
  switch (event.kind) {
    case 'reminder':
      return `nhắc hạn: đến hạn ${event.dueDate}, còn ${days(event.workingDaysBefore)}`;
    case 'report-reminder':
      return `nhắc báo cáo ${event.period}: còn ${days(event.workingDaysBefore)}`;
    case 'report-due':
      return `hạn báo cáo ${event.period}: chưa gửi là chậm`;
    case 'escalation':
      return `quá hạn: cảnh báo mức ${event.level}`;
    case 'ack-chase':
      return 'chưa tiếp nhận: đề nghị cơ quan chủ trì xác nhận';
  }
}
