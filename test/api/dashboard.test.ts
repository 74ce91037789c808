import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Deadline } from '../../domain/types.ts';
import type { Submission } from '../../domain/lifecycle.ts';
import { assignments, escalations, plans, tasks } from '../../db/schema.ts';
import { dashboard } from '../../services/dashboard.ts';
import { periodicReport } from '../../services/periodic-report.ts';
import { agencyStats } from '../../services/agency-stats.ts';
import { createToken } from '../../services/tokens.ts';
import { buildTestApp, createTestContext, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

// The dashboard's four buckets as of a period's cut-off, against a read model written by hand: each
// assignment's life is given in local days, and every expected figure below was counted by hand from
// that table (the comments say which assignments make each number).

const PLAN = 'DASH-1/KH';
const OTHER = 'DASH-2/KH';
/** Wednesday 2 December 2026, 10:00 in Vietnam: "now" for the service's figures. */
const NOW = new Date('2026-12-02T03:00:00Z');

/** A local day at 08:00 in Vietnam, as the workflows write instants; or an exact instant. */
const at = (day: string) => (day.includes('T') ? new Date(day).toISOString() : `${day}T01:00:00.000Z`);

interface Life {
  id: string;
  agency: string;
  task: 'A' | 'B' | 'none';
  due: string | null;
  assigned: string;
  /** Each submission: when, and when (and how) it was decided. */
  submissions?: { at: string; decided?: string; outcome?: 'accepted' | 'returned' }[];
  cancelled?: string;
}

const lives: Life[] = [
  // Accepted 12/03, submitted before the due day: on time from Q1 on.
  {
    id: 'a1',
    agency: 'SNV',
    task: 'A',
    due: '2026-03-31',
    assigned: '2026-01-05',
    submissions: [{ at: '2026-03-10', decided: '2026-03-12', outcome: 'accepted' }],
  },
  // Submitted after its due day, accepted 06/05: within at Q1, late from H1 on.
  {
    id: 'a2',
    agency: 'SNV',
    task: 'B',
    due: '2026-03-31',
    assigned: '2026-01-05',
    submissions: [{ at: '2026-05-04', decided: '2026-05-06', outcome: 'accepted' }],
  },
  // Never delivered, due 30/06: within until H1, overdue at Q3.
  { id: 'a3', agency: 'STP', task: 'A', due: '2026-06-30', assigned: '2026-01-05' },
  // Submitted 20/07 after its due day, still under review: within at every cut-off (the chase stopped).
  {
    id: 'a4',
    agency: 'STP',
    task: 'none',
    due: '2026-06-30',
    assigned: '2026-01-05',
    submissions: [{ at: '2026-07-20' }],
  },
  // Submitted 25/06, returned 01/07: with its lead again and past due at Q3.
  {
    id: 'a5',
    agency: 'SYT',
    task: 'B',
    due: '2026-06-30',
    assigned: '2026-01-05',
    submissions: [{ at: '2026-06-25', decided: '2026-07-01', outcome: 'returned' }],
  },
  // Submitted late 02/03, under review at Q1 (returned 20/03), resubmitted and accepted in April: late from H1.
  {
    id: 'a6',
    agency: 'SYT',
    task: 'A',
    due: '2026-03-01',
    assigned: '2026-01-05',
    submissions: [
      { at: '2026-03-02', decided: '2026-03-20', outcome: 'returned' },
      { at: '2026-04-01', decided: '2026-04-03', outcome: 'accepted' },
    ],
  },
  // Cancelled 10/05: counts at Q1 only.
  { id: 'a7', agency: 'SGDDT', task: 'B', due: '2026-03-31', assigned: '2026-01-05', cancelled: '2026-05-10' },
  // Assigned 01/07 (a revision), due 31/08: not there until Q3, overdue then.
  { id: 'a8', agency: 'SGDDT', task: 'A', due: '2026-08-31', assigned: '2026-07-01' },
  // Continuous work, no due day: always within.
  { id: 'a9', agency: 'SNV', task: 'none', due: null, assigned: '2026-01-05' },
  // Due at the end of the year: within.
  { id: 'a10', agency: 'STP', task: 'B', due: '2026-12-31', assigned: '2026-01-05' },
  // Accepted at 01:00 on 15/03 in Vietnam (still the 14th in UTC): under review at the Q1 cut-off, on time after.
  {
    id: 'a11',
    agency: 'SNV',
    task: 'B',
    due: '2026-03-31',
    assigned: '2026-01-05',
    submissions: [{ at: '2026-03-10', decided: '2026-03-14T18:00:00Z', outcome: 'accepted' }],
  },
];

function stateOf(life: Life) {
  const submissions: Submission[] = (life.submissions ?? []).map((s, i) => ({
    type: 'Kế hoạch',
    documentNumber: `${i + 1}/KH`,
    documentDate: s.at,
    submittedAt: at(s.at),
    submittedBy: life.agency,
    outcome: s.outcome ?? 'pending',
    ...(s.decided ? { decidedAt: at(s.decided) } : {}),
  }));
  const accepted = submissions.find((s) => s.outcome === 'accepted');
  const status = life.cancelled
    ? 'cancelled'
    : accepted
      ? 'completed'
      : submissions.some((s) => s.outcome === 'pending')
        ? 'submitted'
        : 'in_progress';
  return {
    status,
    completedAt: accepted ? new Date(accepted.decidedAt!) : null,
    onTime: accepted ? life.due === null || accepted.submittedAt.slice(0, 10) <= life.due : null,
    state: {
      assignedAt: at(life.assigned),
      submissions,
      ...(accepted ? { completedAt: accepted.decidedAt } : {}),
      ...(life.cancelled ? { cancelledAt: at(life.cancelled) } : {}),
    },
  };
}

let ctx: TestContext;
let app: FastifyInstance;
const ids = new Map<string, string>();

async function seed() {
  const db = ctx.database.db;
  const [plan] = await db
    .insert(plans)
    .values({
      code: PLAN,
      slug: 'dash-1-kh',
      title: 'Kế hoạch CCHC 2026–2027',
      province: 'Vĩnh Phúc',
      registry: 'vinh-phuc',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
    })
    .returning();
  const deadline = (due: string | null): Deadline =>
    due ? { kind: 'date', due, raw: due } : { kind: 'continuous', raw: 'Thường xuyên' };
  const taskRows = await db
    .insert(tasks)
    .values(
      (['A', 'B', 'none'] as const).map((t, i) => ({
        planId: plan!.id,
        key: String(i + 1),
        number: String(i + 1),
        title: `Nhiệm vụ ${t}`,
        area: t === 'A' ? 'CẢI CÁCH THỂ CHẾ' : t === 'B' ? 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH' : null,
        deadline: deadline('2026-12-31'),
      })),
    )
    .returning();
  const taskId = { A: taskRows[0]!.id, B: taskRows[1]!.id, none: taskRows[2]!.id };
  await db.insert(assignments).values(
    lives.map((life) => {
      const id = `dash-1-kh:${life.id}:${life.agency}`;
      ids.set(life.id, id);
      return {
        id,
        planId: plan!.id,
        taskId: taskId[life.task],
        agencyCode: life.agency,
        deadline: deadline(life.due),
        effectiveDue: life.due,
        version: 1,
        ...stateOf(life),
      };
    }),
  );
  const raised = (assignment: string, level: number, on: string, resolved?: string) => ({
    assignmentId: ids.get(assignment)!,
    cycle: 0,
    level,
    agencyCode: lives.find((l) => l.id === assignment)!.agency,
    raisedAt: new Date(at(on)),
    resolvedAt: resolved ? new Date(at(resolved)) : null,
  });
  await db.insert(escalations).values([
    raised('a3', 1, '2026-07-01'),
    raised('a3', 2, '2026-07-08'),
    raised('a5', 1, '2026-07-02'),
    // Resolved by its submission the same day: open at no cut-off.
    raised('a6', 1, '2026-03-02', '2026-03-02'),
    // Raised after Q1, resolved before H1.
    raised('a2', 1, '2026-04-01', '2026-05-04'),
  ]);

  // Another province's plan: never in Vĩnh Phúc's figures.
  const [other] = await db
    .insert(plans)
    .values({
      code: OTHER,
      slug: 'dash-2-kh',
      title: 'Kế hoạch khác',
      province: 'Trung ương',
      registry: 'trung-uong',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
    })
    .returning();
  const [otherTask] = await db
    .insert(tasks)
    .values({ planId: other!.id, key: '1', number: '1', title: 'Nhiệm vụ khác', deadline: deadline('2026-02-28') })
    .returning();
  await db.insert(assignments).values({
    id: 'dash-2-kh:1:SNV',
    planId: other!.id,
    taskId: otherTask!.id,
    agencyCode: 'SNV',
    deadline: deadline('2026-02-28'),
    effectiveDue: '2026-02-28',
    version: 1,
    ...stateOf({ id: 'x', agency: 'SNV', task: 'A', due: '2026-02-28', assigned: '2026-01-05' }),
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx);
  await seed();
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

type Four = [onTime: number, late: number, within: number, overdue: number];
const four = (f: { onTime: number; late: number; within: number; overdue: number }): Four => [
  f.onTime,
  f.late,
  f.within,
  f.overdue,
];
const byAgency = (d: {
  byAgency: { agencyCode: string; onTime: number; late: number; within: number; overdue: number }[];
}) => Object.fromEntries(d.byAgency.map((a) => [a.agencyCode, four(a)]));
const byArea = (d: {
  byArea: { area: string | null; onTime: number; late: number; within: number; overdue: number }[];
}) => Object.fromEntries(d.byArea.map((a) => [a.area ?? '-', four(a)]));

describe('the four buckets as of a period’s cut-off', () => {
  it('Q1 2026 (14 March): what was assigned and not cancelled by then, in its state then', async () => {
    const d = await dashboard(ctx.database.db, { plan: PLAN }, '2026-Q1', NOW);
    expect(d.asOf).toBe('2026-03-14');
    // a1 on time; a2 a3 a4 a5 a6 (under review) a7 (cancelled later) a9 a10 a11 (accepted on the 15th) within.
    expect(four(d.total)).toEqual([1, 0, 9, 0]);
    expect(d.total.total).toBe(10);
    expect(d.total.completionRate).toBe(0.1);
    expect(d.total.onTimeRate).toBe(1);
    expect(byAgency(d)).toEqual({ SGDDT: [0, 0, 1, 0], SNV: [1, 0, 3, 0], STP: [0, 0, 3, 0], SYT: [0, 0, 2, 0] });
    // a6's escalation was resolved the day it was raised, a2's came later: none open at the cut-off.
    expect(d.escalations).toEqual([]);
    expect(d.trend.map((t) => t.period)).toEqual(['2026-Q1']);
  });

  it('six months 2026 (14 June): completions count, the cancelled one is gone', async () => {
    const d = await dashboard(ctx.database.db, { plan: PLAN }, '2026-H1', NOW);
    expect(d.asOf).toBe('2026-06-14');
    // a1 a11 on time; a2 a6 late; a3 a4 a5 a9 a10 within.
    expect(four(d.total)).toEqual([2, 2, 5, 0]);
    expect(d.total.completionRate).toBe(0.4444);
    expect(d.total.onTimeRate).toBe(0.5);
    expect(byAgency(d)).toEqual({ SNV: [2, 1, 1, 0], STP: [0, 0, 3, 0], SYT: [0, 1, 1, 0] });
    expect(byArea(d)).toEqual({
      'CẢI CÁCH THỂ CHẾ': [1, 1, 1, 0],
      'CẢI CÁCH THỦ TỤC HÀNH CHÍNH': [1, 1, 2, 0],
      '-': [0, 0, 2, 0],
    });
    expect(d.escalations).toEqual([]);
  });

  it('Q3 2026 (14 September): overdue work, work under review, and the escalations open then', async () => {
    const d = await dashboard(ctx.database.db, { plan: PLAN }, '2026-Q3', NOW);
    expect(d.asOf).toBe('2026-09-14');
    // a1 a11 on time; a2 a6 late; a4 (under review) a9 a10 within; a3 a5 (returned) a8 overdue.
    expect(four(d.total)).toEqual([2, 2, 3, 3]);
    expect(d.total.onTimeRate).toBe(0.2857);
    expect(byAgency(d)).toEqual({
      SGDDT: [0, 0, 0, 1],
      SNV: [2, 1, 1, 0],
      STP: [0, 0, 2, 1],
      SYT: [0, 1, 0, 1],
    });
    expect(byArea(d)).toEqual({
      'CẢI CÁCH THỂ CHẾ': [1, 1, 0, 2],
      'CẢI CÁCH THỦ TỤC HÀNH CHÍNH': [1, 1, 1, 1],
      '-': [0, 0, 2, 0],
    });
    // a3 at level 2 (its level 1 too is open, counted once), a5 at level 1.
    expect(d.escalations).toEqual([
      { level: 1, label: 'Cảnh báo mức 1', assignments: 1 },
      { level: 2, label: 'Cảnh báo mức 2', assignments: 1 },
    ]);
  });

  it('now: today’s figures, and the trend at each cut-off that has come', async () => {
    const d = await dashboard(ctx.database.db, { plan: PLAN }, 'now', NOW);
    expect(d.asOf).toBe('2026-12-02');
    expect(four(d.total)).toEqual([2, 2, 3, 3]);
    expect(d.trend.map((t) => [t.period, t.asOf, ...four(t)])).toEqual([
      ['2026-Q1', '2026-03-14', 1, 0, 9, 0],
      ['2026-H1', '2026-06-14', 2, 2, 5, 0],
      ['2026-Q3', '2026-09-14', 2, 2, 3, 3],
      ['now', '2026-12-02', 2, 2, 3, 3],
    ]);
    // Every period of the plan's span can be chosen; one whose cut-off has not come counts to today.
    expect(d.periods.map((p) => p.id)).toEqual([
      '2026-Q1',
      '2026-H1',
      '2026-Q3',
      '2026-Y',
      '2027-Q1',
      '2027-H1',
      '2027-Q3',
      '2027-Y',
    ]);
    expect(d.periods.find((p) => p.id === '2026-Y')!.asOf).toBe('2026-12-02');
  });

  it('the agency statistics count today’s buckets the same way', async () => {
    const stats = await agencyStats(ctx.database.db, { plan: PLAN }, NOW);
    const d = await dashboard(ctx.database.db, { plan: PLAN }, 'now', NOW);
    expect([stats.total.completedOnTime, stats.total.completedLate, stats.total.overdue]).toEqual([
      d.total.onTime,
      d.total.late,
      d.total.overdue,
    ]);
    expect([stats.total.completionRate, stats.total.onTimeRate]).toEqual([d.total.completionRate, d.total.onTimeRate]);
  });

  it.each(['2026-Q1', '2026-H1', '2026-Q3', '2026-Y'])(
    'the periodic report of %s quotes the dashboard’s figures for the same plan and period',
    async (period) => {
      const report = await periodicReport(ctx.database.db, period, { plan: PLAN }, NOW);
      const d = await dashboard(ctx.database.db, { plan: PLAN }, period, NOW);
      expect(report.tasks.asOf).toBe(d.asOf);
      expect(report.tasks.agencies).toEqual(d.byAgency);
      expect(report.tasks.total).toEqual(d.total);
      expect(report.tasks.total.total).toBeGreaterThan(0);
    },
  );
});

describe('GET /v1/dashboard and the lists behind its numbers', () => {
  let as: Record<'leadership' | 'coordinator' | 'STP' | 'elsewhere', Record<string, string>>;

  beforeAll(async () => {
    const tokens = testTokens(ctx);
    const elsewhere = await createToken(ctx.database.db, {
      name: 'lãnh đạo trung ương',
      role: 'leadership',
      registry: 'trung-uong',
      createdBy: 'test',
    });
    as = {
      leadership: bearer(await tokens.leadership()),
      coordinator: bearer(await tokens.coordinator()),
      STP: bearer(await tokens.agency('STP')),
      elsewhere: bearer(elsewhere.token),
    };
  });

  const get = (url: string, headers: Record<string, string> = as.leadership) =>
    app.inject({ method: 'GET', url, headers });
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const listed = async (params: Record<string, string>, headers = as.leadership) => {
    const response = await get(`/v1/assignments?${q({ limit: '200', ...params })}`, headers);
    expect(response.statusCode).toBe(200);
    return (response.json() as { items: { id: string }[] }).items.map((a) => a.id.split(':')[1]).sort();
  };

  it('answers leadership and the coordinator with every agency of the plan', async () => {
    for (const who of [as.leadership, as.coordinator]) {
      const response = await get(`/v1/dashboard?${q({ plan: PLAN, period: '2026-Q3' })}`, who);
      expect(response.statusCode).toBe(200);
      const d = response.json();
      expect(d.agency).toBeNull();
      expect(four(d.total)).toEqual([2, 2, 3, 3]);
      expect(Object.keys(byAgency(d)).sort()).toEqual(['SGDDT', 'SNV', 'STP', 'SYT']);
    }
  });

  it('narrows leadership’s figures to one agency when asked', async () => {
    const response = await get(`/v1/dashboard?${q({ plan: PLAN, period: '2026-Q3', agency: 'SYT' })}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().agency).toBe('SYT');
    expect(byAgency(response.json())).toEqual({ SYT: [0, 1, 0, 1] });
    // a5 at level 1; a3's escalations are STP's.
    expect(response.json().escalations).toEqual([{ level: 1, label: 'Cảnh báo mức 1', assignments: 1 }]);
  });

  it('gives an agency its own figures only, and refuses it another agency’s', async () => {
    const own = await get(`/v1/dashboard?${q({ plan: PLAN, period: '2026-Q3' })}`, as.STP);
    expect(own.statusCode).toBe(200);
    expect(own.json().agency).toBe('STP');
    expect(byAgency(own.json())).toEqual({ STP: [0, 0, 2, 1] });
    expect(four(own.json().total)).toEqual([0, 0, 2, 1]);
    const other = await get(`/v1/dashboard?${q({ plan: PLAN, agency: 'SNV' })}`, as.STP);
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-type']).toContain('application/problem+json');
  });

  it('keeps each registry to its own plans, and asks for a token', async () => {
    expect((await get(`/v1/dashboard?${q({ plan: PLAN })}`, as.elsewhere)).statusCode).toBe(404);
    const theirs = await get(`/v1/dashboard?${q({ period: '2026-Q1' })}`, as.elsewhere);
    expect(theirs.statusCode).toBe(200);
    // Only the central plan's one assignment, overdue since February.
    expect(four(theirs.json().total)).toEqual([0, 0, 0, 1]);
    expect((await get(`/v1/dashboard?${q({ plan: PLAN })}`, {})).statusCode).toBe(401);
    expect((await get(`/v1/dashboard?${q({ plan: PLAN, period: '2026-Q2' })}`)).statusCode).toBe(400);
  });

  it('lists exactly the assignments behind every number of a period, by agency and by area', async () => {
    const d = (await get(`/v1/dashboard?${q({ plan: PLAN, period: '2026-Q3' })}`)).json();
    for (const bucket of ['onTime', 'late', 'within', 'overdue'] as const) {
      for (const a of d.byAgency) {
        const rows = await listed({ plan: PLAN, agency: a.agencyCode, bucket, asOf: d.asOf });
        expect(rows.length, `${a.agencyCode} ${bucket}`).toBe(a[bucket]);
      }
      for (const a of d.byArea) {
        const rows = await listed({
          plan: PLAN,
          bucket,
          asOf: d.asOf,
          ...(a.area ? { area: a.area } : { noArea: 'true' }),
        });
        expect(rows.length, `${a.area} ${bucket}`).toBe(a[bucket]);
      }
    }
    expect(await listed({ plan: PLAN, bucket: 'overdue', asOf: '2026-09-14' })).toEqual(['a3', 'a5', 'a8']);
    expect(await listed({ plan: PLAN, bucket: 'within', asOf: '2026-03-14', agency: 'SNV' })).toEqual([
      'a11',
      'a2',
      'a9',
    ]);
    expect(await listed({ plan: PLAN, escalationLevel: '2', asOf: '2026-09-14' })).toEqual(['a3']);
    expect(await listed({ plan: PLAN, escalationLevel: '1', asOf: '2026-09-14' })).toEqual(['a5']);
  });
});
