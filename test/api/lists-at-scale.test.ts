import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { assignments, plans, tasks } from '../../db/schema.ts';
import type { AssignmentStatus } from '../../domain/lifecycle.ts';
import { buildTestApp, createTestContext, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

// A list of 10,000 assignments answers by page, with the number of matches in all, in the order
// asked, and every row once: the table a coordinator pages through (issue 22, item 10).

const COUNT = 10_000;
const AGENCIES = ['SNV', 'STP', 'SYT', 'SGDDT', 'UBND-TDG', 'VPUBND', 'SXD', 'STC'];
const STATUSES: AssignmentStatus[] = ['assigned', 'acknowledged', 'in_progress', 'submitted', 'completed', 'cancelled'];

let ctx: TestContext;
let app: FastifyInstance;
let headers: Record<string, string>;

interface Seeded {
  id: string;
  agency: string;
  status: AssignmentStatus;
  due: string | null;
}
const seeded: Seeded[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx);
  headers = bearer(await testTokens(ctx).coordinator());
  const db = ctx.database.db;
  const [plan] = await db
    .insert(plans)
    .values({
      code: 'SCALE/KH',
      slug: 'scale-kh',
      title: 'Kế hoạch mười nghìn nhiệm vụ',
      province: 'Vĩnh Phúc',
      registry: 'vinh-phuc',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
    })
    .returning();
  const taskRows = await db
    .insert(tasks)
    .values(
      Array.from({ length: COUNT / AGENCIES.length }, (_, i) => ({
        planId: plan!.id,
        key: String(i + 1),
        number: String(i + 1),
        title: `Nhiệm vụ số ${i + 1}`,
        searchText: `nhiem vu so ${i + 1}`,
        deadline: { kind: 'date' as const, due: '2027-12-31', raw: '2027' },
      })),
    )
    .returning({ id: tasks.id, key: tasks.key });
  const rows: (typeof assignments.$inferInsert)[] = [];
  taskRows.forEach((task, t) =>
    AGENCIES.forEach((agency, a) => {
      const n = t * AGENCIES.length + a;
      // Every few hundred without a due day; the others spread over two years.
      const due =
        n % 401 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + (n % 730) * 86_400_000).toISOString().slice(0, 10);
      const status = STATUSES[n % STATUSES.length]!;
      const id = `scale-kh:${task.key}:${agency}`;
      seeded.push({ id, agency, status, due });
      rows.push({
        id,
        planId: plan!.id,
        taskId: task.id,
        agencyCode: agency,
        status,
        deadline: due ? { kind: 'date', due, raw: due } : { kind: 'continuous', raw: 'Thường xuyên' },
        effectiveDue: due,
        version: 1,
      });
    }),
  );
  for (let i = 0; i < rows.length; i += 2000) await db.insert(assignments).values(rows.slice(i, i + 2000));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

type Page = {
  items: { id: string; effectiveDue: string | null; agency: { shortName: string } }[];
  nextCursor: string | null;
  total: number;
};
const list = async (query: string): Promise<Page> => {
  const response = await app.inject({ method: 'GET', url: `/v1/assignments?plan=scale-kh&${query}`, headers });
  expect(response.statusCode).toBe(200);
  return response.json();
};

describe('a list of 10,000 assignments', () => {
  it('answers a page of 50 rows with the total', async () => {
    const page = await list('limit=50');
    expect(page.items).toHaveLength(50);
    expect(page.total).toBe(COUNT);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('pages through every row once, in the order asked', async () => {
    const seen: Page['items'] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`limit=500&sort=-due${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(COUNT);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((a) => a.id)).size).toBe(COUNT);
    // Descending by due day, work without one first (it sorts as the latest day).
    const keys = seen.map((a) => a.effectiveDue ?? '9999-12-31');
    expect(keys).toEqual([...keys].sort().reverse());
    expect(seen[0]!.effectiveDue).toBeNull();
  });

  it('filters by status group, agency and due range, and counts what matches', async () => {
    const withLead = seeded.filter((s) => ['assigned', 'acknowledged', 'in_progress'].includes(s.status));
    expect((await list('status=withLead&limit=1')).total).toBe(withLead.length);
    const syt = seeded.filter((s) => s.agency === 'SYT' && s.status === 'submitted');
    expect((await list('agency=SYT&status=review&limit=1')).total).toBe(syt.length);
    const march = seeded.filter((s) => s.due !== null && s.due >= '2026-03-01' && s.due <= '2026-03-31');
    const inMarch = await list('dueAfter=2026-03-01&dueBefore=2026-03-31&sort=due&limit=500');
    expect(inMarch.total).toBe(march.length);
    expect(inMarch.items.map((a) => a.id).sort()).toEqual(march.map((s) => s.id).sort());
  });

  it('sorts by the lead agency’s name, and refuses a cursor of another order', async () => {
    const first = await list('sort=agency&limit=500');
    const second = await list(`sort=agency&limit=500&cursor=${first.nextCursor}`);
    const third = await list(`sort=agency&limit=500&cursor=${second.nextCursor}`);
    const names = [...first.items, ...second.items, ...third.items].map((a) => a.agency.shortName);
    // 1,250 rows each: the first three pages cross from the first agency by name to the second.
    expect([...new Set(names)]).toEqual(['Sở Giáo dục và Đào tạo', 'Sở Nội vụ']);
    const other = await app.inject({
      method: 'GET',
      url: `/v1/assignments?plan=scale-kh&sort=due&cursor=${first.nextCursor}`,
      headers,
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0]).toMatchObject({ field: 'querystring:/cursor' });
  });
});
