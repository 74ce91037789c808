import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import { defaultPolicy, resolvePolicy } from '../../domain/policy.ts';
import type { PlanPolicy } from '../../domain/policy.ts';
import {
  computeSchedule,
  cycleDeadline,
  cyclesOf,
  formatInstant,
  instantAt,
  localDay,
  planDeadlineTimers,
  planReportTimers,
} from '../../domain/schedule.ts';
import type { ScheduleEvent, ScheduleInput } from '../../domain/schedule.ts';
import { timerEffect, timerKey } from '../../domain/timer-effects.ts';
import type { Deadline } from '../../domain/types.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadCalendar();
});

/** Start of a local day, the way a user says "as of that morning". */
const morning = (day: string): Date => new Date(`${day}T00:00:00+07:00`);
const at = (day: string, time = '08:00'): string => `${day}T${time}:00+07:00`;

const plan2025 = { start: '2025-01-01', end: '2025-12-31' };
const plan2026 = { start: '2026-01-01', end: '2026-12-31' };
const dateDeadline = (due: string, extra: Partial<Deadline> = {}): Deadline => ({
  kind: 'date',
  due,
  raw: due,
  ...extra,
});

function schedule(input: Partial<ScheduleInput> & Pick<ScheduleInput, 'deadline'>) {
  return computeSchedule({
    planPeriod: plan2026,
    policy: defaultPolicy,
    calendar,
    now: morning('2026-01-01'),
    acknowledged: true,
    ...input,
  });
}

/** A compact, readable form of an event for table comparisons. */
function brief(event: ScheduleEvent): string {
  switch (event.kind) {
    case 'reminder':
      return `${event.at} reminder ${event.workingDaysBefore} → ${event.dueDate}`;
    case 'report-reminder':
      return `${event.at} report-reminder ${event.period} ${event.workingDaysBefore}`;
    case 'report-due':
      return `${event.at} report-due ${event.period}`;
    case 'escalation':
      return `${event.at} escalation ${event.level}`;
    case 'ack-chase':
      return `${event.at} ack-chase`;
  }
}

describe('instants in Asia/Ho_Chi_Minh', () => {
  it('turns a local day and hour into an instant and back', () => {
    expect(instantAt('2026-02-12', 8).toISOString()).toBe('2026-02-12T01:00:00.000Z');
    expect(formatInstant(instantAt('2026-02-12', 8))).toBe('2026-02-12T08:00:00+07:00');
    // 20:00 UTC is already the next morning in Vietnam.
    expect(localDay(new Date('2026-02-12T20:00:00Z'))).toBe('2026-02-13');
    expect(localDay(new Date('2026-02-12T16:59:59Z'))).toBe('2026-02-12');
    expect(formatInstant(new Date('2025-12-31T17:00:00.250Z'))).toBe('2026-01-01T00:00:00.250+07:00');
  });
});

describe('a whole year of one assignment (range 2025, due 31 Dec 2025)', () => {
  it('lists every due reminder, report reminder, report due and escalation in order', () => {
    const result = schedule({
      deadline: { kind: 'range', start: '2025-01-01', due: '2025-12-31', raw: '2025' },
      planPeriod: plan2025,
      now: morning('2025-01-01'),
    });
    expect(result.effectiveDue).toBe('2025-12-31');
    // Reports: last days 19 Mar (Wed), 19 Jun (Thu), 19 Sep (Fri), 19 Dec (Fri); late marks on the next working morning.
    // Due reminders count back from Wed 31 Dec; escalations count forward over 1 Jan 2026.
    expect(result.events.map(brief)).toEqual([
      `${at('2025-03-10')} report-reminder 2025-Q1 7`,
      `${at('2025-03-18')} report-reminder 2025-Q1 1`,
      `${at('2025-03-20')} report-due 2025-Q1`,
      `${at('2025-06-10')} report-reminder 2025-H1 7`,
      `${at('2025-06-18')} report-reminder 2025-H1 1`,
      `${at('2025-06-20')} report-due 2025-H1`,
      `${at('2025-09-10')} report-reminder 2025-Q3 7`,
      `${at('2025-09-18')} report-reminder 2025-Q3 1`,
      `${at('2025-09-22')} report-due 2025-Q3`,
      `${at('2025-11-19')} reminder 30 → 2025-12-31`,
      `${at('2025-12-10')} report-reminder 2025-Y 7`,
      `${at('2025-12-18')} report-reminder 2025-Y 1`,
      `${at('2025-12-22')} reminder 7 → 2025-12-31`,
      `${at('2025-12-22')} report-due 2025-Y`,
      `${at('2025-12-30')} reminder 1 → 2025-12-31`,
      `${at('2026-01-02')} escalation 1`,
      `${at('2026-01-08')} escalation 2`,
      `${at('2026-01-22')} escalation 3`,
    ]);
  });

  it('shows only what is still to come, strictly after now', () => {
    const deadline: Deadline = { kind: 'range', start: '2025-01-01', due: '2025-12-31', raw: '2025' };
    const exactlyAtReminder = schedule({ deadline, planPeriod: plan2025, now: new Date(at('2025-09-18')) });
    expect(exactlyAtReminder.events.map(brief)[0]).toBe(`${at('2025-09-22')} report-due 2025-Q3`);
    const justBefore = schedule({ deadline, planPeriod: plan2025, now: new Date(at('2025-09-18', '07:59')) });
    expect(justBefore.events.map(brief)[0]).toBe(`${at('2025-09-18')} report-reminder 2025-Q3 1`);
    // An assignment that has climbed the whole ladder: nothing is left to come.
    const afterEverything = schedule({
      deadline,
      planPeriod: plan2025,
      now: morning('2026-01-23'),
      escalationLevel: 3,
    });
    expect(afterEverything).toEqual({ effectiveDue: '2025-12-31', events: [] });
  });
});

