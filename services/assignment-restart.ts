import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { AssignmentView } from '../domain/assignment-view.ts';
import { toPlanTime } from '../domain/clock.ts';
import { isClosed, type Actor, type LifecycleState } from '../domain/lifecycle.ts';
import { canRead, type Principal } from '../domain/permissions.ts';
import { assignments } from '../db/schema.ts';
import { assignmentWorkflow } from '../workflows/assignment.ts';
import type { AssignmentInput, CarriedState } from '../workflows/messages.ts';
import { findAssignmentRow, partiesOf, toAssignment, type AssignmentDto } from './assignment-reads.ts';
import { recordAudit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, Forbidden, NotFound } from './errors.ts';
import { assignmentInput } from './workflow-dispatch.ts';

/** The lifecycle part of a projected view: what the workflow decides commands on. */
function lifecycleOf(
  view: Partial<AssignmentView>,
  fallback: { agencyCode: string; deadline: LifecycleState['deadline'] },
) {
  return {
    status: view.status ?? 'assigned',
    agencyCode: view.agencyCode ?? fallback.agencyCode,
    deadline: view.deadline ?? fallback.deadline,
    ...(view.dueOverride ? { dueOverride: view.dueOverride } : {}),
    ...(view.acknowledgedAt ? { acknowledgedAt: view.acknowledgedAt } : {}),
    ...(view.completedAt ? { completedAt: view.completedAt } : {}),
    ...(view.cancelledAt ? { cancelledAt: view.cancelledAt } : {}),
    ...(view.cancelReason ? { cancelReason: view.cancelReason } : {}),
    submissions: view.submissions ?? [],
    reports: view.reports ?? [],
    extensions: view.extensions ?? [],
    contributions: view.contributions ?? [],
    agencyHistory: view.agencyHistory ?? [],
  } satisfies LifecycleState;
}

/**
 * The state a new run carries, from the read model: the workflow wrote it last, so it is the truth
 * as of the stop. The run plans its timers from that moment, so reminders and escalations due while
 * it was stopped are caught up, each once.
 */
function carriedFrom(
  input: AssignmentInput,
  view: Partial<AssignmentView>,
  version: number,
  lastWrite: Date,
): CarriedState {
  const clock = (input.policy as { clock?: Parameters<typeof toPlanTime>[1] }).clock;
  const lifecycle = lifecycleOf(view, { agencyCode: input.agencyCode, deadline: input.deadline });
  const assignedAt = view.assignedAt ?? input.assignedAt ?? lastWrite.toISOString();
  return {
    lifecycle,
    version,
    assignedAt,
    leadSince: lifecycle.agencyHistory.at(-1)?.at ?? assignedAt,
    escalationLevel: view.escalationLevel ?? 0,
    latePeriods: view.latePeriods ?? [],
    cycleYear: view.cycle?.year ?? null,
    cycles: view.cycles ?? [],
    planFrom: toPlanTime(lastWrite, clock).toISOString(),
  };
}

/**
 * Restarts an assignment whose workflow Temporal closed while its work is open (terminated,
 * failed, timed out): a new run of the same workflow id, carrying the state last projected. Only
 * a run that ended abnormally may be replaced; a running or normally finished one is refused.
 */
export async function restartAssignment(
  deps: ServiceDeps,
  input: { principal: Principal; actor: Actor; id: string },
): Promise<AssignmentDto> {
  const row = await findAssignmentRow(deps.db, input.id);
  if (!row || !canRead(input.principal, partiesOf(row))) throw new NotFound(`Không có nhiệm vụ ${input.id}.`);
  if (input.principal.role !== 'coordinator')
    throw new Forbidden('Chỉ cơ quan thường trực được khởi động lại nhiệm vụ.');
  if (isClosed(row.row.status as AssignmentView['status']))
    throw new Conflict('Nhiệm vụ đã kết thúc (hoàn thành hoặc đã hủy); không cần khởi động lại.');
  const handle = deps.temporal.client.workflow.getHandle(row.row.id);
  const running = await handle
    .describe()
    .then((d) => d.status.name === 'RUNNING')
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    });
  if (running) throw new Conflict('Nhiệm vụ vẫn đang được theo dõi bình thường; không cần khởi động lại.');

  const fresh = await assignmentInput(deps, row.row.id);
  if (!fresh) throw new NotFound(`Không có nhiệm vụ ${input.id}.`);
  const carried = carriedFrom(fresh, row.row.state, row.row.version, row.row.updatedAt);
  try {
    await deps.temporal.client.workflow.start(assignmentWorkflow, {
      taskQueue: deps.temporal.taskQueue,
      workflowId: row.row.id,
      args: [{ ...fresh, carried }],
      // Only over a run that ended abnormally: a completed run is never started again.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      workflowIdConflictPolicy: 'FAIL',
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      throw new Conflict('Tiến trình của nhiệm vụ đã kết thúc bình thường hoặc vừa được khởi động lại.');
    throw error;
  }
  await deps.db.transaction(async (tx) => {
    await tx
      .update(assignments)
      .set({ workflowStoppedAt: null, workflowStopReason: null, workflowStartedAt: new Date() })
      .where(eq(assignments.id, row.row.id));
    await recordAudit(tx, {
      actor: input.actor,
      action: 'workflow-restart',
      entityType: 'assignment',
      entityId: row.row.id,
      from: row.row.workflowStopReason ?? 'closed',
      to: 'running',
      details: { version: row.row.version, status: row.row.status },
    });
  });
  return toAssignment((await findAssignmentRow(deps.db, row.row.id))!, undefined, new Date(), input.principal);
}
