import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyStats } from '../../services/agency-stats.ts';
import { findAssignmentRow, listAssignments, toAssignment } from '../../services/assignment-reads.ts';
import { assignments, plans, tasks } from '../../db/schema.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let ctx: TestContext;
const coordinator = { role: 'coordinator' as const, name: 'test', tokenId: 'test' };
// The wall clock of these tests; the simulated plan below stands at 10 March 2026 08:00 at that instant.
const now = new Date('2026-11-29T03:00:00Z');

beforeAll(async () => {
  ctx = await createTestContext();
  const { db } = ctx.database;
  const plan = async (code: string, policy: object) =>
    (
      await db
        .insert(plans)
        .values({
          code,
          slug: code.toLowerCase(),
          title: code,
          province: 'Vĩnh Phúc',
          registry: 'vinh-phuc',
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
          policy,
        })
        .returning()
    )[0]!;
  const real = await plan('REAL', {});
  // Sixty real seconds a day, started one real hour before `now`: sixty days after 9 January 08:00.
  const simulated = await plan('SIM', {
    clock: {
      secondsPerDay: 60,
      virtualStart: '2026-01-09T08:00:00+07:00',
      realStart: new Date(now.getTime() - 3_600_000).toISOString(),
    },
  });
  for (const p of [real, simulated]) {
    const [task] = await db
      .insert(tasks)
      .values({
        planId: p.id,
        key: '1',
        number: '1',
        title: 'Nhiệm vụ',
        deadline: { kind: 'date', due: '2026-06-30', raw: 'Tháng 6/2026' },
      })
      .returning();
    await db.insert(assignments).values({
      id: `${p.slug}:1:SNV`,
      planId: p.id,
      taskId: task!.id,
      agencyCode: 'SNV',
      status: 'in_progress',
      deadline: task!.deadline,
      effectiveDue: '2026-06-30',
    });
  }
});

afterAll(async () => {
  await ctx?.close();
});

describe("overdue on a plan's own clock", () => {
  it('counts work due in June overdue in November by the wall clock, but not on a plan whose clock stands in March', async () => {
    const { db } = ctx.database;
    const overdue = await listAssignments(db, coordinator, { overdue: true }, { limit: 10 }, now);
    expect(overdue.items.map((a) => a.id)).toEqual(['real:1:SNV']);
    const notOverdue = await listAssignments(db, coordinator, { overdue: false }, { limit: 10 }, now);
    expect(notOverdue.items.map((a) => [a.id, a.overdue])).toEqual([['sim:1:SNV', false]]);

    const stats = await agencyStats(db, {}, now);
    expect(stats.total).toMatchObject({ open: 2, overdue: 1 });

    const one = await findAssignmentRow(db, 'sim:1:SNV');
    expect(toAssignment(one!, undefined, now).overdue).toBe(false);
    expect(toAssignment((await findAssignmentRow(db, 'real:1:SNV'))!, undefined, now).overdue).toBe(true);
  });
});