describe('the last day of every month of 2025 and 2026 as a due day', () => {
  // Effective due = the last day shifted to a working day; the last reminder one working day
  // before it; level 1 on the next working morning after it.
  const table: [due: string, effectiveDue: string, lastReminder: string, level1: string | null][] = [
    ['2025-01-31', '2025-02-03', '2025-01-24', '2025-02-04'], // inside Tết 2025
    ['2025-02-28', '2025-02-28', '2025-02-27', '2025-03-03'],
    ['2025-03-31', '2025-03-31', '2025-03-28', '2025-04-01'],
    ['2025-04-30', '2025-05-05', '2025-04-29', '2025-05-06'], // 30 Apr – 4 May off, 2 May swapped
    ['2025-05-31', '2025-06-02', '2025-05-30', '2025-06-03'],
    ['2025-06-30', '2025-06-30', '2025-06-27', '2025-07-01'],
    ['2025-07-31', '2025-07-31', '2025-07-30', '2025-08-01'],
    ['2025-08-31', '2025-09-03', '2025-08-29', '2025-09-04'], // National Day
    ['2025-09-30', '2025-09-30', '2025-09-29', '2025-10-01'],
    ['2025-10-31', '2025-10-31', '2025-10-30', '2025-11-03'],
    ['2025-11-30', '2025-12-01', '2025-11-28', '2025-12-02'],
    ['2025-12-31', '2025-12-31', '2025-12-30', '2026-01-02'], // over 1 Jan 2026
    ['2026-01-31', '2026-02-02', '2026-01-30', '2026-02-03'],
    ['2026-02-28', '2026-03-02', '2026-02-27', '2026-03-03'],
    ['2026-03-31', '2026-03-31', '2026-03-30', '2026-04-01'],
    ['2026-04-30', '2026-05-04', '2026-04-29', '2026-05-05'],
    ['2026-05-31', '2026-06-01', '2026-05-29', '2026-06-02'],
    ['2026-06-30', '2026-06-30', '2026-06-29', '2026-07-01'],
    ['2026-07-31', '2026-07-31', '2026-07-30', '2026-08-03'],
    ['2026-08-31', '2026-09-03', '2026-08-28', '2026-09-04'], // swapped Monday, then National Day
    ['2026-09-30', '2026-09-30', '2026-09-29', '2026-10-01'],
    ['2026-10-31', '2026-11-02', '2026-10-30', '2026-11-03'],
    ['2026-11-30', '2026-11-30', '2026-11-27', '2026-12-01'],
    ['2026-12-31', '2026-12-31', '2026-12-30', null], // 2027 has no holiday data yet
  ];
  it.each(table)('%s → due %s, last reminder %s, level 1 %s', (due, effectiveDue, lastReminder, level1) => {
    const result = schedule({
      deadline: dateDeadline(due),
      planPeriod: { start: '2025-01-01', end: '2026-12-31' },
      now: morning('2025-01-01'),
    });
    expect(result.effectiveDue).toBe(effectiveDue);
    const reminder = result.events.find((e) => e.kind === 'reminder' && e.workingDaysBefore === 1);
    expect(reminder?.at).toBe(at(lastReminder));
    if (level1 !== null)
      expect(result.events.find((e) => e.kind === 'escalation' && e.level === 1)?.at).toBe(at(level1));
  });
});

