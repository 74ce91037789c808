import { Context } from '@temporalio/activity';
import type { WorkingCalendar } from '../domain/calendar.ts';
import type { Database } from '../db/client.ts';
import { markDeadlines, type MarkDeadlinesInput } from './mark-deadlines.ts';
import { markReports, type MarkReportsInput } from './mark-reports.ts';
import {
  planDeadlineTimersOf,
  planReportTimersOf,
  planSchedule,
  type PlanDeadlineTimersInput,
  type PlanReportTimersInput,
  type PlanScheduleInput,
} from './plan-schedule.ts';
import { recordAssignment, type RecordAssignmentInput } from './record-assignment.ts';

export interface ActivityDeps {
  db: Database;
  calendar: WorkingCalendar;
}

/** Activities close over their dependencies; the worker builds them once. */
export function createActivities(deps: ActivityDeps) {
  return {
    recordAssignment: (input: RecordAssignmentInput) => recordAssignment(deps.db, input),
    planSchedule: async (input: PlanScheduleInput) => planSchedule(deps.calendar, input),
    planReportTimers: async (input: PlanReportTimersInput) => planReportTimersOf(deps.calendar, input),
    planDeadlineTimers: async (input: PlanDeadlineTimersInput) => planDeadlineTimersOf(deps.calendar, input),
    markDeadlines: (input: MarkDeadlinesInput) => markDeadlines(deps.db, input),
    // Waits for unprojected assignments for ten minutes at most (Temporal retries it meanwhile):
    // one workflow that cannot start must not hold back the whole plan's marks.
    markReports: (input: MarkReportsInput) =>
      markReports(deps.db, input, {
        waitForProjections: Date.now() - Context.current().info.scheduledTimestampMs < 10 * 60_000,
      }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { AuditEntry, EscalationRecord, NotificationRecord, RecordAssignmentInput } from './record-assignment.ts';
export type {
  PlanDeadlineTimersInput,
  PlannedSchedule,
  PlanReportTimersInput,
  PlanScheduleInput,
} from './plan-schedule.ts';
export type { MarkDeadlinesInput } from './mark-deadlines.ts';
export type { MarkReportsInput } from './mark-reports.ts';
