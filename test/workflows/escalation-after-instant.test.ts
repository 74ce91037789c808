import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { assignments, escalations, notifications } from '../../db/schema.ts';
import { createTestContext, eventually, latch, type TestContext } from '../support/context.ts';
import {
  agencyActor,
  command,
  importSimulatedPlan,
  query,
  quietPolicy,
  saveHistoryForReplay,
} from '../support/assignments.ts';

// One owner of a shared instant, one writer of its records (issue 24): an assignment changes
// nothing after its plan's escalation step until the plan has written it. A deliverable sent while
// the plan's mark is still being written (the database slow to take it) waits for the mark, which
// then sees the assignment as it stood at the instant: escalated, once, by the plan alone, and
// submitted after.

let ctx: TestContext;
/** Opened by the test to let the plan's escalation mark run; opened by the mark once it is reached. */
const release = latch();
const reached = latch();

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker({
    activities: (real) => ({
      markDeadlines: async (input) => {
        if (input.timers.some((t) => t.event.kind === 'escalation')) {
          reached.open();
          await release.passed;
        }
        return real.markDeadlines(input);
      },
    }),
  });
});

afterAll(async () => {
  release.open();
  await ctx?.close();
});

describe('a deliverable sent after an escalation step’s instant, before the plan has written it', () => {
  it('waits for the plan’s mark: escalated once, by the plan, then submitted', async () => {
    // Monday 16 March 2026, 20:00; eight seconds a day. Due Wednesday 18: level 1 Thursday 08:00 (20 s).
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-16T20:00:00+07:00',
      secondsPerDay: 8,
      policy: { ...quietPolicy, escalation: [{ level: 1, afterWorkingDays: 1 }] },
      tasks: [{ leads: ['SNV', 'STP'], deadline: { kind: 'date', due: '2026-03-18', raw: 'Trước ngày 19/3/2026' } }],
    });
    const id = (code: string) => `${plan.slug}:1:${code}`;
    const escalated = async () =>
      (
        await ctx.database.db
          .select({ id: escalations.assignmentId, level: escalations.level })
          .from(escalations)
          .where(sql`${escalations.assignmentId} like ${`${plan.slug}:%`}`)
          .orderBy(escalations.assignmentId)
      ).map((e) => [e.id, e.level]);
    const notices = async (code: string) =>
      (
        await ctx.database.db
          .select({ to: sql<string>`coalesce(${notifications.recipientAgency}, ${notifications.recipientRole})` })
          .from(notifications)
          .where(and(eq(notifications.assignmentId, id(code)), eq(notifications.kind, 'escalation')))
          .orderBy(notifications.id)
      ).map((n) => n.to);

    await reached.passed;
    let answered = false;
    const sent = command(ctx.client, id('STP'), agencyActor('STP'), {
      type: 'submitDeliverable',
      deliverableType: 'Báo cáo',
      documentNumber: '12/BC-STP',
      documentDate: '2026-03-19',
    }).finally(() => {
      answered = true;
    });
    // While the plan's mark is held, the deliverable waits and nothing of the step is written.
    await new Promise((r) => setTimeout(r, 3000));
    expect(answered).toBe(false);
    expect((await query(ctx.client, id('STP'))).status).not.toBe('submitted');
    expect(await escalated()).toEqual([]);
    expect(await notices('STP')).toEqual([]);

    release.open();
    const submitted = await sent;
    expect(submitted.status).toBe('submitted');
    // Both were with their lead at the instant: both escalated, each once, and told once.
    expect(await escalated()).toEqual([
      [id('SNV'), 1],
      [id('STP'), 1],
    ]);
    expect((await notices('STP')).sort()).toEqual(['STP', 'coordinator']);
    expect((await notices('SNV')).sort()).toEqual(['SNV', 'coordinator']);
    // The workflow took in the level the plan wrote: the read model and the workflow agree.
    const projected = await eventually(
      async () => {
        const [row] = await ctx.database.db
          .select({ level: assignments.escalationLevel, version: assignments.version })
          .from(assignments)
          .where(eq(assignments.id, id('STP')));
        return row && row.version === submitted.version ? row : undefined;
      },
      10_000,
      'the submission in the read model',
    );
    expect(projected.level).toBe(1);
    expect(submitted.escalationLevel).toBe(1);
    await saveHistoryForReplay(ctx.client, id('STP'), 'escalation-waits-for-plan-mark');
  }, 120_000);
});