describe('due reminders and escalations across holidays', () => {
  it('moves a due day inside Tết to the first working day after it', () => {
    const result = schedule({ deadline: dateDeadline('2026-02-15') });
    expect(result.effectiveDue).toBe('2026-02-23');
    expect(result.events.map(brief)).toEqual([
      `${at('2026-01-05')} reminder 30 → 2026-02-23`,
      `${at('2026-02-05')} reminder 7 → 2026-02-23`,
      `${at('2026-02-13')} reminder 1 → 2026-02-23`,
      `${at('2026-02-24')} escalation 1`,
      `${at('2026-03-02')} escalation 2`,
      `${at('2026-03-16')} escalation 3`,
    ]);
  });

  it.each([
    ['2026-02-10', '2026-02-11', '2026-02-24', '2026-03-10', 'Tết 2026'],
    ['2026-04-24', '2026-04-28', '2026-05-06', '2026-05-20', 'Hùng Kings and 30 April 2026'],
    ['2026-08-28', '2026-09-03', '2026-09-09', '2026-09-23', 'National Day 2026'],
    [
      '2026-08-21',
      '2026-08-22',
      '2026-08-27',
      '2026-09-15',
      'the make-up Saturday 22 Aug 2026 counts, 31 Aug – 2 Sep do not',
    ],
    ['2025-01-20', '2025-01-21', '2025-02-03', '2025-02-17', 'Tết 2025'],
  ])('due %s escalates on %s, %s and %s (%s)', (due, level1, level2, level3) => {
    const result = schedule({
      deadline: dateDeadline(due),
      planPeriod: { start: '2025-01-01', end: '2026-12-31' },
      now: morning('2025-01-01'),
    });
    expect(result.events.filter((e) => e.kind === 'escalation').map(brief)).toEqual([
      `${at(level1)} escalation 1`,
      `${at(level2)} escalation 2`,
      `${at(level3)} escalation 3`,
    ]);
  });

  it('sets reminders before every milestone but escalates only after the final due day', () => {
    const result = schedule({
      deadline: dateDeadline('2026-09-30', { milestones: ['2026-03-31', '2026-06-30'] }),
      policy: { ...defaultPolicy, dueReminderWorkingDays: [1], reports: [] },
    });
    expect(result.effectiveDue).toBe('2026-09-30');
    expect(result.events.map(brief)).toEqual([
      `${at('2026-03-30')} reminder 1 → 2026-03-31`,
      `${at('2026-06-29')} reminder 1 → 2026-06-30`,
      `${at('2026-09-29')} reminder 1 → 2026-09-30`,
      `${at('2026-10-01')} escalation 1`,
      `${at('2026-10-07')} escalation 2`,
      `${at('2026-10-21')} escalation 3`,
    ]);
  });

  it('keeps a Sunday due day when the shift is off, and counts from it', () => {
    const result = schedule({
      deadline: dateDeadline('2026-02-15'),
      policy: { ...defaultPolicy, shiftDeadlineToWorkingDay: false },
    });
    expect(result.effectiveDue).toBe('2026-02-15');
    expect(result.events.map(brief)).toEqual([
      `${at('2026-01-05')} reminder 30 → 2026-02-15`,
      `${at('2026-02-05')} reminder 7 → 2026-02-15`,
      `${at('2026-02-13')} reminder 1 → 2026-02-15`,
      `${at('2026-02-23')} escalation 1`,
      `${at('2026-02-27')} escalation 2`,
      `${at('2026-03-13')} escalation 3`,
    ]);
  });
});

