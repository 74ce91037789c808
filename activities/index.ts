import type { WorkingCalendar } from '../domain/calendar.ts';
import type { Database } from '../db/client.ts';
import { planSchedule, type PlanScheduleInput } from './plan-schedule.ts';
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
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { AuditEntry, EscalationRecord, NotificationRecord, RecordAssignmentInput } from './record-assignment.ts';
export type { PlannedSchedule, PlanScheduleInput } from './plan-schedule.ts';
