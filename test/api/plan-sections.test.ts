import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { assignments, plans, tasks } from '../../db/schema.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { appendixDocx, type DocxRow } from '../support/docx.ts';

// A plan whose numbering restarts in each section, sent as the Word document provinces issue:
// each task is keyed by its section and number, and its assignments carry that key.

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;

const inject = (options: InjectOptions) =>
  app.inject({ ...options, headers: { ...(options.headers as Record<string, string> | undefined), ...coordinator } });

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const fields = {
  code: '21/KH-UBND',
  title: 'Kế hoạch cải cách hành chính năm 2026',
  province: 'Vĩnh Phúc',
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
};
const query = (extra: Record<string, string> = {}) => new URLSearchParams({ ...fields, ...extra }).toString();

const rows: DocxRow[] = [
  ['STT', 'Nội dung nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'],
  [{ text: 'I. CẢI CÁCH THỂ CHẾ', span: 6 }],
  ['1', 'Rà soát văn bản quy phạm pháp luật', 'Báo cáo', 'Sở Tư pháp', 'Sở Nội vụ', 'Quý II/2026'],
  ['2', 'Kiểm tra việc thi hành pháp luật', 'Báo cáo', 'Sở Nội vụ và Sở Y tế', '', 'Quý IV/2026'],
  ['II.', { text: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', span: 5 }],
  ['1', 'Công khai thủ tục hành chính trong giáo dục', 'Quyết định', 'Sở Giáo dục và Đào tạo', '', 'Tháng 9/2026'],
  ['2', 'Số hóa hồ sơ lễ hội', 'Báo cáo', 'Sở Văn hóa, Thể thao và Du lịch', 'Sở Tư pháp', '2026'],
];

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  coordinator = bearer(await testTokens(ctx).coordinator());
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('a plan whose numbering restarts in each section', () => {
  it('imports from a Word document: tasks keyed by section and number, assignment ids carrying the key', async () => {
    const file = Buffer.from(await appendixDocx(rows));
    const preview = await inject({
      method: 'POST',
      url: `/v1/plans/preview?${query()}`,
      payload: file,
      headers: { 'content-type': DOCX },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().tasks.map((t: { key: string }) => t.key)).toEqual(['I.1', 'I.2', 'II.1', 'II.2']);

    const response = await inject({
      method: 'POST',
      url: `/v1/plans?${query()}`,
      payload: file,
      headers: { 'content-type': DOCX },
    });
    expect(response.statusCode).toBe(201);
    const { plan, changes } = response.json();
    expect(changes.map((c: { kind: string; key: string }) => [c.kind, c.key])).toEqual([
      ['added', 'I.1'],
      ['added', 'I.2'],
      ['added', 'II.1'],
      ['added', 'II.2'],
    ]);

    const stored = await ctx.database.db
      .select({ key: tasks.key, number: tasks.number, section: tasks.section, area: tasks.area, row: tasks.sourceRow })
      .from(tasks)
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .where(eq(plans.code, fields.code))
      .orderBy(asc(tasks.sourceRow));
    expect(stored).toEqual([
      { key: 'I.1', number: '1', section: 'I', area: 'CẢI CÁCH THỂ CHẾ', row: 3 },
      { key: 'I.2', number: '2', section: 'I', area: 'CẢI CÁCH THỂ CHẾ', row: 4 },
      { key: 'II.1', number: '1', section: 'II', area: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', row: 6 },
      { key: 'II.2', number: '2', section: 'II', area: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', row: 7 },
    ]);

    const ids = await ctx.database.db
      .select({ id: assignments.id })
      .from(assignments)
      .where(eq(assignments.planId, plan.id))
      .orderBy(asc(assignments.id));
    expect(ids.map((r) => r.id)).toEqual(
      ['I.1:STP', 'I.2:SNV', 'I.2:SYT', 'II.1:SGDDT', 'II.2:SVHTTDL'].map((s) => `${plan.slug}:${s}`),
    );

    // The assignment shows the task's key, its number as written and its section.
    const id = `${plan.slug}:II.1:SGDDT`;
    await eventually(async () => {
      const [row] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
      return row && row.version > 0 ? row : undefined;
    });
    const shown = await inject({ method: 'GET', url: `/v1/assignments/${encodeURIComponent(id)}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.json().task).toMatchObject({ key: 'II.1', number: '1', section: 'II' });

    // The same document again changes nothing.
    const again = await inject({
      method: 'POST',
      url: `/v1/plans?${query()}`,
      payload: file,
      headers: { 'content-type': DOCX },
    });
    expect(again.json()).toMatchObject({ outcome: 'unchanged', changes: [] });
  });

  it('keeps keying a revision by section when the tasks left happen to be numbered uniquely', async () => {
    // I.2 and II.1 dropped: the numbers left (1 in I, 2 in II) are unique across the table.
    const revised = rows.filter((_, i) => i !== 3 && i !== 5);
    const response = await inject({
      method: 'POST',
      url: `/v1/plans?${query({ revise: 'true' })}`,
      payload: Buffer.from(await appendixDocx(revised)),
      headers: { 'content-type': DOCX },
    });
    expect(response.statusCode).toBe(200);
    const { plan, changes } = response.json();
    expect(changes.map((c: { kind: string; key: string }) => [c.kind, c.key])).toEqual([
      ['removed', 'I.2'],
      ['removed', 'II.1'],
    ]);
    const open = await ctx.database.db
      .select({ id: assignments.id, status: assignments.status })
      .from(assignments)
      .where(eq(assignments.planId, plan.id))
      .orderBy(asc(assignments.id));
    expect(open.map((r) => r.id)).toEqual(
      ['I.1:STP', 'I.2:SNV', 'I.2:SYT', 'II.1:SGDDT', 'II.2:SVHTTDL'].map((s) => `${plan.slug}:${s}`),
    );
  });

  it('imports both rows of a number repeated within one section under distinct keys, with a warning naming the row', async () => {
    const file = Buffer.from(
      await appendixDocx([...rows, ['2', 'Số hóa hồ sơ lần hai', 'Báo cáo', 'Sở Nội vụ', '', '2026']]),
    );
    const response = await inject({
      method: 'POST',
      url: `/v1/plans?${query({ code: '22/KH-UBND', format: 'docx' })}`,
      payload: file,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().warnings).toEqual([
      expect.objectContaining({
        row: 8,
        column: 'STT',
        message: 'Số thứ tự "2" ở dòng 8 trùng với dòng 7 (cùng mục II); cả hai đều được nhập, dòng 8 với mã II.2~2.',
      }),
    ]);
    const [written] = await ctx.database.db.select().from(plans).where(eq(plans.code, '22/KH-UBND'));
    const keys = await ctx.database.db.select({ key: tasks.key }).from(tasks).where(eq(tasks.planId, written!.id));
    expect(keys.map((k) => k.key).sort()).toContain('II.2~2');
  });

  it('imports the JSON form with sections the same way', async () => {
    const task = (section: string, number: string, lead: string) => ({
      section,
      number,
      title: `Nhiệm vụ ${number} mục ${section}`,
      leads: [lead],
      dueDate: '2026-12-31',
    });
    const response = await inject({
      method: 'POST',
      url: '/v1/plans',
      payload: {
        ...fields,
        code: '23/KH-UBND',
        tasks: [task('A', '1', 'Sở Nội vụ'), task('B', '1', 'Sở Tư pháp')],
      },
    });
    expect(response.statusCode).toBe(201);
    const slug = response.json().plan.slug;
    const ids = await ctx.database.db
      .select({ id: assignments.id })
      .from(assignments)
      .where(eq(assignments.planId, response.json().plan.id))
      .orderBy(asc(assignments.id));
    expect(ids.map((r) => r.id)).toEqual([`${slug}:A.1:SNV`, `${slug}:B.1:STP`]);
  });
});