describe('an assignment planned after its due day (late import, re-plan while overdue)', () => {
  // Due Friday 13 March 2026. The default ladder: level 1 Mon 16 March, level 2 Fri 20 March, level 3
  // Fri 3 April, each at 08:00; the due reminders (30, 7 and 1 working days before) are all past.
  const due = dateDeadline('2026-03-13');
  const importedAt = (instant: string, extra: Partial<ScheduleInput> = {}) => {
    const now = new Date(instant);
    return schedule({ deadline: due, now, assignedAt: now, ...extra });
  };

  it('escalates once, at the level reached, on Monday 08:00 when imported on a Friday afternoon', () => {
    const result = importedAt(at('2026-03-20', '15:00'));
    // Not one notice per passed level (1 and 2), and no past reminder: level 2 on Monday, level 3 as planned.
    expect(result.events.map(brief)).toEqual([`${at('2026-03-23')} escalation 2`, `${at('2026-04-03')} escalation 3`]);
    // Tagged: the plan's shared deadline timers fire the ladder's steps, never this one.
    expect(result.events[0]).toEqual({ kind: 'escalation', level: 2, catchUp: true, at: at('2026-03-23') });
  });

  it('escalates once at the top level, however long ago the ladder ran', () => {
    // Imported on Tuesday 1 December 2026: every step is eight months old.
    expect(importedAt(at('2026-12-01', '10:00')).events.map(brief)).toEqual([`${at('2026-12-02')} escalation 3`]);
  });

  it('waits over the 30 April – 1 May holidays and the weekend for the next working hour', () => {
    // Due Monday 20 April 2026: level 1 Tue 21, level 2 Tue 28 (27 April makes up for the Hùng Kings
    // day), level 3 Thu 14 May. Imported Wednesday 29 April, 14:00: Thu 30, Fri 1 May and the weekend are off.
    const result = schedule({
      deadline: dateDeadline('2026-04-20'),
      now: new Date(at('2026-04-29', '14:00')),
      assignedAt: new Date(at('2026-04-29', '14:00')),
    });
    expect(result.events.map(brief)).toEqual([`${at('2026-05-04')} escalation 2`, `${at('2026-05-14')} escalation 3`]);
  });

  it('fires at 08:00 the same day when imported before the fire hour of a working day', () => {
    expect(importedAt(at('2026-03-19', '07:00')).events.map(brief)).toEqual([
      `${at('2026-03-19')} escalation 1`,
      `${at('2026-03-20')} escalation 2`,
      `${at('2026-04-03')} escalation 3`,
    ]);
  });

  it('needs no catch-up when the next step fires at that same working hour', () => {
    // Friday 20 March, 07:00: level 1 has passed, and level 2 comes at 08:00 anyway.
    expect(importedAt(at('2026-03-20', '07:00')).events.map(brief)).toEqual([
      `${at('2026-03-20')} escalation 2`,
      `${at('2026-04-03')} escalation 3`,
    ]);
  });

  it('does not catch up a level the assignment already has, and climbs from a lower one', () => {
    expect(importedAt(at('2026-03-20', '15:00'), { escalationLevel: 2 }).events.map(brief)).toEqual([
      `${at('2026-04-03')} escalation 3`,
    ]);
    expect(importedAt(at('2026-03-20', '15:00'), { escalationLevel: 3 }).events.map(brief)).toEqual([
      `${at('2026-04-03')} escalation 3`,
    ]);
    expect(importedAt(at('2026-03-20', '15:00'), { escalationLevel: 1 }).events.map(brief)).toEqual([
      `${at('2026-03-23')} escalation 2`,
      `${at('2026-04-03')} escalation 3`,
    ]);
  });

  it('leaves the ladder of an assignment imported before its due day as it was', () => {
    const before = importedAt(at('2026-03-10', '15:00'));
    expect(before.events.filter((e) => e.kind === 'escalation').map(brief)).toEqual([
      `${at('2026-03-16')} escalation 1`,
      `${at('2026-03-20')} escalation 2`,
      `${at('2026-04-03')} escalation 3`,
    ]);
    expect(importedAt(at('2026-03-10', '15:00'), { escalationLevel: 0 })).toEqual(before);
    // On the due day itself nothing has passed yet either.
    expect(importedAt(at('2026-03-13', '17:00')).events.map(brief)).toEqual([
      `${at('2026-03-16')} escalation 1`,
      `${at('2026-03-20')} escalation 2`,
      `${at('2026-04-03')} escalation 3`,
    ]);
  });

  it('plans the same catch-up until it fires, and none once the level is reached, so a re-plan never escalates twice', () => {
    const [catchUp] = importedAt(at('2026-03-20', '15:00')).events;
    // A command on Saturday re-plans before Monday: the same timer, so the same key and notifications.
    const [replanned] = schedule({ deadline: due, now: new Date(at('2026-03-21', '10:00')) }).events;
    expect(replanned).toEqual(catchUp);
    expect(timerKey(replanned!)).toBe(timerKey(catchUp!));

    const assignment = { status: 'assigned' as const, reports: [], escalationLevel: 0 };
    expect(timerEffect(catchUp!, assignment)).toEqual({ fires: true, escalationLevel: 2 });
    // Fired: a re-plan on Monday at 10:00 plans level 3 only, and the catch-up would not fire again.
    const afterwards = schedule({ deadline: due, now: new Date(at('2026-03-23', '10:00')), escalationLevel: 2 });
    expect(afterwards.events.map(brief)).toEqual([`${at('2026-04-03')} escalation 3`]);
    expect(timerEffect(catchUp!, { ...assignment, escalationLevel: 2 })).toEqual({ fires: false });
    // Work that is not with the lead is not chased when the catch-up comes.
    expect(timerEffect(catchUp!, { ...assignment, status: 'submitted' })).toEqual({ fires: false });
  });

  it('catches up the current cycle of a yearly task, naming the cycle', () => {
    const yearly: Deadline = { kind: 'recurring', recurrence: { every: 'year', month: 6 }, raw: 'Hằng năm' };
    const plan = { start: '2025-01-01', end: '2026-12-31' };
    // Due Monday 30 June 2025: levels 1 and 2 passed on 1 and 7 July; imported Tuesday 8 July at midnight.
    const imported = schedule({ deadline: yearly, planPeriod: plan, now: morning('2025-07-08') });
    expect(imported.cycle?.year).toBe(2025);
    expect(imported.events.filter((e) => e.kind === 'escalation')).toEqual([
      { kind: 'escalation', level: 2, cycle: 2025, catchUp: true, at: at('2025-07-08') },
      { kind: 'escalation', level: 3, cycle: 2025, at: at('2025-07-21') },
    ]);
    expect(imported.events.some((e) => e.kind === 'reminder')).toBe(false);
    // The unfinished 2025 cycle of a yearly task due 31 December, re-planned on Monday 5 January 2026
    // before its level 1 (Fri 2 January) was raised.
    const unfinished = schedule({
      deadline: { ...yearly, recurrence: { every: 'year' } },
      planPeriod: plan,
      now: morning('2026-01-05'),
      cycleYear: 2025,
    });
    expect(unfinished.events).toEqual([
      { kind: 'escalation', level: 1, cycle: 2025, catchUp: true, at: at('2026-01-05') },
      { kind: 'escalation', level: 2, cycle: 2025, at: at('2026-01-08') },
      { kind: 'escalation', level: 3, cycle: 2025, at: at('2026-01-22') },
    ]);
  });
});

