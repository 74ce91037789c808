import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { assignments, plans, tasks, workflowOutbox } from '../db/schema.ts';
import {
  commandUpdates,
  planDeadlinesRevisedSignal,
  planDeadlinesWorkflowId,
  planReportsWorkflowId,
  planRevisedSignal,
  revisePlanUpdate,
  type AssignmentInput,
  type CarriedState,
  type PlanDeadlinesInput,
  type PlanReportsInput,
} from '../workflows/messages.ts';
import { assignmentWorkflow } from '../workflows/assignment.ts';
import { planDeadlinesWorkflow } from '../workflows/plan-deadlines.ts';
import { planReportsWorkflow } from '../workflows/plan-reports.ts';
import type { ServiceDeps } from './deps.ts';
import { initialLifecycle } from '../domain/lifecycle.ts';
import { instantAt } from '../domain/instant.ts';
import { isBusy } from './assignment-commands.ts';

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

const START_CONCURRENCY = 64;

/**
 * Starts every workflow an import owes and sends every command it owes. Safe to run again and
 * from several processes: starts use the business ID and join a running workflow, commands
 * already applied are refused by the workflow and counted as done.
 */
export async function dispatchPlan(
  deps: ServiceDeps,
  planId?: string,
): Promise<{ started: number; sent: number; failed: number }> {
  await tellPlanReportTimers(deps, planId);
  const started = await startOwedWorkflows(deps, planId);
  const { sent, failed } = await sendOwedCommands(deps, planId);
  return { started, sent, failed };
}

/**
 * Starts each plan's report-timers and deadline-timers workflows, or tells the running ones of a
 * revision. Before the assignments: their first late mark, due reminder or escalation must find the
 * plan's timers running.
 */
async function tellPlanReportTimers(deps: ServiceDeps, planId?: string): Promise<void> {
  const owed = await deps.db
    .select()
    .from(plans)
    .where(
      and(
        planId ? eq(plans.id, planId) : undefined,
        or(isNull(plans.reportTimersRevision), sql`${plans.reportTimersRevision} < ${plans.revision}`),
      ),
    );
  for (const plan of owed) {
    const input: PlanReportsInput = {
      planId: plan.id,
      revision: plan.revision,
      planPeriod: { start: plan.periodStart, end: plan.periodEnd },
      policy: plan.policy as Record<string, unknown>,
      since: plan.updatedAt.toISOString(),
    };
    // A run that has ended (the plan's last report passed) is started anew by a revision.
    await deps.temporal.client.workflow.signalWithStart(planReportsWorkflow, {
      taskQueue: deps.temporal.taskQueue,
      workflowId: planReportsWorkflowId(plan.id),
      args: [input],
      signal: planRevisedSignal,
      signalArgs: [{ revision: input.revision, planPeriod: input.planPeriod, policy: input.policy }],
    });
    const deadlines: PlanDeadlinesInput = {
      planId: plan.id,
      revision: plan.revision,
      policy: input.policy,
      dueDays: await dueDaysOf(deps, plan.id),
      since: input.since,
    };
    await deps.temporal.client.workflow.signalWithStart(planDeadlinesWorkflow, {
      taskQueue: deps.temporal.taskQueue,
      workflowId: planDeadlinesWorkflowId(plan.id),
      args: [deadlines],
      signal: planDeadlinesRevisedSignal,
      signalArgs: [{ revision: deadlines.revision, policy: deadlines.policy, dueDays: deadlines.dueDays }],
    });
    await deps.db
      .update(plans)
      .set({ reportTimersRevision: plan.revision })
      .where(and(eq(plans.id, plan.id), sql`coalesce(${plans.reportTimersRevision}, 0) < ${plan.revision}`));
  }
}

/** The distinct due days of the plan's tasks that are a date or a range: the days the plan's deadline timers fire for. */
async function dueDaysOf(deps: ServiceDeps, planId: string): Promise<string[]> {
  const rows = await deps.db
    .selectDistinct({ due: sql<string>`${tasks.deadline}->>'due'` })
    .from(tasks)
    .where(
      and(
        eq(tasks.planId, planId),
        isNull(tasks.removedAt),
        sql`${tasks.deadline}->>'kind' in ('date', 'range')`,
        sql`${tasks.deadline}->>'due' is not null`,
      ),
    );
  return rows.map((r) => r.due).sort();
}

/** What an assignment's workflow is started with, read from its plan, task and row. */
function inputQuery(deps: ServiceDeps) {
  return deps.db
    .select({
      id: assignments.id,
      agencyCode: assignments.agencyCode,
      planId: plans.id,
      planCode: plans.code,
      periodStart: plans.periodStart,
      periodEnd: plans.periodEnd,
      policy: plans.policy,
      taskId: tasks.id,
      // The key names the task unambiguously in notices ("nhiệm vụ số II.1").
      taskNumber: tasks.key,
      taskTitle: tasks.title,
      deadline: tasks.deadline,
      collaborators: tasks.collaborators,
      completion: tasks.completion,
      status: assignments.status,
      createdAt: assignments.createdAt,
      deadlineTimersRevision: plans.reportTimersRevision,
    })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId));
}

type InputRow = Awaited<ReturnType<ReturnType<typeof inputQuery>['execute']>>[number];

/**
 * The state a task done before its plan was imported starts in: completed on its day (17:00 local),
 * with an accepted submission dated then, so its workflow chases nothing and the read model's
 * completion and on-time mark are true to that day.
 */
