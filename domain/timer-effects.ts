import { isWithLead, type AssignmentStatus, type ProgressReport } from './lifecycle.ts';
import type { ScheduleEvent } from './schedule.ts';

/** What a fired timer changes, given the assignment as it is when the timer fires. */
export type TimerEffect = { fires: false } | { fires: true; markLate?: string; escalationLevel?: number };

/**
 * Timers only chase work that is still with the lead agency: nothing fires for work submitted
 * (it waits for the coordinator), completed or cancelled, and a report timer stays silent once
 * that period's report has been filed.
 */
export function timerEffect(
  event: ScheduleEvent,
  now: { status: AssignmentStatus; reports: readonly ProgressReport[]; escalationLevel: number },
): TimerEffect {
  if (!isWithLead(now.status)) return { fires: false };
  switch (event.kind) {
    case 'ack-chase':
      return now.status === 'assigned' ? { fires: true } : { fires: false };
    case 'reminder':
      return { fires: true };
    case 'report-reminder':
      return now.reports.some((r) => r.period === event.period) ? { fires: false } : { fires: true };
    case 'report-due':
      return now.reports.some((r) => r.period === event.period)
        ? { fires: false }
        : { fires: true, markLate: event.period };
    case 'escalation':
      return event.level > now.escalationLevel ? { fires: true, escalationLevel: event.level } : { fires: false };
  }
}

/** A stable name for one firing of one timer, so that it is recorded once. */
export function timerKey(event: ScheduleEvent): string {
  const what =
    'period' in event ? event.period : 'level' in event ? `L${event.level}` : 'dueDate' in event ? event.dueDate : '';
  const offset = 'workingDaysBefore' in event ? `-${event.workingDaysBefore}` : '';
  const cycle = 'cycle' in event && event.cycle !== undefined ? `${event.cycle}:` : '';
  return `${event.kind}:${cycle}${what}${offset}@${event.at}`;
}
