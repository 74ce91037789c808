import { readFile } from 'node:fs/promises';
import { dayOfWeek, daysInMonth, isIsoDate, isoDate, yearOf } from '../../domain/calendar.ts';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import { resolvePolicy } from '../../domain/policy.ts';
import type { PlanPolicy } from '../../domain/policy.ts';
import { computeSchedule, instantAt, localDay } from '../../domain/schedule.ts';
import type { PlanPeriod, Schedule, ScheduleEvent } from '../../domain/schedule.ts';
import type { Deadline, IsoDate } from '../../domain/types.ts';
import { calendarDataDir, loadCalendar } from '../../runtime/calendar-files.ts';
import { parseOptions, runCommand, UsageError } from '../errors.ts';

// `dondoc schedule`: shows every upcoming timer of one assignment, so a coordinator can check a
// plan's policy against the calendar before any workflow runs.

const usage = `usage: dondoc schedule (--due YYYY-MM-DD | --continuous) [options]

  --due YYYY-MM-DD       last permissible day (before any shift to a working day)
  --continuous           no due day, only the periodic reports ("Thường xuyên")
  --start YYYY-MM-DD     first day of the work (a range deadline); for --recurring and
                         --continuous the start of the plan period
  --recurring yearly     one cycle per year, each due on --due's month and day
  --from YYYY-MM-DD      show events after the start of this day (default: today)
  --until YYYY-MM-DD     end of the plan period (default: --due for a single deadline;
                         31 Dec of the fifth year, a five-year plan, for --recurring and
                         --continuous, counting from --due's or --from's year)
  --assigned YYYY-MM-DD  day the assignment was made (default: --from)
  --acknowledged         the lead agency has acknowledged: no acknowledgement chase
  --policy FILE          JSON object overriding fields of the default plan policy
  --json                 print JSON instead of a table
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
    process.stdout.write(usage);
    return 0;
  }

  for (const name of ['due', 'start', 'from', 'until', 'assigned'] as const) {
    const value = values[name];
    if (value !== undefined && !isIsoDate(value))
      throw new UsageError(`--${name}: expected a date YYYY-MM-DD, got "${value}"`);
  }
  if (values.recurring !== undefined && values.recurring !== 'yearly') {
    throw new UsageError(`--recurring: only "yearly" is supported, got "${values.recurring}"`);
  }
  if ((values.due === undefined) === (values.continuous !== true)) {
    throw new UsageError(
      values.continuous ? '--continuous: cannot be combined with --due' : '--due: required (or --continuous)',
    );
  }
  if (values.continuous && values.recurring !== undefined)
    throw new UsageError('--recurring: cannot be combined with --continuous');

  const from = values.from ?? localDay(new Date());
  const { deadline, planPeriod } = readDeadline(values, from);

  const policy = values.policy === undefined ? resolvePolicyOrThrow(undefined, '') : await readPolicy(values.policy);
  let calendar: WorkingCalendar;
  try {
    calendar = await loadCalendar();
  } catch (error) {
    process.stderr.write(
      `dondoc schedule: cannot load the calendar from ${calendarDataDir}: ${(error as Error).message}\n`,
    );
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
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ ...result, provisional }, null, 2)}\n`
      : table(result, deadline, calendar) +
          (provisional.length > 0
            ? `note: the days off of ${provisional.join(', ')} are provisional: computed from the Labour Code's rules until the official notice is added to ${calendarDataDir}\n`
            : ''),
  );
  return 0;
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
      throw new UsageError(`--start: ${values.start} is after --due ${due}`);
    if (values.until !== undefined && values.until < due)
      throw new UsageError(`--until: ${values.until} is before --due ${due}`);
    deadline =
      values.start !== undefined
        ? { kind: 'range', start: values.start, due, raw: `${values.start} – ${due}` }
        : { kind: 'date', due, raw: due };
    planPeriod = { start: values.start ?? (from < due ? from : due), end: values.until ?? due };
  }
  if (planPeriod.start > planPeriod.end)
    throw new UsageError(`--until: the plan period ${planPeriod.start} – ${planPeriod.end} ends before it starts`);
  return { deadline, planPeriod };
}

async function readPolicy(file: string): Promise<PlanPolicy> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--policy: cannot read ${file}: ${(error as Error).message}`);
  }
  return resolvePolicyOrThrow(json, file);
}

function resolvePolicyOrThrow(json: unknown, file: string): PlanPolicy {
  const resolved = resolvePolicy(json);
  if ('policy' in resolved) return resolved.policy;
  const lines = resolved.errors.map((e) => `  ${e.field || '(policy)'}: ${e.message}`);
  throw new UsageError(`--policy: ${file} is not a valid policy:\n${lines.join('\n')}`);
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

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

function table(result: Schedule, deadline: Deadline, calendar: WorkingCalendar): string {
  const lines: string[] = [];
  const due = result.cycle?.due ?? deadline.due;
  if (result.effectiveDue && due) {
    const holiday = calendar.holidayName(due);
    const why =
      result.effectiveDue !== due
        ? ` (moved from ${weekdays[dayOfWeek(due)]} ${due}${holiday ? `, ${holiday}` : ''})`
        : '';
    const cycle = result.cycle ? `cycle ${result.cycle.year}: ` : '';
    lines.push(`${cycle}due ${weekdays[dayOfWeek(result.effectiveDue)]} ${result.effectiveDue}${why}`);
  } else {
    lines.push(deadline.kind === 'continuous' ? 'continuous: no due day, periodic reports only' : 'no due day');
  }
  if (result.events.length === 0) {
    lines.push('no upcoming events');
  } else {
    lines.push('');
    for (const event of result.events) {
      const day = event.at.slice(0, 10);
      lines.push(
        `${weekdays[dayOfWeek(day)]} ${day} ${event.at.slice(11, 16)}  ${event.kind.padEnd(15)}  ${describe(event)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function describe(event: ScheduleEvent): string {
  const days = (n: number): string => `${n} working day${n === 1 ? '' : 's'}`;
  switch (event.kind) {
    case 'reminder':
      return `due ${event.dueDate} in ${days(event.workingDaysBefore)}`;
    case 'report-reminder':
      return `report ${event.period} due in ${days(event.workingDaysBefore)}`;
    case 'report-due':
      return `report ${event.period} late unless filed`;
    case 'escalation':
      return `overdue: escalation level ${event.level}`;
    case 'ack-chase':
      return 'not acknowledged: chase the lead agency';
  }
}
