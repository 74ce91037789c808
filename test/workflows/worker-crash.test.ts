import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { assignments, auditLog, notifications } from '../../db/schema.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importSimulatedPlan } from '../support/assignments.ts';

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

const lateNotifications = async (planId: string) => {
  const [row] = await ctx.database.db.select({ n: sql<number>`count(*)::int` }).from(notifications)
    .innerJoin(assignments, eq(assignments.id, notifications.assignmentId))
    .where(and(eq(assignments.planId, planId), eq(notifications.kind, 'report-late')));
  return row!.n;
};

describe('a worker killed mid-flight', () => {
  it('is replaced by a new worker that carries on with no notification lost or doubled', async () => {
    const leads = Array.from({ length: 150 }, (_, i) => `X${String(i + 1).padStart(3, '0')}`);
    child = startWorkerProcess();
    // Thursday 19 March 2026, 20:00; 32 s per day: every Q1 report falls late on Friday 08:00, 16 s from now.
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-19T20:00:00+07:00', secondsPerDay: 32,
      policy: { dueReminderWorkingDays: [], reportReminderWorkingDays: [], reports: ['Q1'], escalation: [], ackChaseWorkingDays: 30 },
      tasks: [{ leads, deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } }],
    });
    await eventually(async () => {
      const [row] = await ctx.database.db.select({ n: sql<number>`count(*)::int` }).from(assignments)
        .where(and(eq(assignments.planId, plan.id), sql`${assignments.version} >= 1`));
      return row!.n === leads.length ? row : undefined;
    }, 30_000, 'every assignment projected by the first worker');

    const atKill = await eventually(async () => {
      const n = await lateNotifications(plan.id);
      return n > 0 ? n : undefined;
    }, 30_000, 'the first late marks');
    child.kill('SIGKILL');
    expect(atKill).toBeLessThan(leads.length * 2);

    await ctx.startWorker();
    const expected = leads.length * 2; // the lead and the coordinator, for each assignment
    await eventually(async () => ((await lateNotifications(plan.id)) === expected ? true : undefined), 60_000, `${expected} late notifications`);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await lateNotifications(plan.id)).toBe(expected);

    const perAssignment = await ctx.database.db.select({ id: notifications.assignmentId, n: sql<number>`count(*)::int` }).from(notifications)
      .where(eq(notifications.kind, 'report-late')).groupBy(notifications.assignmentId);
    expect(perAssignment.filter((r) => r.id.startsWith(plan.slug)).every((r) => r.n === 2)).toBe(true);
    const marks = await ctx.database.db.select({ n: sql<number>`count(*)::int` }).from(auditLog)
      .where(and(eq(auditLog.action, 'report-late'), sql`${auditLog.entityId} like ${`${plan.slug}:%`}`));
    expect(marks[0]!.n).toBe(leads.length);
    const rows = await ctx.database.db.select({ state: assignments.state }).from(assignments).where(eq(assignments.planId, plan.id));
    expect(rows.every((r) => JSON.stringify((r.state as { latePeriods: string[] }).latePeriods) === '["2026-Q1"]')).toBe(true);
  }, 150_000);
});
