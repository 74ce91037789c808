import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { bearer, testTokens } from '../support/auth.ts';
import { eq, sql } from 'drizzle-orm';
import { assignments, auditLog, plans, tasks } from '../../db/schema.ts';
import { assignmentQuery } from '../../workflows/messages.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { saveHistoryForReplay } from '../support/assignments.ts';

let ctx: TestContext;
let app: FastifyInstance;
let seed: Buffer;
let coordinator: Record<string, string>;

/** Requests as the coordinator, who imports plans. */
const inject = (options: InjectOptions) =>
  app.inject({ ...options, headers: { ...(options.headers as Record<string, string> | undefined), ...coordinator } });

const meta = {
  code: '2866/QĐ-UBND',
  title: 'Kế hoạch CCHC tỉnh Vĩnh Phúc giai đoạn 2021-2025',
  province: 'Vĩnh Phúc',
  periodStart: '2021-01-01',
  periodEnd: '2025-12-31',
};
const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A multipart/form-data body with one file and some fields, as a browser form sends it. */
function form(file: Buffer, fileName: string, fields: Record<string, string>) {
  const boundary = '----dondoc-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const csv = (rows: string[][]) =>
  Buffer.from(rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n'));
const header = ['STT', 'Nội dung', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'];

async function countPlans() {
  const [row] = await ctx.database.db.select({ n: sql<number>`count(*)::int` }).from(plans);
  return row!.n;
}

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  coordinator = bearer(await testTokens(ctx).coordinator());
  seed = await readFile(fileURLToPath(new URL('../fixtures/vinh-phuc-cchc-plan-2021-2025.txt', import.meta.url)));
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('plan files through the API', () => {
  it('previews the seed appendix sent as a raw body, writing nothing', async () => {
    const response = await inject({
      method: 'POST',
      url: `/v1/plans/preview?${query({ province: 'Vĩnh Phúc', periodStart: '2021-01-01', periodEnd: '2025-12-31' })}`,
      payload: seed,
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.statusCode).toBe(200);
    const preview = response.json();
    expect(preview.tasks).toHaveLength(61);
    expect(preview.tasks.map((t: { number: string }) => t.number)).toEqual(
      Array.from({ length: 61 }, (_, i) => String(i + 8)),
    );
    expect(preview.errors).toEqual([]);
    const task35 = preview.tasks.find((t: { number: string }) => t.number === '35');
    expect(task35.leads.map((l: { code: string }) => l.code)).toEqual(['SYT', 'SGDDT']);
    expect(await countPlans()).toBe(0);
  });

  it('imports the seed appendix uploaded as a form: every (task, lead) gets a started workflow; importing again changes nothing', async () => {
    const preview = (
      await inject({
        method: 'POST',
        url: '/v1/plans/preview',
        ...form(seed, 'phu-luc.txt', { province: 'Vĩnh Phúc' }),
      })
    ).json();
    const expected = preview.tasks.reduce(
      (sum: number, t: { leads: { code: string | null }[] }) =>
        sum + new Set(t.leads.filter((l) => l.code).map((l) => l.code)).size,
      0,
    );
    expect(expected).toBeGreaterThan(61);

    const response = await inject({ method: 'POST', url: '/v1/plans', ...form(seed, 'phu-luc.txt', meta) });
    expect(response.statusCode).toBe(201);
    const result = response.json();
    expect(result.assignments).toMatchObject({ created: expected, total: expected, pendingStart: 0 });
    expect(result.warnings.length).toBeGreaterThan(0);
    const [taskCount] = await ctx.database.db.select({ n: sql<number>`count(*)::int` }).from(tasks);
    expect(taskCount!.n).toBe(61);
    const [row9] = await ctx.database.db.select().from(tasks).where(eq(tasks.number, '9'));
    expect(row9!.sourceRow).toBeGreaterThan(100);
    // Row 9 is led by "Các sở, ban, ngành; UBND cấp huyện": one assignment per department and district.
    const fanned = await ctx.database.db.select().from(assignments).where(eq(assignments.taskId, row9!.id));
    expect(fanned.length).toBeGreaterThanOrEqual(29);
    const row14 = await eventually(
      async () => {
        const [r] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, '2866-qd-ubnd:14:SNV'));
        return r && r.version > 0 ? r : undefined;
      },
      60_000,
      'the projection of task 14',
    );
    expect(row14.deadline).toMatchObject({ kind: 'recurring', raw: 'Hàng năm' });

    const again = await inject({ method: 'POST', url: '/v1/plans', ...form(seed, 'phu-luc.txt', meta) });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      outcome: 'unchanged',
      changes: [],
      assignments: { created: 0, total: expected },
    });
    expect(await countPlans()).toBe(1);
  });

  it('a revised policy, period or title reaches the running workflows: their timers and notices follow it', async () => {
    // Plan time stands at 2 March 2026 for the length of the test.
    const clock = {
      secondsPerDay: 86_400,
      virtualStart: '2026-03-02T09:00:00+07:00',
      realStart: new Date().toISOString(),
    };
    const plan = (title: string, policy: Record<string, unknown>) => ({
      code: '16/KH-SNV',
      title: 'Kế hoạch thử',
      province: 'Vĩnh Phúc',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      policy: { ...policy, clock },
      tasks: [{ number: '1', title, leads: ['Sở Nội vụ'], dueDate: '2026-12-31' }],
    });
    const first = await inject({
      method: 'POST',
      url: '/v1/plans',
      payload: plan('Tuyên truyền CCHC', { reports: [] }),
    });
    expect(first.statusCode).toBe(201);
    const id = `${first.json().plan.slug}:1:SNV`;
    // Queried once projected, so the version the query reports is the one the read model holds.
    await eventually(async () =>
      (await ctx.database.db.select().from(assignments).where(eq(assignments.id, id)))[0]?.version ? true : undefined,
    );
    const handle = ctx.client.workflow.getHandle(id);
    const before = await eventually(async () => {
      const view = await handle.query(assignmentQuery);
      return view.version >= 1 ? view : undefined;
    });
    expect(before.expectedReports).toEqual([]);

    const revised = plan('Tuyên truyền CCHC trên cổng thông tin', { reports: ['Q1', 'H1', 'Q3', 'Y'] });
    // A revision is never silent: without the confirmation it is refused with what would change.
    const unconfirmed = await inject({ method: 'POST', url: '/v1/plans', payload: revised });
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json().revision).toMatchObject({ counts: { textChanged: 1 }, planChanged: true });
    const second = await inject({ method: 'POST', url: '/v1/plans', payload: { ...revised, revise: true } });
    expect(second.json()).toMatchObject({
      outcome: 'updated',
      changes: [expect.objectContaining({ kind: 'text', fields: ['title'] })],
    });
    const after = await eventually(async () => {
      const view = await handle.query(assignmentQuery);
      return view.taskTitle === 'Tuyên truyền CCHC trên cổng thông tin' ? view : undefined;
    });
    expect(after.expectedReports).toEqual(['2026-H1', '2026-Q1', '2026-Q3', '2026-Y']);
    const trail = await eventually(async () => {
      const rows = await ctx.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.entityId, `${first.json().plan.slug}:1:SNV`));
      return rows.some((r) => r.action === 'revisePlan') ? rows : undefined;
    });
    expect(trail.find((r) => r.action === 'revisePlan')!.details).toMatchObject({
      taskTitle: 'Tuyên truyền CCHC trên cổng thông tin',
    });
    await saveHistoryForReplay(ctx.client, `${first.json().plan.slug}:1:SNV`, 'plan-revision');
  });

  it('imports an Excel appendix uploaded as a form, fanning a group of leads out to its members', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Phụ lục');
    sheet.getRow(1).values = ['TT', 'Nhiệm vụ', 'Kết quả', 'Đơn vị chủ trì', 'Phối hợp', 'Thời gian thực hiện'];
    sheet.getRow(2).values = ['I', 'CẢI CÁCH THỂ CHẾ'];
    sheet.getRow(3).values = [
      1,
      'Rà soát văn bản quy phạm pháp luật',
      'Báo cáo',
      'Sở Tư pháp',
      'Các sở, ban, ngành',
      'Quý IV/2026',
    ];
    sheet.getRow(4).values = [
      2,
      'Công khai thủ tục hành chính cấp huyện',
      'Kế hoạch',
      'UBND cấp huyện',
      'VP UBND tỉnh',
      new Date(Date.UTC(2026, 5, 30)),
    ];
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const fields = {
      code: '77/KH-UBND',
      title: 'Kế hoạch CCHC năm 2026',
      province: 'Vĩnh Phúc',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
    };
    const response = await inject({ method: 'POST', url: '/v1/plans', ...form(file, 'phu-luc.xlsx', fields) });
    expect(response.statusCode).toBe(201);
    const rows = await ctx.database.db
      .select()
      .from(tasks)
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .where(eq(plans.code, '77/KH-UBND'));
    const byNumber = Object.fromEntries(rows.map((r) => [r.tasks.number, r.tasks]));
    expect(byNumber['1']).toMatchObject({ area: 'CẢI CÁCH THỂ CHẾ', deadline: { kind: 'date', due: '2026-12-31' } });
    expect(byNumber['2']!.deadline).toMatchObject({ kind: 'date', due: '2026-06-30' });
    const leads = await ctx.database.db
      .select({ agencyCode: assignments.agencyCode })
      .from(assignments)
      .where(eq(assignments.taskId, byNumber['2']!.id));
    // "UBND cấp huyện": one assignment for each of the nine district-level committees.
    expect(leads).toHaveLength(9);
    expect(response.json().assignments).toMatchObject({ created: 10, total: 10 });
  });

  it('a revised plan updates tasks and tells the running workflows instead of duplicating them', async () => {
    const code = '15/KH-SNV';
    const fields = { ...meta, code, periodStart: '2026-01-01', periodEnd: '2026-12-31' };
    const v1 = csv([
      header,
      [
        '1',
        'Ban hành kế hoạch tuyên truyền CCHC',
        'Kế hoạch',
        'Sở Nội vụ',
        'Các cơ quan, đơn vị liên quan',
        'Quý II/2026',
      ],
      ['2', 'Rà soát thủ tục hành chính nội bộ', 'Quyết định', 'Sở Tư pháp', '', 'Tháng 9/2026'],
      ['3', 'Tổ chức hội nghị sơ kết', 'Báo cáo', 'Sở Y tế', '', '2026'],
    ]);
    const first = await inject({
      method: 'POST',
      url: `/v1/plans?${query(fields)}`,
      payload: v1,
      headers: { 'content-type': 'text/csv' },
    });
    expect(first.statusCode).toBe(201);
    const slug = first.json().plan.slug;
    await Promise.all(
      ['1:SNV', '2:STP', '3:SYT'].map((s) =>
        eventually(async () => {
          const [r] = await ctx.database.db
            .select()
            .from(assignments)
            .where(eq(assignments.id, `${slug}:${s}`));
          return r && r.version > 0 ? r : undefined;
        }),
      ),
    );

    const v2 = csv([
      header,
      [
        '1',
        'Ban hành kế hoạch tuyên truyền CCHC',
        'Kế hoạch',
        'Sở Nội vụ',
        'Các cơ quan, đơn vị liên quan',
        'Quý III/2026',
      ],
      ['2', 'Rà soát thủ tục hành chính nội bộ', 'Quyết định', 'Sở Tài chính', '', 'Tháng 9/2026'],
      ['4', 'Đánh giá chỉ số CCHC', 'Báo cáo', 'Sở Nội vụ', '', 'Tháng 11/2026'],
    ]);
    const second = await inject({
      method: 'POST',
      url: `/v1/plans?${query({ ...fields, revise: 'true' })}`,
      payload: v2,
      headers: { 'content-type': 'text/csv' },
    });
    expect(second.statusCode).toBe(200);
    const body = second.json();
    expect(body.outcome).toBe('updated');
    expect(body.plan.revision).toBe(2);
    expect(body.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'deadline', key: '1' }),
        expect.objectContaining({ kind: 'reassigned', key: '2', from: 'STP', to: 'STC' }),
        expect.objectContaining({ kind: 'removed', key: '3' }),
        expect.objectContaining({ kind: 'added', key: '4', leads: ['SNV'] }),
      ]),
    );
    expect(body.assignments).toMatchObject({ created: 1, total: 4 });

    const handle = (id: string) => ctx.client.workflow.getHandle(`${slug}:${id}`);
    await eventually(async () =>
      (await handle('1:SNV').query(assignmentQuery)).deadline.due === '2026-09-30' ? true : undefined,
    );
    await eventually(async () =>
      (await handle('2:STP').query(assignmentQuery)).agencyCode === 'STC' ? true : undefined,
    );
    await eventually(async () => ((await handle('3:SYT').describe()).status.name === 'COMPLETED' ? true : undefined));
    expect((await handle('3:SYT').query(assignmentQuery)).status).toBe('cancelled');
    expect((await handle('4:SNV').describe()).status.name).toBe('RUNNING');

    // The same revision again: nothing more.
    const third = await inject({
      method: 'POST',
      url: `/v1/plans?${query(fields)}`,
      payload: v2,
      headers: { 'content-type': 'text/csv' },
    });
    expect(third.json()).toMatchObject({ outcome: 'unchanged', changes: [] });
  });
});

