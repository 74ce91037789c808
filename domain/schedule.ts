import { daysInMonth, isIsoDate, isoDate, yearOf } from './calendar.ts';
import type { WorkingCalendar } from './calendar.ts';
import { formatInstant, instantAt, localDay } from './instant.ts';
import type { PlanPolicy } from './policy.ts';
import { reportPeriodsBetween } from './report-periods.ts';
import type { Deadline, IsoDate } from './types.ts';

// Every timer of one assignment, derived from its deadline reading, the plan's
// policy and the calendar. Each timer fires at the policy's hour on a working day:
//   - a due reminder N working days before each (effective) due day or milestone;
//   - a report reminder N working days before each report's effective last day, and the report's
//     late mark ("report-due") on the first working day after that last day has ended;
//   - escalation steps on the Nth working day after the effective due day (level 1 = N 1 = the
//     first working hour after the due day has passed);
//   - the acknowledgement chase on the Nth working day after assignment;
//   - one catch-up escalation when the assignment is planned after part of its ladder has passed
//     (imported late, or re-planned while overdue): at the highest level reached by then, if above
//     the assignment's current level, at the next working hour after `now` (see computeSchedule).

export { formatInstant, instantAt, localDay } from './instant.ts';

export type ScheduleEvent =
  | { kind: 'reminder'; dueDate: IsoDate; workingDaysBefore: number; cycle?: number; at: string }
  | { kind: 'report-reminder'; period: string; workingDaysBefore: number; cycle?: number; at: string }
  | { kind: 'report-due'; period: string; cycle?: number; at: string }
  | {
      kind: 'escalation';
      level: number;
      cycle?: number;
      /** Raised once for the steps passed before the assignment was planned; the ladder's own steps have none. */
      catchUp?: true;
      at: string;
    }
  | { kind: 'ack-chase'; at: string };

export interface PlanPeriod {
  start: IsoDate;
  end: IsoDate;
}

/** One year's cycle of a recurring task. */
export interface CycleDeadline {
  year: number;
  /** First day of the cycle: 1 Jan, or the plan's start in its first year. */
  start: IsoDate;
  /** The cycle's last permissible day, before any shift. */
  due: IsoDate;
  /** Last day whose reports belong to this cycle: 31 Dec, or the plan's end in its last year. */
  end: IsoDate;
}

export interface ScheduledCycle extends CycleDeadline {
  effectiveDue: IsoDate;
}

export interface ScheduleInput {
  deadline: Deadline;
  planPeriod: PlanPeriod;
  policy: PlanPolicy;
  calendar: WorkingCalendar;
  now: Date;
  /** When the assignment was made; the ack chase counts from it (from `now` when absent). */
  assignedAt?: Date;
  acknowledged?: boolean;
  /** For a recurring deadline: compute this year's cycle instead of the current one. */
  cycleYear?: number;
  /** The assignment's current escalation level (0 when absent): a catch-up escalation goes above it only. */
  escalationLevel?: number;
}

export interface Schedule {
  /** The due day after any shift: of the assignment, or of the chosen cycle; null without a due day. */
  effectiveDue: IsoDate | null;
  /** Recurring deadlines only: the cycle whose events are listed. */
  cycle?: ScheduledCycle;
  /** Recurring deadlines only: every cycle inside the plan period. */
  cycles?: ScheduledCycle[];
  /** Events strictly after `now` (and not before `assignedAt`), in the order they fire. */
  events: ScheduleEvent[];
}

/**
 * The day an assignment is due: the plan's day, moved to the next working day when the plan's
 * policy says so (a deadline on a Saturday is the Monday's, or later after a holiday). The
 * workflow's schedule and the import page's preview both reckon it here, so both show one day.
 */
export function effectiveDueDay(
  due: IsoDate,
  policy: Pick<PlanPolicy, 'shiftDeadlineToWorkingDay'>,
  calendar: Pick<WorkingCalendar, 'shiftToWorkingDay'>,
): IsoDate {
  return policy.shiftDeadlineToWorkingDay ? calendar.shiftToWorkingDay(due) : due;
}

interface Timed {
  time: number;
  event: ScheduleEvent;
}

/**
 * The cycle of a recurring deadline in `year`: due on the last day of `recurrence.month` (or its
 * day `recurrence.day`, clamped to the month's length), or on 31 Dec without a month. Null when
 * that due day is outside the plan period, since only cycles inside the plan exist.
 */
