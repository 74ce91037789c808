import type { Client } from '@temporalio/client';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { openStatuses } from '../domain/lifecycle.ts';
import { assignmentLink } from '../domain/notifications.ts';
import { notificationForStop, stopReasonOf, type WorkflowStopReason } from '../domain/workflow-stops.ts';
import type { Database } from '../db/client.ts';
import { assignments, auditLog, notifications, plans, tasks } from '../db/schema.ts';
import { changeAuditKey, noticeKey } from '../domain/record-keys.ts';

export interface StoppedAssignmentsInput {
  /** Closed since this instant (ISO); the previous round's `until`. */
  since: string;
}

export interface StoppedAssignmentsResult {
  /** The latest close time seen: the next round looks from here. */
  until: string;
  /** Assignments newly found stopped while their work is open. */
  found: string[];
}

// Temporal's visibility names the statuses of a closed run; ContinuedAsNew and Completed are normal ends.
const ABNORMAL_CLOSE = "ExecutionStatus IN ('Terminated', 'Failed', 'TimedOut', 'Canceled')";
/** At most this many closed runs a round: a mass termination is worked through over a few rounds. */
const PER_ROUND = 500;

/**
 * Finds assignment workflows that Temporal closed abnormally (terminated, failed, timed out,
 * cancelled) while their read model says the work is open, and marks them stopped in one
 * transaction: the row, an audit entry and a notice to the coordinator, each keyed by the run so a
 * retry writes nothing twice. A run whose workflow id runs again (restarted) is left alone.
 */
export async function findStoppedAssignments(
  db: Database,
  client: Client,
  input: StoppedAssignmentsInput,
): Promise<StoppedAssignmentsResult> {
  const closed: { id: string; runId: string; reason: WorkflowStopReason; at: Date }[] = [];
  let until = input.since;
  const query = `WorkflowType = 'assignmentWorkflow' AND ${ABNORMAL_CLOSE} AND CloseTime >= '${new Date(input.since).toISOString()}'`;
  for await (const run of client.workflow.list({ query })) {
    const reason = stopReasonOf(run.status.name);
    if (!reason || !run.closeTime) continue;
    closed.push({ id: run.workflowId, runId: run.runId, reason, at: run.closeTime });
    if (run.closeTime.toISOString() > until) until = run.closeTime.toISOString();
    if (closed.length >= PER_ROUND) break;
  }
  if (closed.length === 0) return { until, found: [] };

  const open = await db
    .select({
      id: assignments.id,
      agencyCode: assignments.agencyCode,
      taskNumber: tasks.key,
      taskTitle: tasks.title,
      planCode: plans.code,
    })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .where(
      and(
        inArray(
          assignments.id,
          closed.map((c) => c.id),
        ),
        inArray(assignments.status, [...openStatuses]),
        isNull(assignments.workflowStoppedAt),
      ),
    );
  // The latest run decides: a workflow restarted (or started again by the dispatch) is running.
  const stopped: (typeof closed)[number][] = [];
  for (const row of open) {
    const run = closed.find((c) => c.id === row.id)!;
    const latest = await client.workflow.getHandle(row.id).describe();
    if (latest.runId === run.runId) stopped.push(run);
  }
  if (stopped.length === 0) return { until, found: [] };

  await db.transaction(async (tx) => {
    for (const run of stopped) {
      const row = open.find((r) => r.id === run.id)!;
      const marked = await tx
        .update(assignments)
        .set({ workflowStoppedAt: run.at, workflowStopReason: run.reason })
        .where(and(eq(assignments.id, run.id), isNull(assignments.workflowStoppedAt)))
        .returning({ id: assignments.id });
      if (marked.length === 0) continue;
      await tx
        .insert(auditLog)
        .values({
          at: run.at,
          actor: 'system:watch',
          action: 'workflow-stopped',
          entityType: 'assignment',
          entityId: run.id,
          details: { reason: run.reason, runId: run.runId },
          dedupeKey: changeAuditKey(run.id, `stopped:${run.runId}`),
        })
        .onConflictDoNothing({ target: auditLog.dedupeKey });
      const draft = notificationForStop(
        run.reason,
        {
          assignmentId: run.id,
          taskNumber: row.taskNumber,
          taskTitle: row.taskTitle,
          planCode: row.planCode,
          agencyCode: row.agencyCode,
          collaboratorCodes: [],
          effectiveDue: null,
        },
        assignmentLink(run.id),
      );
      await tx
        .insert(notifications)
        .values({
          assignmentId: run.id,
          recipientRole: 'coordinator',
          kind: draft.kind,
          text: draft.text,
          link: draft.link,
          createdAt: run.at,
          dedupeKey: noticeKey(run.id, `stopped:${run.runId}`, draft),
        })
        .onConflictDoNothing({ target: notifications.dedupeKey });
    }
  });
  return { until, found: stopped.map((s) => s.id) };
}