describe('periodic reports', () => {
  const continuous: Deadline = { kind: 'continuous', raw: 'Thường xuyên' };

  it('runs a continuous task through the plan with reports only (before the 20th)', () => {
    const result = schedule({ deadline: continuous });
    expect(result.effectiveDue).toBeNull();
    expect(result.events.filter((e) => e.kind === 'report-due').map(brief)).toEqual([
      `${at('2026-03-20')} report-due 2026-Q1`,
      `${at('2026-06-22')} report-due 2026-H1`, // 19 Jun is a Friday
      `${at('2026-09-22')} report-due 2026-Q3`, // 19 Sep is a Saturday → last day Mon 21
      `${at('2026-12-22')} report-due 2026-Y`, // 19 Dec is a Saturday → last day Mon 21
    ]);
    expect(result.events.every((e) => e.kind === 'report-due' || e.kind === 'report-reminder')).toBe(true);
    expect(result.events).toHaveLength(12);
  });

  it('follows the national "no later than the 20th" rule when the policy says so', () => {
    const result = schedule({
      deadline: continuous,
      policy: { ...defaultPolicy, reportDueRule: 'no-later-than-20th' },
    });
    expect(result.events.map(brief)).toEqual([
      `${at('2026-03-11')} report-reminder 2026-Q1 7`,
      `${at('2026-03-19')} report-reminder 2026-Q1 1`,
      `${at('2026-03-23')} report-due 2026-Q1`, // last day Fri 20 Mar
      `${at('2026-06-11')} report-reminder 2026-H1 7`,
      `${at('2026-06-19')} report-reminder 2026-H1 1`,
      `${at('2026-06-23')} report-due 2026-H1`, // 20 Jun is a Saturday → last day Mon 22
      `${at('2026-09-10')} report-reminder 2026-Q3 7`,
      `${at('2026-09-18')} report-reminder 2026-Q3 1`,
      `${at('2026-09-22')} report-due 2026-Q3`,
      `${at('2026-12-10')} report-reminder 2026-Y 7`,
      `${at('2026-12-18')} report-reminder 2026-Y 1`,
      `${at('2026-12-22')} report-due 2026-Y`,
    ]);
  });

  it('asks for the reports due between the start of the work and its due day only', () => {
    const result = schedule({
      deadline: { kind: 'range', start: '2026-04-01', due: '2026-10-15', raw: 'Quý II – Quý IV/2026' },
    });
    expect([...new Set(result.events.flatMap((e) => ('period' in e ? [e.period] : [])))]).toEqual([
      '2026-H1',
      '2026-Q3',
    ]);
  });

  it('does not ask an assignment made after a report’s last day for that report', () => {
    const deadline: Deadline = { kind: 'range', start: '2026-01-01', due: '2026-12-18', raw: '2026' };
    const onLastDay = schedule({
      deadline,
      assignedAt: new Date(at('2026-03-19', '10:00')),
      now: new Date(at('2026-03-19', '10:00')),
    });
    expect(onLastDay.events[0]).toEqual({ kind: 'report-due', period: '2026-Q1', at: at('2026-03-20') });
    const dayAfter = schedule({ deadline, assignedAt: morning('2026-03-20'), now: morning('2026-03-20') });
    expect(dayAfter.events.some((e) => 'period' in e && e.period === '2026-Q1')).toBe(false);
  });

  it('drops timers that would fire before the assignment was made', () => {
    const result = schedule({ deadline: dateDeadline('2026-02-15'), assignedAt: morning('2026-02-02') });
    expect(result.events.filter((e) => e.kind === 'reminder').map((e) => e.at)).toEqual([
      at('2026-02-05'),
      at('2026-02-13'),
    ]);
  });
});