export function cycleDeadline(deadline: Deadline, year: number, planPeriod: PlanPeriod): CycleDeadline | null {
  const month = deadline.recurrence?.month ?? 12;
  const day = deadline.recurrence?.day;
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new RangeError(`recurrence month out of range: ${month}`);
  if (day !== undefined && (!Number.isInteger(day) || day < 1 || day > 31))
    throw new RangeError(`recurrence day out of range: ${day}`);
  const due = isoDate(year, month, Math.min(day ?? 31, daysInMonth(year, month)));
  if (due < planPeriod.start || due > planPeriod.end) return null;
  return {
    year,
    start: later(isoDate(year, 1, 1), planPeriod.start),
    due,
    end: earlier(isoDate(year, 12, 31), planPeriod.end),
  };
}

/** Every cycle of a recurring deadline inside the plan period, oldest first. */
export function cyclesOf(deadline: Deadline, planPeriod: PlanPeriod): CycleDeadline[] {
  const cycles: CycleDeadline[] = [];
  for (let year = yearOf(planPeriod.start); year <= yearOf(planPeriod.end); year++) {
    const cycle = cycleDeadline(deadline, year, planPeriod);
    if (cycle) cycles.push(cycle);
  }
  return cycles;
}

/**
 * The upcoming events of one assignment. For a recurring deadline the events are those of one
 * cycle: `cycleYear` when given, else the current cycle, the one whose year contains `now` (the
 * first one after `now` before the plan starts, the last one after it ends). A workflow carries its
 * cycle year and asks for it by name, so an unfinished cycle keeps its ladder across New Year.
 *
 * Escalation steps at or before `now` do not fire, but the highest level they reached, when above
 * `escalationLevel`, is raised once at the next working hour after `now` (`nextWorkingHour`), unless
 * a later step fires by then: a late import reaches leadership with one notice, not one per level.
 */
