import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { openStatuses } from '../domain/lifecycle.ts';
import { assignments, calendarState, plans } from '../db/schema.ts';
import { calendarChangedSignal, planDeadlinesWorkflowId, planReportsWorkflowId } from '../workflows/messages.ts';
import type { ServiceDeps } from './deps.ts';
import { forEachLimited } from './workflow-dispatch.ts';

const SIGNAL_CONCURRENCY = 32;

/**
 * Tells every running workflow that the calendar data changed (a year's notice added, the
 * statutory rules edited), so each plans its timers again on the new calendar, looking ahead
 * only, as after a plan revision. Done once per calendar version: the version is stored only
 * after every workflow was told, so an interrupted announcement is repeated at the next start
 * (a workflow told twice just plans twice).
 */
export async function announceCalendarChange(
  deps: ServiceDeps,
  version: string,
): Promise<{ changed: boolean; assignments: number; plans: number }> {
  const [known] = await deps.db.select().from(calendarState).where(eq(calendarState.key, 'calendar'));
  if (known?.version === version) return { changed: false, assignments: 0, plans: 0 };

  const open = await deps.db
    .select({ id: assignments.id })
    .from(assignments)
    .where(and(inArray(assignments.status, [...openStatuses]), isNotNull(assignments.workflowStartedAt)));
  const withTimers = await deps.db.select({ id: plans.id }).from(plans).where(isNotNull(plans.reportTimersRevision));
  const workflowIds = [
    ...open.map((a) => a.id),
    ...withTimers.flatMap((p) => [planReportsWorkflowId(p.id), planDeadlinesWorkflowId(p.id)]),
  ];
  await forEachLimited(workflowIds, SIGNAL_CONCURRENCY, async (workflowId) => {
    try {
      await deps.temporal.client.workflow.getHandle(workflowId).signal(calendarChangedSignal, version);
    } catch (error) {
      // Finished since the read model last heard of it: it has no timers left to plan.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  });
  await deps.db
    .insert(calendarState)
    .values({ key: 'calendar', version })
    .onConflictDoUpdate({ target: calendarState.key, set: { version, announcedAt: new Date() } });
  return { changed: true, assignments: open.length, plans: withTimers.length };
}
