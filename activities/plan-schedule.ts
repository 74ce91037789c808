import type { WorkingCalendar } from '../domain/calendar.ts';
import { resolvePolicy } from '../domain/policy.ts';
import {
  computeSchedule,
  planDeadlineTimers,
  planReportTimers,
  type PlanDeadlineTimer,
  type PlanReportEvent,
  type Schedule,
} from '../domain/schedule.ts';
import type { Deadline, IsoDate } from '../domain/types.ts';

export interface PlanScheduleInput {
  deadline: Deadline;
  planPeriod: { start: IsoDate; end: IsoDate };
  policy: Record<string, unknown>;
  /** Plan time, ISO. */
  now: string;
  leadSince: string;
  acknowledged: boolean;
  cycleYear?: number;
  /** The assignment's current escalation level: an overdue assignment is caught up above it once (absent: 0). */
  escalationLevel?: number;
}

export type PlannedSchedule = Schedule & { error?: string };

function policyError(errors: { field: string; message: string }[]): string {
  return `invalid policy: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
}

/**
 * The assignment's upcoming timers, from the calendar the worker loaded. Run as a local activity:
 * its answer is recorded in the workflow's history, so a holiday added to the calendar later
 * changes the next plan of the timers, never the replay of the past.
 */
export function planSchedule(calendar: WorkingCalendar, input: PlanScheduleInput): PlannedSchedule {
  const resolved = resolvePolicy(input.policy);
  if ('errors' in resolved)
    return { effectiveDue: input.deadline.due ?? null, events: [], error: policyError(resolved.errors) };
  try {
    return computeSchedule({
      deadline: input.deadline,
      planPeriod: input.planPeriod,
      policy: resolved.policy,
      calendar,
      now: new Date(input.now),
      assignedAt: new Date(input.leadSince),
      acknowledged: input.acknowledged,
      cycleYear: input.cycleYear,
      escalationLevel: input.escalationLevel,
    });
  } catch (error) {
    // A deadline the schedule cannot read gives no timers rather than a stuck workflow.
    return {
      effectiveDue: input.deadline.due ?? null,
      events: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export interface PlanReportTimersInput {
  planPeriod: { start: IsoDate; end: IsoDate };
  policy: Record<string, unknown>;
  /** Plan time, ISO: timers strictly after it. */
  after: string;
}

/** The plan's report timers (reminders and late marks, each for all its assignments at once). */
export function planReportTimersOf(
  calendar: WorkingCalendar,
  input: PlanReportTimersInput,
): { events: PlanReportEvent[]; error?: string } {
  const resolved = resolvePolicy(input.policy);
  if ('errors' in resolved) return { events: [], error: policyError(resolved.errors) };
  try {
    return { events: planReportTimers(input.planPeriod, resolved.policy, calendar, new Date(input.after)) };
  } catch (error) {
    return { events: [], error: error instanceof Error ? error.message : String(error) };
  }
}

export interface PlanDeadlineTimersInput {
  /** The plan's due days (last permissible days of its tasks, before any shift). */
  dueDays: IsoDate[];
  policy: Record<string, unknown>;
  /** Plan time, ISO: timers strictly after it. */
  after: string;
}

/** The plan's shared deadline timers (due reminders and escalation steps, each for every assignment due that day). */
export function planDeadlineTimersOf(
  calendar: WorkingCalendar,
  input: PlanDeadlineTimersInput,
): { timers: PlanDeadlineTimer[]; error?: string } {
  const resolved = resolvePolicy(input.policy);
  if ('errors' in resolved) return { timers: [], error: policyError(resolved.errors) };
  try {
    return { timers: planDeadlineTimers(input.dueDays, resolved.policy, calendar, new Date(input.after)) };
  } catch (error) {
    return { timers: [], error: error instanceof Error ? error.message : String(error) };
  }
}