export function computeSchedule(input: ScheduleInput): Schedule {
  const { deadline, planPeriod, policy, calendar, now } = input;
  if (!isIsoDate(planPeriod.start) || !isIsoDate(planPeriod.end) || planPeriod.start > planPeriod.end) {
    throw new RangeError(`invalid plan period: ${planPeriod.start} – ${planPeriod.end}`);
  }
  if (Number.isNaN(now.getTime())) throw new RangeError('invalid now');

  const fire = (day: IsoDate): number => instantAt(day, policy.fireHour).getTime();
  const effective = (day: IsoDate): IsoDate => effectiveDueDay(day, policy, calendar);
  const cycleField = (cycle: number | undefined): { cycle?: number } => (cycle === undefined ? {} : { cycle });
  const assignedDay = input.assignedAt ? localDay(input.assignedAt) : undefined;
  const spanStart = (start: IsoDate): IsoDate => (assignedDay ? later(start, assignedDay) : start);

  const dueReminders = (effectiveDue: IsoDate, cycle?: number): Timed[] =>
    policy.dueReminderWorkingDays.map((n) => {
      const time = fire(calendar.addWorkingDays(effectiveDue, -n));
      return {
        time,
        event: {
          kind: 'reminder',
          dueDate: effectiveDue,
          workingDaysBefore: n,
          ...cycleField(cycle),
          at: formatInstant(new Date(time)),
        },
      };
    });

  const reports = (from: IsoDate, to: IsoDate, cycle?: number): Timed[] =>
    reportTimers(from, to, policy, calendar, cycle);

  const escalationAt = (level: number, time: number, cycle?: number, catchUp = false): Timed => ({
    time,
    event: {
      kind: 'escalation',
      level,
      ...cycleField(cycle),
      ...(catchUp ? { catchUp: true as const } : {}),
      at: formatInstant(new Date(time)),
    },
  });

  // The ladder's steps, and, when some have passed by `now` (an assignment imported or re-planned
  // after its due day), one catch-up at the highest level reached, at the next working hour: not
  // one notice per passed level, and not none. A later step firing by then covers it; a level the
  // assignment already has is not raised again.
  const currentLevel = input.escalationLevel ?? 0;
  const escalations = (effectiveDue: IsoDate, cycle?: number): Timed[] => {
    const steps = policy.escalation.map((step) => ({
      level: step.level,
      time: fire(calendar.addWorkingDays(effectiveDue, step.afterWorkingDays)),
    }));
    const ladder = steps.map((step) => escalationAt(step.level, step.time, cycle));
    const reached = Math.max(0, ...steps.filter((step) => step.time <= now.getTime()).map((step) => step.level));
    if (reached <= currentLevel) return ladder;
    const catchUp = nextWorkingHour(now, policy.fireHour, calendar).getTime();
    const covered = steps.some((step) => step.time > now.getTime() && step.time <= catchUp && step.level >= reached);
    return covered ? ladder : [...ladder, escalationAt(reached, catchUp, cycle, true)];
  };

  // Nothing fires before the assignment exists, e.g. a 30-day reminder for a task given 10 days ahead.
  const assignedTime = input.assignedAt?.getTime() ?? -Infinity;
  const upcoming = (timed: Timed[]): Timed[] => timed.filter((t) => t.time > now.getTime() && t.time >= assignedTime);

  const common: Timed[] = [];
  if (!input.acknowledged) {
    const time = fire(calendar.addWorkingDays(localDay(input.assignedAt ?? now), policy.ackChaseWorkingDays));
    common.push({ time, event: { kind: 'ack-chase', at: formatInstant(new Date(time)) } });
  }
  const result = (
    effectiveDue: IsoDate | null,
    timed: Timed[],
    extra: Omit<Schedule, 'effectiveDue' | 'events'> = {},
  ): Schedule => ({
    effectiveDue,
    ...extra,
    events: upcoming([...common, ...timed])
      .sort(byInstant)
      .map((t) => t.event),
  });

  switch (deadline.kind) {
    case 'unresolved':
      return result(null, []);
    case 'continuous':
      return result(null, reports(spanStart(deadline.start ?? planPeriod.start), planPeriod.end));
    case 'date':
    case 'range': {
      if (!deadline.due || !isIsoDate(deadline.due))
        throw new RangeError(`a ${deadline.kind} deadline needs a due day: ${JSON.stringify(deadline.raw)}`);
      const effectiveDue = effective(deadline.due);
      // Each milestone gets its own reminders; only the final due day escalates.
      const milestones = [...new Set([...(deadline.milestones ?? []), deadline.due].map(effective))].filter(
        (day) => day <= effectiveDue,
      );
      return result(effectiveDue, [
        ...milestones.flatMap((day) => dueReminders(day)),
        ...reports(spanStart(deadline.start ?? planPeriod.start), effectiveDue),
        ...escalations(effectiveDue),
      ]);
    }
    case 'recurring': {
      const cycles: ScheduledCycle[] = cyclesOf(deadline, planPeriod).map((cycle) => ({
        ...cycle,
        effectiveDue: effective(cycle.due),
      }));
      const timersOf = (cycle: ScheduledCycle): Timed[] => [
        ...dueReminders(cycle.effectiveDue, cycle.year),
        ...reports(spanStart(cycle.start), cycle.end, cycle.year),
        ...escalations(cycle.effectiveDue, cycle.year),
      ];
      let chosen: ScheduledCycle | undefined;
      if (input.cycleYear !== undefined) {
        chosen = cycles.find((cycle) => cycle.year === input.cycleYear);
        if (!chosen)
          throw new RangeError(
            `no cycle in ${input.cycleYear} inside the plan period ${planPeriod.start} – ${planPeriod.end}`,
          );
      } else {
        const today = localDay(now);
        chosen =
          cycles.find((cycle) => cycle.start <= today && today <= cycle.end) ??
          cycles.find((cycle) => cycle.start > today) ??
          cycles.at(-1);
      }
      if (!chosen) return result(null, [], { cycles });
      return result(chosen.effectiveDue, timersOf(chosen), { cycle: chosen, cycles });
    }
  }
}

/**
 * The first instant strictly after `now` at `fireHour` local time on a working day: the same
 * working day when `now` is before that hour, else the next working day.
 */
export function nextWorkingHour(now: Date, fireHour: number, calendar: WorkingCalendar): Date {
  const today = localDay(now);
  const sameDay = instantAt(today, fireHour);
  if (calendar.isWorkingDay(today) && sameDay.getTime() > now.getTime()) return sameDay;
  return instantAt(calendar.nextWorkingDay(today), fireHour);
}

/**
 * Each report's reminders and its late mark ("report-due", on the first working morning after its
 * last day has ended) for the reports whose effective last day falls in [from, to]. They depend on
 * the plan alone, so the plan's report timers fire them for all its assignments at once.
 */