describe("the plan's report timers", () => {
  it('fire exactly the report events every assignment of the plan expects, for the whole plan period', () => {
    const period = { start: '2025-01-01', end: '2026-12-31' };
    const expected = computeSchedule({
      deadline: { kind: 'continuous', raw: 'Thường xuyên' },
      planPeriod: period,
      policy: defaultPolicy,
      calendar,
      now: morning('2025-01-01'),
      acknowledged: true,
    }).events;
    const timers = planReportTimers(period, defaultPolicy, calendar, morning('2025-01-01'));
    expect(timers).toEqual(expected);
    expect(timers).toHaveLength(24);
    // Tết 2025 does not touch the reports; 19 Dec 2026 is a Saturday, so the annual report is late on Tuesday 22.
    expect(timers.slice(0, 3).map(brief)).toEqual([
      `${at('2025-03-10')} report-reminder 2025-Q1 7`,
      `${at('2025-03-18')} report-reminder 2025-Q1 1`,
      `${at('2025-03-20')} report-due 2025-Q1`,
    ]);
    expect(brief(timers.at(-1)!)).toBe(`${at('2026-12-22')} report-due 2026-Y`);
  });

  it('list only what is still to come, so a revised or resumed plan does not fire a timer twice', () => {
    const timers = planReportTimers(plan2026, defaultPolicy, calendar, new Date(at('2026-03-20')));
    expect(brief(timers[0]!)).toBe(`${at('2026-06-10')} report-reminder 2026-H1 7`);
    expect(planReportTimers(plan2026, { ...defaultPolicy, reports: [] }, calendar, morning('2026-01-01'))).toEqual([]);
  });
});

describe('acknowledgement chase', () => {
  it.each([
    ['2026-02-12T15:30:00+07:00', '2026-02-24', 'Thursday before Tết: Fri 13, Mon 23, Tue 24'],
    ['2026-08-21T10:00:00+07:00', '2026-08-25', 'Friday before the make-up Saturday: Sat 22, Mon 24, Tue 25'],
    ['2025-12-30T23:30:00+07:00', '2026-01-05', 'over New Year: Wed 31, Fri 2, Mon 5'],
  ])('assigned %s → chased %s (%s)', (assigned, chase) => {
    const assignedAt = new Date(assigned);
    const result = schedule({
      deadline: { kind: 'unresolved', raw: 'Theo chỉ đạo' },
      assignedAt,
      now: assignedAt,
      acknowledged: false,
    });
    expect(result).toEqual({ effectiveDue: null, events: [{ kind: 'ack-chase', at: at(chase) }] });
  });

  it('is not sent once the assignment is acknowledged', () => {
    const assignedAt = morning('2026-03-02');
    expect(
      schedule({ deadline: { kind: 'unresolved', raw: '?' }, assignedAt, now: assignedAt, acknowledged: true }).events,
    ).toEqual([]);
  });

  it('counts from now when the assignment time is not given, and sits among the other events', () => {
    const result = schedule({ deadline: dateDeadline('2026-02-15'), acknowledged: false });
    expect(result.events.map(brief).slice(0, 2)).toEqual([
      `${at('2026-01-05')} reminder 30 → 2026-02-23`,
      `${at('2026-01-06')} ack-chase`,
    ]);
  });
});

