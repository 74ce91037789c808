import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { toRealTime } from '../../domain/clock.ts';
import type { AssignmentView } from '../../domain/assignment-view.ts';
import { assignments, auditLog, notifications } from '../../db/schema.ts';
import { commandUpdates } from '../../workflows/messages.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { agencyActor, importSimulatedPlan, query, saveHistoryForReplay } from '../support/assignments.ts';

// Finding 2 of RELIABILITY.md: a change is first written to the read model by a local activity,
// inside the workflow task that made it. When that task never completes (the worker dies after the
// commit), the change is made again by the next task, and if that task meets the state at a later
// instant (a timer of the plan's due day has come since) the change gets another version.

const root = fileURLToPath(new URL('../../', import.meta.url));
let ctx: TestContext;
let child: ChildProcess | undefined;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await ctx?.close();
});

/** A worker process that kills itself once the contribution `text` has been written. */
function startCrashingWorker(text: string): { exited: Promise<void> } {
  const proc = spawn(process.execPath, ['bin/run-ts.js', 'test/support/crashing-worker.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: ctx.namespace,
      TEMPORAL_TASK_QUEUE: ctx.taskQueue,
      DATABASE_URL: ctx.databaseUrl,
      WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      CRASH_ON_CONTRIBUTION: text,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr!.on('data', () => {});
  child = proc;
  return { exited: new Promise((resolve) => proc.once('exit', () => resolve())) };
}

/**
 * Sends a command as a client that retries with the same update id when it gets no answer (the
 * API does so with an Idempotency-Key): the workflow's refusal is an answer, anything else is not.
 */
async function sendUntilAnswered(id: string, updateId: string, text: string): Promise<AssignmentView> {
  for (;;) {
    try {
      await ctx.client.workflow.getHandle(id).executeUpdate(commandUpdates.addContribution, {
        args: [{ actor: agencyActor('Y001'), command: { type: 'addContribution', text } }],
        updateId,
      });
      return await query(ctx.client, id);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

describe('a worker dying after a change is written and before its workflow task completes', () => {
  it('leaves the change once in the read model when the next task meets the plan’s escalation first', async () => {
    const text = 'Ý kiến phối hợp gửi ngay trước khi máy chạy worker tắt';
    const crashing = startCrashingWorker(text);
    // Thursday 19 March 2026, 20:00, 96 s a day: the work is due that day, so on Friday 08:00, 48 s
    // from now, it escalates (the plan's shared timer, which the assignment also takes in).
    const clock = { secondsPerDay: 96, virtualStart: '2026-03-19T20:00:00+07:00', realStart: new Date().toISOString() };
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-19T20:00:00+07:00',
      secondsPerDay: 96,
      policy: {
        dueReminderWorkingDays: [],
        reportReminderWorkingDays: [],
        reports: [],
        escalation: [{ level: 1, afterWorkingDays: 1 }],
        ackChaseWorkingDays: 30,
      },
      tasks: [
        {
          leads: ['X001'],
          collaborators: ['Y001'],
          deadline: { kind: 'date', due: '2026-03-19', raw: 'Trước ngày 20/3/2026' },
        },
      ],
    });
    const id = `${plan.slug}:1:X001`;
    // The plan's clock starts a moment after `clock` above (when the plan is built).
    const escalatesAt = toRealTime(new Date('2026-03-20T08:00:00+07:00'), clock).getTime();
    await eventually(
      async () => {
        const [row] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
        return row && row.version >= 1 ? row : undefined;
      },
      40_000,
      'the assignment projected by the first worker',
    );
    expect(Date.now()).toBeLessThan(escalatesAt);

    // The contribution is written by the task that applies it; then the worker dies.
    const answered = sendUntilAnswered(id, 'contribution-1', text);
    await crashing.exited;
    const written = await ctx.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.assignmentId, id), eq(notifications.kind, 'contribution')));
    expect(written).toHaveLength(1);

    // A new worker comes after the escalation's instant: its task meets the escalation first.
    await new Promise((r) => setTimeout(r, Math.max(0, escalatesAt - Date.now()) + 2000));
    await ctx.startWorker();
    const view = await answered;
    expect(view.contributions.map((c) => c.text)).toEqual([text]);
    expect(view.escalationLevel).toBe(1);

    // The read model at the workflow's version, and the contribution in it once.
    const final = await eventually(
      async () => {
        const v = await query(ctx.client, id);
        const [row] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
        return row && Number(row.version) === v.version ? v : undefined;
      },
      30_000,
      'the read model at the workflow’s version',
    );
    const contributionNotices = await ctx.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.assignmentId, id), eq(notifications.kind, 'contribution')));
    expect(contributionNotices).toHaveLength(final.contributions.length);
    // One audit entry for the contribution, and one for the escalation.
    const audit = await ctx.database.db
      .select({ action: auditLog.action, n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'assignment'), eq(auditLog.entityId, id)))
      .groupBy(auditLog.action)
      .orderBy(auditLog.action);
    expect(audit).toEqual([
      { action: 'addContribution', n: 1 },
      { action: 'assign', n: 1 },
      { action: 'escalation', n: 1 },
    ]);
    await saveHistoryForReplay(ctx.client, id, 'incomplete-task-then-escalation');
  }, 180_000);
});