export function reportTimers(
  from: IsoDate,
  to: IsoDate,
  policy: PlanPolicy,
  calendar: WorkingCalendar,
  cycle?: number,
): Timed[] {
  if (from > to) return [];
  const fire = (day: IsoDate): number => instantAt(day, policy.fireHour).getTime();
  const cycleField = cycle === undefined ? {} : { cycle };
  return reportPeriodsBetween(from, to, policy, calendar).flatMap((period) => {
    const reminders: Timed[] = policy.reportReminderWorkingDays.map((n) => {
      const time = fire(calendar.addWorkingDays(period.effectiveLastDay, -n));
      return {
        time,
        event: {
          kind: 'report-reminder',
          period: period.id,
          workingDaysBefore: n,
          ...cycleField,
          at: formatInstant(new Date(time)),
        },
      };
    });
    const dueTime = fire(calendar.addWorkingDays(period.effectiveLastDay, 1));
    return [
      ...reminders,
      {
        time: dueTime,
        event: { kind: 'report-due', period: period.id, ...cycleField, at: formatInstant(new Date(dueTime)) },
      },
    ];
  });
}

/** The report timers of a whole plan period strictly after `after`, in the order they fire. */
export function planReportTimers(
  planPeriod: PlanPeriod,
  policy: PlanPolicy,
  calendar: WorkingCalendar,
  after: Date,
): PlanReportEvent[] {
  return reportTimers(planPeriod.start, planPeriod.end, policy, calendar)
    .filter((t) => t.time > after.getTime())
    .sort(byInstant)
    .map((t) => t.event as PlanReportEvent);
}

export type PlanReportEvent = Extract<ScheduleEvent, { kind: 'report-reminder' | 'report-due' }>;

/** A due reminder or a step of the escalation ladder of one due day, fired by the plan for every assignment sharing it. */
export type DeadlineEvent = Extract<ScheduleEvent, { kind: 'reminder' | 'escalation' }>;

/** One timer of a plan's shared due day: the event, and the due day (after any shift) it belongs to. */
export interface PlanDeadlineTimer {
  event: DeadlineEvent;
  effectiveDue: IsoDate;
}

/**
 * The due reminders and escalation steps of each given due day (the last permissible day, before
 * any shift), strictly after `after`, in the order they fire: exactly the events an assignment due
 * that day plans for itself (no catch-up: that one depends on when the assignment was planned).
 */
export function planDeadlineTimers(
  dueDays: readonly IsoDate[],
  policy: PlanPolicy,
  calendar: WorkingCalendar,
  after: Date,
): PlanDeadlineTimer[] {
  const timers = new Map<string, { time: number; timer: PlanDeadlineTimer }>();
  for (const due of dueDays) {
    if (!isIsoDate(due)) continue;
    const effectiveDue = effectiveDueDay(due, policy, calendar);
    const fire = (day: IsoDate): number => instantAt(day, policy.fireHour).getTime();
    const events: DeadlineEvent[] = [
      ...policy.dueReminderWorkingDays.map((n): DeadlineEvent => ({
        kind: 'reminder',
        dueDate: effectiveDue,
        workingDaysBefore: n,
        at: formatInstant(new Date(fire(calendar.addWorkingDays(effectiveDue, -n)))),
      })),
      ...policy.escalation.map((step): DeadlineEvent => ({
        kind: 'escalation',
        level: step.level,
        at: formatInstant(new Date(fire(calendar.addWorkingDays(effectiveDue, step.afterWorkingDays)))),
      })),
    ];
    // Two due days may shift to the same working day: their timers are one.
    for (const event of events) {
      const time = Date.parse(event.at);
      if (time > after.getTime())
        timers.set(`${effectiveDue}|${JSON.stringify(event)}`, { time, timer: { event, effectiveDue } });
    }
  }
  return [...timers.values()]
    .sort(
      (a, b) =>
        byInstant({ time: a.time, event: a.timer.event }, { time: b.time, event: b.timer.event }) ||
        (a.timer.effectiveDue < b.timer.effectiveDue ? -1 : 1),
    )
    .map((t) => t.timer);
}

const kindOrder: Record<ScheduleEvent['kind'], number> = {
  'ack-chase': 0,
  reminder: 1,
  'report-reminder': 2,
  'report-due': 3,
  escalation: 4,
};

// Same-instant events come in a fixed order so that output is stable.
function byInstant(a: Timed, b: Timed): number {
  if (a.time !== b.time) return a.time - b.time;
  const kinds = kindOrder[a.event.kind] - kindOrder[b.event.kind];
  if (kinds !== 0) return kinds;
  const key = (e: ScheduleEvent): string => ('period' in e ? e.period : 'dueDate' in e ? e.dueDate : '');
  return key(a.event) < key(b.event) ? -1 : key(a.event) > key(b.event) ? 1 : 0;
}

function later(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

function earlier(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}