describe('bad plan files: a clear error naming what and where, and nothing written', () => {
  const fields = { ...meta, code: 'BAD/1', periodStart: '2026-01-01', periodEnd: '2026-12-31' };
  const post = (payload: Buffer, type = 'text/csv', extra: Record<string, string> = {}) =>
    inject({
      method: 'POST',
      url: `/v1/plans?${query({ ...fields, ...extra })}`,
      payload,
      headers: { 'content-type': type },
    });

  async function expectRefused(response: Awaited<ReturnType<typeof post>>, status: number) {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const [row] = await ctx.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(plans)
      .where(eq(plans.code, 'BAD/1'));
    expect(row!.n).toBe(0);
    return response.json();
  }

  it('an empty file', async () => {
    const problem = await expectRefused(await post(Buffer.alloc(0)), 422);
    expect(problem.errors[0].message).toMatch(/trống|không có/i);
  });

  it('a file in a legacy encoding that is not Windows-1258 either', async () => {
    const legacy = Buffer.from([
      0x53, 0x54, 0x54, 0x2c, 0x4e, 0xe9, 0x69, 0x20, 0x64, 0xf2, 0x6e, 0x67, 0x0d, 0x0a, 0x31, 0x2c, 0xf0, 0xe1,
    ]);
    const problem = await expectRefused(await post(legacy), 422);
    expect(problem.errors[0].message).toMatch(/UTF-8/);
  });

  it('no recognizable header', async () => {
    const problem = await expectRefused(
      await post(
        csv([
          ['Cột A', 'Cột B'],
          ['x', 'y'],
        ]),
      ),
      422,
    );
    expect(problem.detail).toMatch(/lỗi/);
    expect(problem.errors[0].message).toMatch(/tiêu đề|cột/i);
  });

  it('a 50 MB file', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x61);
    const problem = await expectRefused(await post(big), 413);
    expect(problem.detail).toContain('10 MB');
  });

  it('a row with no lead, naming its row and column', async () => {
    const problem = await expectRefused(
      await post(
        csv([
          header,
          ['1', 'Nhiệm vụ A', 'Kế hoạch', 'Sở Nội vụ', '', '2026'],
          ['2', 'Nhiệm vụ B', 'Báo cáo', '', '', '2026'],
        ]),
      ),
      422,
    );
    expect(problem.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 3, column: expect.stringMatching(/chủ trì/i) })]),
    );
  });

  it('duplicated numbers: a warning naming the row, and both rows imported under distinct keys', async () => {
    const response = await post(
      csv([
        header,
        ['1', 'Nhiệm vụ A', 'Kế hoạch', 'Sở Nội vụ', '', '2026'],
        ['1', 'Nhiệm vụ B', 'Báo cáo', 'Sở Tư pháp', '', '2026'],
      ]),
      'text/csv',
      { code: 'DUP/1' },
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 3, column: 'STT' })]),
    );
    expect(response.json().assignments.total).toBe(2);
  });

  it('an unknown lead agency, with the nearest known names', async () => {
    const problem = await expectRefused(
      await post(csv([header, ['1', 'Nhiệm vụ A', 'Kế hoạch', 'Sở Nội Vụ tỉnh Hà Giang', '', '2026']])),
      422,
    );
    expect(problem.errors[0]).toMatchObject({ row: 2, column: 'Cơ quan chủ trì' });
  });

  it('missing plan fields are named', async () => {
    const response = await inject({
      method: 'POST',
      url: `/v1/plans?${query({ code: 'BAD/1' })}`,
      payload: csv([header]),
      headers: { 'content-type': 'text/csv' },
    });
    const problem = await expectRefused(response, 400);
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['title', 'periodStart']),
    );
  });

  it('a deadline outside the plan period is imported with a warning naming its row and column', async () => {
    const response = await post(csv([header, ['1', 'Nhiệm vụ A', 'Kế hoạch', 'Sở Nội vụ', '', '2028']]), 'text/csv', {
      code: 'WARN/1',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 2, column: expect.stringMatching(/thời gian/i) })]),
    );
  });
});