function completedAtImport(row: InputRow, assignedAt: string): CarriedState | undefined {
  if (!row.completion || row.status !== 'completed') return undefined;
  const { completedOn, document } = row.completion;
  const at = instantAt(completedOn, 17).toISOString();
  return {
    lifecycle: {
      ...initialLifecycle(row.agencyCode, row.deadline),
      status: 'completed',
      completedAt: at,
      submissions: [
        {
          type: document?.kind ?? 'Kết quả thực hiện',
          documentNumber: document?.number ?? '',
          documentDate: document?.date ?? completedOn,
          submittedAt: at,
          submittedBy: 'system:import',
          outcome: 'accepted',
          decidedAt: at,
        },
      ],
    },
    version: 0,
    assignedAt,
    leadSince: assignedAt,
    escalationLevel: 0,
    latePeriods: [],
    cycleYear: null,
    cycles: [],
    planFrom: assignedAt,
    completedAtImport: { completedOn, at },
  };
}

function inputOf(row: InputRow): AssignmentInput {
  const carried = completedAtImport(row, row.createdAt.toISOString());
  return {
    ...(carried ? { carried } : {}),
    assignmentId: row.id,
    planId: row.planId,
    planCode: row.planCode,
    planPeriod: { start: row.periodStart, end: row.periodEnd },
    policy: row.policy as Record<string, unknown>,
    taskId: row.taskId,
    taskNumber: row.taskNumber,
    taskTitle: row.taskTitle,
    agencyCode: row.agencyCode,
    collaboratorCodes: row.collaborators.flatMap((c) => (c.code ? [c.code] : [])),
    deadline: row.deadline,
    assignedAt: row.createdAt.toISOString(),
    // Only a plan whose deadline timers run (started before any assignment) fires them for it.
    deadlineTimersByPlan: row.deadlineTimersRevision !== null,
  };
}

/** The input an assignment's workflow starts with, as its plan and task are now; undefined if there is no such assignment. */
export async function assignmentInput(deps: ServiceDeps, id: string): Promise<AssignmentInput | undefined> {
  const [row] = await inputQuery(deps).where(eq(assignments.id, id));
  return row ? inputOf(row) : undefined;
}

async function startOwedWorkflows(deps: ServiceDeps, planId?: string): Promise<number> {
  const owed = await inputQuery(deps).where(
    planId
      ? and(eq(assignments.planId, planId), isNull(assignments.workflowStartedAt))
      : isNull(assignments.workflowStartedAt),
  );

  const done: string[] = [];
  const { client, taskQueue } = deps.temporal;
  await forEachLimited(owed, START_CONCURRENCY, async (row) => {
    const input = inputOf(row);
    try {
      await client.workflow.start(assignmentWorkflow, {
        taskQueue,
        workflowId: row.id,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      // Already started once and since closed: nothing is owed.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    done.push(row.id);
  }).finally(async () => {
    for (let i = 0; i < done.length; i += 5000) {
      await deps.db
        .update(assignments)
        .set({ workflowStartedAt: sql`now()` })
        .where(and(inArray(assignments.id, done.slice(i, i + 5000)), isNull(assignments.workflowStartedAt)));
    }
  });
  return done.length;
}

async function sendOwedCommands(deps: ServiceDeps, planId?: string): Promise<{ sent: number; failed: number }> {
  const owed = await deps.db
    .select({
      id: workflowOutbox.id,
      assignmentId: workflowOutbox.assignmentId,
      command: workflowOutbox.command,
      actor: workflowOutbox.actor,
    })
    .from(workflowOutbox)
    .innerJoin(assignments, eq(assignments.id, workflowOutbox.assignmentId))
    .where(planId ? and(isNull(workflowOutbox.sentAt), eq(assignments.planId, planId)) : isNull(workflowOutbox.sentAt))
    .orderBy(asc(workflowOutbox.id));

  // Commands to one assignment go in order; different assignments in parallel.
  const byAssignment = new Map<string, typeof owed>();
  for (const row of owed) byAssignment.set(row.assignmentId, [...(byAssignment.get(row.assignmentId) ?? []), row]);

  let sent = 0;
  let failed = 0;
  await forEachLimited([...byAssignment.values()], START_CONCURRENCY, async (rows) => {
    for (const row of rows) {
      const command = row.command;
      const actor = row.actor;
      let outcome: string | null = null;
      try {
        const handle = deps.temporal.client.workflow.getHandle(row.assignmentId);
        if (command.type === 'revisePlan')
          await handle.executeUpdate(revisePlanUpdate, { args: [{ actor, revision: command.revision }] });
        else await handle.executeUpdate(commandUpdates[command.type] as never, { args: [{ actor, command }] as never });
      } catch (error) {
        // A busy workflow takes the command in a moment: it stays owed, like one Temporal could not take.
        if (!isBusy(error) && (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError)) {
          outcome =
            error instanceof WorkflowUpdateFailedError ? (error.cause?.message ?? error.message) : 'workflow closed';
        } else {
          failed += 1;
          await deps.db
            .update(workflowOutbox)
            .set({ lastError: error instanceof Error ? error.message : String(error) })
            .where(eq(workflowOutbox.id, row.id));
          return; // keep the order: later commands wait for this one
        }
      }
      sent += 1;
      await deps.db
        .update(workflowOutbox)
        .set({ sentAt: sql`now()`, lastError: outcome })
        .where(eq(workflowOutbox.id, row.id));
    }
  });
  return { sent, failed };
}