describe('recurring tasks', () => {
  const yearly = (month?: number, day?: number): Deadline => ({
    kind: 'recurring',
    recurrence: { every: 'year', ...(month !== undefined ? { month } : {}), ...(day !== undefined ? { day } : {}) },
    raw: 'Hằng năm',
  });
  const plan = { start: '2025-01-01', end: '2026-12-31' };

  it('has one cycle per year inside the plan period', () => {
    expect(cyclesOf(yearly(), plan)).toEqual([
      { year: 2025, start: '2025-01-01', due: '2025-12-31', end: '2025-12-31' },
      { year: 2026, start: '2026-01-01', due: '2026-12-31', end: '2026-12-31' },
    ]);
    expect(cycleDeadline(yearly(2), 2024, { start: '2024-01-01', end: '2025-12-31' })?.due).toBe('2024-02-29');
    expect(cycleDeadline(yearly(2), 2025, { start: '2024-01-01', end: '2025-12-31' })?.due).toBe('2025-02-28');
    expect(cycleDeadline(yearly(4, 31), 2026, plan)?.due).toBe('2026-04-30');
    expect(cycleDeadline(yearly(6, 15), 2026, plan)?.due).toBe('2026-06-15');
    // A plan starting in March has no cycle due in January of its first year.
    expect(cycleDeadline(yearly(1), 2025, { start: '2025-03-01', end: '2026-12-31' })).toBeNull();
    expect(cycleDeadline(yearly(6), 2025, { start: '2025-03-01', end: '2026-12-31' })?.start).toBe('2025-03-01');
    expect(cycleDeadline(yearly(), 2027, plan)).toBeNull();
  });

  it('lists the events of the current cycle: the one whose year contains now', () => {
    // Due 30 June each year; the 2025 cycle still has its Q3 and annual reports after its ladder.
    // Levels 1 and 2 have fired (1 and 7 July); the late-planning catch-up has its own test below.
    const mid2025 = schedule({ deadline: yearly(6), planPeriod: plan, now: morning('2025-07-08'), escalationLevel: 2 });
    expect(mid2025.effectiveDue).toBe('2025-06-30');
    expect(mid2025.cycle?.year).toBe(2025);
    expect(mid2025.cycles?.map((c) => [c.year, c.effectiveDue])).toEqual([
      [2025, '2025-06-30'],
      [2026, '2026-06-30'],
    ]);
    expect(mid2025.events.map(brief)).toEqual([
      `${at('2025-07-21')} escalation 3`,
      `${at('2025-09-10')} report-reminder 2025-Q3 7`,
      `${at('2025-09-18')} report-reminder 2025-Q3 1`,
      `${at('2025-09-22')} report-due 2025-Q3`,
      `${at('2025-12-10')} report-reminder 2025-Y 7`,
      `${at('2025-12-18')} report-reminder 2025-Y 1`,
      `${at('2025-12-22')} report-due 2025-Y`,
    ]);
    expect(mid2025.events.every((e) => 'cycle' in e && e.cycle === 2025)).toBe(true);

    const early2026 = schedule({ deadline: yearly(6), planPeriod: plan, now: morning('2026-01-01') });
    expect(early2026.cycle?.year).toBe(2026);
    expect(early2026.events.filter((e) => e.kind === 'reminder' || e.kind === 'escalation').map(brief)).toEqual([
      `${at('2026-05-19')} reminder 30 → 2026-06-30`,
      `${at('2026-06-19')} reminder 7 → 2026-06-30`,
      `${at('2026-06-29')} reminder 1 → 2026-06-30`,
      `${at('2026-07-01')} escalation 1`,
      `${at('2026-07-07')} escalation 2`,
      `${at('2026-07-21')} escalation 3`,
    ]);
    expect(early2026.events.filter((e) => e.kind === 'report-due').map((e) => e.at)).toEqual([
      at('2026-03-20'),
      at('2026-06-22'),
      at('2026-09-22'),
      at('2026-12-22'),
    ]);
  });

  it('starts a new year with the new cycle, and still gives last year’s ladder when asked for its cycle', () => {
    const current = schedule({ deadline: yearly(), planPeriod: plan, now: morning('2026-01-05') });
    expect(current.cycle?.year).toBe(2026);
    const unfinished = schedule({
      deadline: yearly(),
      planPeriod: plan,
      now: morning('2026-01-05'),
      cycleYear: 2025,
      escalationLevel: 1,
    });
    expect(unfinished.cycle?.year).toBe(2025);
    expect(unfinished.events.map(brief)).toEqual([
      `${at('2026-01-08')} escalation 2`,
      `${at('2026-01-22')} escalation 3`,
    ]);
  });

  it('computes a given year’s cycle on request, and shifts its due day', () => {
    // 31 Aug 2026 is the swapped Monday, then National Day: the cycle is due Thu 3 Sep.
    const result = schedule({ deadline: yearly(8), planPeriod: plan, now: morning('2025-01-01'), cycleYear: 2026 });
    expect(result.cycle).toEqual({
      year: 2026,
      start: '2026-01-01',
      due: '2026-08-31',
      end: '2026-12-31',
      effectiveDue: '2026-09-03',
    });
    expect(result.events.every((e) => 'cycle' in e && e.cycle === 2026)).toBe(true);
    expect(result.events.find((e) => e.kind === 'escalation')?.at).toBe(at('2026-09-04'));
    expect(() => schedule({ deadline: yearly(8), planPeriod: plan, cycleYear: 2030 })).toThrow(/no cycle in 2030/);
  });

  it('returns the last cycle with nothing to come once the plan is over', () => {
    const result = schedule({ deadline: yearly(6), planPeriod: plan, now: morning('2027-01-01'), escalationLevel: 3 });
    expect(result.cycle?.year).toBe(2026);
    expect(result.events).toEqual([]);
  });
});

