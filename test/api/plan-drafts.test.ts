import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { assignments, notifications } from '../../db/schema.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { saveHistoryForReplay } from '../support/assignments.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';

// The draft: an appendix read and kept, fixed through the API as the import page fixes it, then
// imported; the plan keeps the file and the edits, a plan taken up in the middle of its life starts
// with its past, and a second import of the same plan is a revision shown first and confirmed.

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;
let elsewhere: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  const admin = bearer(await testTokens(ctx).coordinator());
  for (const [registry, set] of [
    ['phu-tho', (h: Record<string, string>) => (coordinator = h)],
    ['dong-nai', (h: Record<string, string>) => (elsewhere = h)],
  ] as const) {
    const made = await app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: admin,
      payload: { role: 'coordinator', registry, name: `Điều phối ${registry}` },
    });
    expect(made.statusCode).toBe(201);
    set(bearer(made.json().token));
  }
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const csv = (rows: string[][]) =>
  '\ufeff' + rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';

const HEADER = [
  'STT',
  'Tên nhiệm vụ',
  'Cơ quan chủ trì',
  'Cơ quan phối hợp',
  'Thời gian hoàn thành',
  'Tình hình thực hiện',
];
const table = csv([
  HEADER,
  ['I', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', '', '', '', ''],
  ['1', 'Ban hành quy chế phối hợp', 'Sở Nội vụ', '', '90 ngày kể từ ngày ban hành Kế hoạch', ''],
  ['2', 'Rà soát thủ tục cấp xã', 'UBND các xã, phường', '', 'Quý IV/2026', ''],
  ['3', 'Cải cách thủ tục liên thông', 'Sở, ngành liên quan', 'Các cơ quan, đơn vị liên quan', 'Quý III/2026', ''],
  ['4', 'Tập huấn cán bộ một cửa', 'Sở Nội vụ', '', 'Tháng 3/2026', 'Đã hoàn thành'],
  ['5', 'Số hóa hồ sơ', 'Trung tâm Dữ liệu số tỉnh', 'Sở Khoa học và Công nghệ', 'Quý IV/2026', ''],
  ['6', 'Tuyên truyền', 'Sở Nội vụ', '', 'đầu năm sau', ''],
]);
const fields = {
  code: '45/KH-UBND',
  title: 'Kế hoạch cải cách hành chính tỉnh Phú Thọ năm 2026',
  province: 'Phú Thọ',
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
};

function multipart(file: string, name: string, extra: Record<string, string>) {
  const boundary = '----dondoc-draft';
  const parts = Object.entries(extra).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n`,
  );
  return {
    payload: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const create = (file: string, extra: Record<string, string> = fields, headers = coordinator) => {
  const body = multipart(file, 'phu-luc-45.csv', extra);
  return app.inject({
    method: 'POST',
    url: '/v1/plans/drafts',
    payload: body.payload,
    headers: { ...headers, ...body.headers },
  });
};
const patch = (id: string, edits: object[]) =>
  app.inject({ method: 'PATCH', url: `/v1/plans/drafts/${id}`, headers: coordinator, payload: { edits } });

describe('a plan draft', () => {
  let id = '';
  let planId = '';

  it('is created from the file with its questions, not refused for them', async () => {
    const response = await create(table);
    expect(response.statusCode).toBe(201);
    const draft = response.json();
    id = draft.id;
    expect(draft).toMatchObject({
      registry: { key: 'phu-tho', name: 'Phú Thọ' },
      code: '45/KH-UBND',
      issuedOn: null,
      issuedOnSource: null,
      revision: null,
      file: { name: 'phu-luc-45.csv', size: Buffer.byteLength(table) },
      importedPlanId: null,
    });
    expect(draft.file.sha256).toBe(createHash('sha256').update(table).digest('hex'));
    expect(draft.tasks.map((t: { key: string }) => t.key)).toEqual(['1', '2', '3', '4', '5', '6']);
    const kinds = draft.questions.map((q: { kind: string; row?: number }) => `${q.kind}@${q.row ?? '-'}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'issued-on@-',
        'commune-group@4',
        'vague-group@5',
        'completed-on@6',
        'proposal@7',
        'unknown-agency@7',
        'deadline@8',
      ]),
    );
    expect(draft.tasks[1].leads).toEqual([{ code: null, name: 'UBND cấp xã', group: 'UBND cấp xã', members: 148 }]);
    expect(draft.columns.map((c: { meaning: string | null }) => c.meaning)).toEqual([
      'number',
      'task',
      'lead',
      'collaborators',
      'deadline',
      'status',
    ]);
    expect(draft.counts).toMatchObject({ tasks: 6, excluded: 0 });
    // Names, not codes: every agency comes with its name.
    expect(draft.tasks[4].collaborators).toEqual([{ code: 'SKHCN', name: 'Sở Khoa học và Công nghệ' }]);
  });

  it('is private to its registry', async () => {
    expect((await app.inject({ method: 'GET', url: `/v1/plans/drafts/${id}`, headers: elsewhere })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ method: 'GET', url: `/v1/plans/drafts/${id}`, headers: coordinator })).statusCode).toBe(
      200,
    );
  });

  it('refuses an edit that does not apply, naming its row and field, and changes nothing', async () => {
    const refused = await patch(id, [
      { issuedOn: '2026-03-02' },
      { row: 99, title: 'Không có' },
      { row: 8, deadline: 'khi nào xong' },
      { row: 3, leads: ['KHONG-CO'] },
      { row: 6, status: 'done' },
    ]);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ row: 99, field: 'edits[row 99].row' }),
      expect.objectContaining({ row: 8, field: 'edits[row 8].deadline' }),
      expect.objectContaining({ row: 3, field: 'edits[row 3].leads' }),
      expect.objectContaining({ row: 6, field: 'edits[row 6].completedOn' }),
    ]);
    const draft = (await app.inject({ method: 'GET', url: `/v1/plans/drafts/${id}`, headers: coordinator })).json();
    expect(draft.edits).toEqual([]);
    expect(draft.issuedOn).toBeNull();
  });

  it('answers its questions through edits, each recorded, and reads the table again with them', async () => {
    const response = await patch(id, [
      { issuedOn: '2026-03-02' },
      { row: 4, leads: { communes: 'group' } },
      { row: 5, leads: ['SNV', 'STP'] },
      { row: 6, status: 'done', completedOn: '2026-03-20', document: { kind: 'Báo cáo', number: '12/BC-SNV' } },
      { proposal: { name: 'Trung tâm Dữ liệu số tỉnh', accept: true } },
      { row: 8, deadline: '30/09/2026' },
      { row: 3, title: 'Ban hành quy chế phối hợp một cửa' },
    ]);
    expect(response.statusCode).toBe(200);
    const draft = response.json();
    expect(draft.issuedOn).toBe('2026-03-02');
    expect(draft.issuedOnSource).toBe('given');
    const task = (row: number) => draft.tasks.find((t: { row: number }) => t.row === row);
    expect(task(3)).toMatchObject({
      title: 'Ban hành quy chế phối hợp một cửa',
      deadline: {
        kind: 'date',
        due: '2026-05-31',
        note: '90 ngày kể từ ngày ban hành (02/03/2026) → 31/05/2026; 31/05/2026 là Chủ nhật: hạn dời sang ngày làm việc tiếp theo',
      },
    });
    expect(task(4).leads).toEqual([{ code: 'CAPXA', name: 'UBND cấp xã (giao chung)', group: 'UBND cấp xã' }]);
    expect(task(5).leads.map((l: { code: string }) => l.code)).toEqual(['SNV', 'STP']);
    expect(task(6).status).toEqual({
      state: 'done',
      completedOn: '2026-03-20',
      document: { kind: 'Báo cáo', number: '12/BC-SNV' },
    });
    expect(task(7).leads).toEqual([{ code: 'TTDLST', name: 'Trung tâm Dữ liệu số tỉnh' }]);
    expect(task(8).deadline).toMatchObject({ kind: 'date', due: '2026-09-30' });
    expect(draft.questions).toEqual([]);
    expect(draft.errors).toEqual([]);
    expect(draft.edits).toHaveLength(7);
    expect(draft.edits[1]).toMatchObject({
      row: 4,
      field: 'communes',
      to: 'group',
      who: expect.stringContaining('Điều phối phu-tho'),
    });
    expect(draft.edits[5]).toMatchObject({ row: 8, field: 'deadline', from: 'đầu năm sau', to: '30/09/2026' });
    expect(draft.counts.assignments).toBe(7);
  });

  it('excludes and restores a row', async () => {
    const excluded = (await patch(id, [{ row: 8, excluded: true }])).json();
    expect(excluded.counts).toMatchObject({ tasks: 5, excluded: 1 });
    const restored = (await patch(id, [{ row: 8, excluded: false }])).json();
    expect(restored.counts).toMatchObject({ tasks: 6, excluded: 0 });
  });

  it('imports as edited: the plan keeps its file and its edits in the audit trail, and the past as it was', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/v1/plans/drafts/${id}/import`,
      headers: coordinator,
      payload: {},
    });
    expect(response.statusCode).toBe(201);
    const result = response.json();
    planId = result.plan.id;
    expect(result.assignments.total).toBe(7);

    const source = await app.inject({ method: 'GET', url: `/v1/plans/${planId}/source`, headers: coordinator });
    expect(source.statusCode).toBe(200);
    expect(source.rawPayload.toString('utf8')).toBe(table);
    expect(source.headers['content-disposition']).toContain('phu-luc-45.csv');

    const trail = (
      await app.inject({
        method: 'GET',
        url: `/v1/audit?entityType=plan&entityId=${planId}&limit=100`,
        headers: coordinator,
      })
    ).json().items;
    const edits = trail.filter((e: { action: string }) => e.action === 'plan-draft-edit');
    expect(edits).toHaveLength(9);
    expect(edits.map((e: { details: { field: string } }) => e.details.field)).toContain('status');
    expect(trail.some((e: { action: string }) => e.action === 'plan-import')).toBe(true);
    // The proposal accepted joined the registry.
    const agency = await app.inject({
      method: 'GET',
      url: '/v1/registries/phu-tho/agencies/TTDLST',
      headers: coordinator,
    });
    expect(agency.statusCode).toBe(200);

    // Done on 20 March, due 31 March: completed on time, as of that day, and never chased.
    const done = `${result.plan.slug}:4:SNV`;
    const row = await eventually(async () => {
      const [found] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, done));
      return found && found.version >= 2 ? found : undefined;
    });
    expect(row).toMatchObject({ status: 'completed', onTime: true });
    expect(row.completedAt?.toISOString()).toBe('2026-03-20T10:00:00.000Z');
    expect(row.state).toMatchObject({ status: 'completed', onTime: true });
    const notices = await ctx.database.db.select().from(notifications).where(eq(notifications.assignmentId, done));
    expect(notices).toEqual([]);
    // Its workflow started completed and ended: nothing waits to chase it.
    await eventually(async () =>
      (await ctx.client.workflow.getHandle(done).describe()).status.name === 'COMPLETED' ? true : undefined,
    );
    await saveHistoryForReplay(ctx.client, done, 'completed-at-import');
    const draft = (await app.inject({ method: 'GET', url: `/v1/plans/drafts/${id}`, headers: coordinator })).json();
    expect(draft.importedPlanId).toBe(planId);
  });

  it('shows a second import of the same plan as a revision first, and needs it confirmed', async () => {
    const revised = table.replace('"Quý III/2026"', '"Quý IV/2026"').replace('"Tuyên truyền",', '"Tuyên truyền CCHC",');
    const created = await create(revised, { ...fields, issuedOn: '2026-03-02' });
    expect(created.statusCode).toBe(201);
    const draft = created.json();
    // The new draft's questions are answered again as before.
    const answered = (
      await patch(draft.id, [
        { row: 4, leads: { communes: 'group' } },
        { row: 5, leads: ['SNV', 'STP'] },
        { row: 6, status: 'done', completedOn: '2026-03-20' },
        { row: 8, deadline: '30/09/2026' },
        { row: 3, title: 'Ban hành quy chế phối hợp một cửa' },
      ])
    ).json();
    expect(answered.revision).toMatchObject({
      planId,
      code: '45/KH-UBND',
      counts: { deadlineChanged: 1, added: 0, cancelled: 0 },
    });
    expect(answered.revision.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'deadline',
          key: '3',
          title: 'Cải cách thủ tục liên thông',
          detail: 'Quý III/2026 → Quý IV/2026',
        }),
      ]),
    );
    const refused = await app.inject({
      method: 'POST',
      url: `/v1/plans/drafts/${draft.id}/import`,
      headers: coordinator,
      payload: {},
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().revision.counts.deadlineChanged).toBe(1);
    const confirmed = await app.inject({
      method: 'POST',
      url: `/v1/plans/drafts/${draft.id}/import`,
      headers: coordinator,
      payload: { revise: true },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ outcome: 'updated', plan: { id: planId, revision: 2 } });
  });

  it('answers 422 for a file that cannot be read, naming what is wrong', async () => {
    const response = await create('không phải bảng\nchỉ là chữ\n');
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].message).toContain('tiêu đề');
  });
});

describe('a deadline that falls on a day off', () => {
  it('is shown in the draft as the working day the assignment then has', async () => {
    // 31 October 2026 is a Saturday: the plan's policy moves the deadline to Monday 2 November.
    const saturday = csv([HEADER, ['1', 'Tổng kết công tác cải cách', 'Sở Nội vụ', '', 'Ngày 31/10/2026', '']]);
    const created = await create(saturday, { ...fields, code: '46/KH-UBND' });
    expect(created.statusCode).toBe(201);
    const draft = created.json();
    expect(draft.tasks[0].deadline).toMatchObject({ kind: 'date', due: '2026-10-31', effectiveDue: '2026-11-02' });
    // Read again (GET) and after an edit (PATCH), the draft reckons it the same way.
    const read = await app.inject({ method: 'GET', url: `/v1/plans/drafts/${draft.id}`, headers: coordinator });
    expect(read.json().tasks[0].deadline.effectiveDue).toBe('2026-11-02');
    // A working day stays as it is.
    const edited = await patch(draft.id, [{ row: 2, deadline: '30/10/2026' }]);
    expect(edited.statusCode).toBe(200);
    expect(edited.json().tasks[0].deadline).toMatchObject({ due: '2026-10-30', effectiveDue: '2026-10-30' });
    const back = await patch(draft.id, [{ row: 2, deadline: '31/10/2026' }]);
    expect(back.json().tasks[0].deadline.effectiveDue).toBe('2026-11-02');

    const imported = await app.inject({
      method: 'POST',
      url: `/v1/plans/drafts/${draft.id}/import`,
      headers: coordinator,
      payload: {},
    });
    expect(imported.statusCode).toBe(201);
    const plan = imported.json().plan.id;
    const assignment = await eventually(async () => {
      const list = await app.inject({ method: 'GET', url: `/v1/assignments?plan=${plan}`, headers: coordinator });
      const [first] = list.json().items as { version: number; effectiveDue: string | null }[];
      return first && first.version >= 1 ? first : undefined;
    });
    expect(assignment.effectiveDue).toBe(back.json().tasks[0].deadline.effectiveDue);
  });
});
