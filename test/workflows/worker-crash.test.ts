import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { assignments, auditLog, notifications } from '../../db/schema.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importSimulatedPlan } from '../support/assignments.ts';
import { planDeadlinesWorkflowId, planReportsWorkflowId } from '../../workflows/messages.ts';

const bin = fileURLToPath(new URL('../../bin/dondoc.js', import.meta.url));
let ctx: TestContext;
let child: ChildProcess | undefined;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await ctx?.close();
});

/** A real worker process (`dondoc worker`), which the test can kill like a crashed machine. */
function startWorkerProcess(): ChildProcess {
  const proc = spawn(process.execPath, [bin, 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: ctx.databaseUrl,
      TEMPORAL_TASK_QUEUE: ctx.taskQueue,
      TEMPORAL_NAMESPACE: ctx.namespace,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr!.on('data', () => {});
  return proc;
}

const countOf = async (planId: string, kind: string) => {
  const [row] = await ctx.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .innerJoin(assignments, eq(assignments.id, notifications.assignmentId))
    .where(and(eq(assignments.planId, planId), eq(notifications.kind, kind)));
  return row!.n;
};

/** The plan's marks still pending, with their attempt and last failure. */
async function marksInFlight(planId: string): Promise<string> {
  const pending = [];
  for (const id of [planDeadlinesWorkflowId(planId), planReportsWorkflowId(planId)]) {
    const { raw } = await ctx.client.workflow.getHandle(id).describe();
    for (const a of raw.pendingActivities ?? [])
      pending.push(`${a.activityType?.name} attempt ${a.attempt} (${a.lastFailure?.message ?? 'no failure'})`);
  }
  return pending.length > 0 ? `in flight: ${pending.join('; ')}` : 'no mark in flight';
}

describe('a worker killed mid-flight', () => {
  it('is replaced by a new worker that carries on with no notification lost or doubled', async () => {
    const leads = Array.from({ length: 150 }, (_, i) => `X${String(i + 1).padStart(3, '0')}`);
    child = startWorkerProcess();
    // Thursday 19 March 2026, 20:00; 32 s per day. Every assignment is due that day, so on Friday
    // 08:00, 16 s from now, each one escalates and each Q1 report falls late: the plan's deadline and
    // report timers, one transaction each for all. The worker is killed as the first escalations
    // land; the new one finishes whatever was in flight, writing nothing twice.
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-19T20:00:00+07:00',
      secondsPerDay: 32,
      policy: {
        dueReminderWorkingDays: [],
        reportReminderWorkingDays: [],
        reports: ['Q1'],
        escalation: [{ level: 1, afterWorkingDays: 1 }],
        ackChaseWorkingDays: 30,
      },
      tasks: [{ leads, deadline: { kind: 'date', due: '2026-03-19', raw: 'Trước ngày 20/3/2026' } }],
    });
    await eventually(
      async () => {
        const [row] = await ctx.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(assignments)
          .where(and(eq(assignments.planId, plan.id), sql`${assignments.version} >= 1`));
        return row!.n === leads.length ? row : undefined;
      },
      120_000,
      'every assignment projected by the first worker',
    );

    const atKill = await eventually(
      async () => {
        const n = await countOf(plan.id, 'escalation');
        return n > 0 ? n : undefined;
      },
      30_000,
      'the first escalations',
    );
    child.kill('SIGKILL');
    expect(atKill).toBeGreaterThan(0);

    await ctx.startWorker();
    const expected = leads.length * 2; // the lead and the coordinator, for each assignment
    await eventually(
      async () => {
        const [escalated, late] = [await countOf(plan.id, 'escalation'), await countOf(plan.id, 'report-late')];
        if (escalated === expected && late === expected) return true;
        // Said if the wait runs out: how far it came, and what the plan's marks were doing.
        throw new Error(`${escalated} escalations, ${late} late marks; ${await marksInFlight(plan.id)}`);
      },
      // The new worker bundles its workflows and the killed one's in-flight mark waits out its
      // heartbeat timeout before it is retried: on two loaded cores that overran a minute once.
      120_000,
      `${expected} escalations and ${expected} late marks`,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await countOf(plan.id, 'escalation')).toBe(expected);
    expect(await countOf(plan.id, 'report-late')).toBe(expected);

    const perAssignment = await ctx.database.db
      .select({ id: notifications.assignmentId, kind: notifications.kind, n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(
        sql`${notifications.kind} in ('escalation', 'report-late') and ${notifications.assignmentId} like ${`${plan.slug}:%`}`,
      )
      .groupBy(notifications.assignmentId, notifications.kind);
    expect(perAssignment).toHaveLength(leads.length * 2);
    expect(perAssignment.every((r) => r.n === 2)).toBe(true);
    const audit = await ctx.database.db
      .select({ action: auditLog.action, n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(
        and(
          sql`${auditLog.action} in ('escalation', 'report-late')`,
          sql`${auditLog.entityId} like ${`${plan.slug}:%`}`,
        ),
      )
      .groupBy(auditLog.action)
      .orderBy(auditLog.action);
    expect(audit).toEqual([
      { action: 'escalation', n: leads.length },
      { action: 'report-late', n: leads.length },
    ]);
    const rows = await ctx.database.db
      .select({ level: assignments.escalationLevel, state: assignments.state })
      .from(assignments)
      .where(eq(assignments.planId, plan.id));
    expect(
      rows.every(
        (r) => r.level === 1 && JSON.stringify((r.state as { latePeriods: string[] }).latePeriods) === '["2026-Q1"]',
      ),
    ).toBe(true);
  }, 300_000);
});