describe('plan policy', () => {
  it('fires at the policy hour with the policy offsets', () => {
    const policy: PlanPolicy = {
      ...defaultPolicy,
      dueReminderWorkingDays: [3],
      reports: [],
      escalation: [{ level: 1, afterWorkingDays: 2 }],
      fireHour: 14,
    };
    const result = schedule({ deadline: dateDeadline('2026-02-15'), policy });
    expect(result.events.map(brief)).toEqual([
      `${at('2026-02-11', '14:00')} reminder 3 → 2026-02-23`,
      `${at('2026-02-25', '14:00')} escalation 1`,
    ]);
  });

  it('merges a partial policy over the defaults', () => {
    const resolved = resolvePolicy({
      reportDueRule: 'no-later-than-20th',
      escalation: [{ level: 1, afterWorkingDays: 2 }],
    });
    expect(resolved).toEqual({
      policy: {
        ...defaultPolicy,
        reportDueRule: 'no-later-than-20th',
        escalation: [{ level: 1, afterWorkingDays: 2 }],
      },
    });
    expect(resolvePolicy(undefined)).toEqual({ policy: defaultPolicy });
    expect(defaultPolicy.escalation.map((s) => s.afterWorkingDays)).toEqual([1, 5, 15]);
  });

  it.each([
    [{ fireHour: 24 }, 'fireHour'],
    [{ fireHours: 8 }, 'fireHours'],
    [{ reportDueRule: 'by-the-20th' }, 'reportDueRule'],
    [{ reports: ['Q1', 'Q2'] }, 'reports[1]'],
    [{ dueReminderWorkingDays: [30, 0] }, 'dueReminderWorkingDays[1]'],
    [{ reportReminderWorkingDays: [7, 7] }, 'reportReminderWorkingDays[1]'],
    [
      {
        escalation: [
          { level: 1, afterWorkingDays: 5 },
          { level: 2, afterWorkingDays: 5 },
        ],
      },
      'escalation[1].afterWorkingDays',
    ],
    [
      {
        escalation: [
          { level: 2, afterWorkingDays: 1 },
          { level: 1, afterWorkingDays: 5 },
        ],
      },
      'escalation[1].level',
    ],
    [{ escalation: [{ level: 1 }] }, 'escalation[0].afterWorkingDays'],
    [{ ackChaseWorkingDays: -1 }, 'ackChaseWorkingDays'],
    [{ shiftDeadlineToWorkingDay: 'yes' }, 'shiftDeadlineToWorkingDay'],
    [[1, 2], ''],
  ])('refuses %j, naming %s', (partial, field) => {
    const resolved = resolvePolicy(partial);
    expect('errors' in resolved && resolved.errors.map((e) => e.field)).toEqual([field]);
  });

  it('does not let a caller change the shared defaults', () => {
    expect(() => defaultPolicy.dueReminderWorkingDays.push(2)).toThrow(TypeError);
    const resolved = resolvePolicy({});
    if (!('policy' in resolved)) throw new Error('expected a policy');
    resolved.policy.escalation.pop();
    expect(defaultPolicy.escalation).toHaveLength(3);
  });
});

describe("a plan's shared deadline timers", () => {
  it('are the due reminders and ladder steps an assignment due that day plans for itself', () => {
    // Thursday 31 December 2026; 1 January 2027 is a holiday and 2–3 January a weekend.
    const now = new Date(at('2026-10-01', '09:00'));
    const own = schedule({ deadline: dateDeadline('2026-12-31'), now, assignedAt: now, acknowledged: true });
    const shared = planDeadlineTimers(['2026-12-31'], defaultPolicy, calendar, now);
    expect(shared.map((t) => t.event)).toEqual(
      own.events.filter((e) => e.kind === 'reminder' || e.kind === 'escalation'),
    );
    expect(shared.every((t) => t.effectiveDue === '2026-12-31')).toBe(true);
    expect(shared.find((t) => t.event.kind === 'escalation')!.event.at).toBe(at('2027-01-04'));
  });

  it('merge two due days that shift to the same working day, and keep only those after the instant given', () => {
    // Saturday 14 and Sunday 15 March 2026 both move to Monday 16.
    const policy = { ...defaultPolicy, dueReminderWorkingDays: [1], escalation: [{ level: 1, afterWorkingDays: 1 }] };
    const timers = planDeadlineTimers(
      ['2026-03-14', '2026-03-15', '2026-03-16'],
      policy,
      calendar,
      morning('2026-03-14'),
    );
    expect(timers.map((t) => `${t.event.at} ${t.event.kind} ${t.effectiveDue}`)).toEqual([
      `${at('2026-03-17')} escalation 2026-03-16`,
    ]);
  });
});
