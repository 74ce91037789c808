import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { reportFilings } from '../../db/schema.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

let ctx: TestContext;
let app: FastifyInstance;
let as: Record<'coordinator' | 'leadership' | 'SNV' | 'STP' | 'SYT' | 'SGDDT', Record<string, string>>;
let slug: string;
const get = (url: string, who: keyof typeof as = 'coordinator') => app.inject({ method: 'GET', url, headers: as[who] });
const post = (url: string, payload: object, who: keyof typeof as = 'coordinator') =>
  app.inject({ method: 'POST', url, payload, headers: as[who] });
const ids = (response: { json(): { items: { id: string }[] } }) =>
  response
    .json()
    .items.map((a) => a.id.split(':').slice(1).join(':'))
    .sort();

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  const tokens = testTokens(ctx);
  as = {
    coordinator: bearer(await tokens.coordinator()),
    leadership: bearer(await tokens.leadership()),
    SNV: bearer(await tokens.agency('SNV')),
    STP: bearer(await tokens.agency('STP')),
    SYT: bearer(await tokens.agency('SYT')),
    SGDDT: bearer(await tokens.agency('SGDDT')),
  };
  // Thursday 19 March 2026, 08:00 plan time, sixteen seconds a day: the deliveries below land on the
  // 19th (within eight seconds), and on Friday 08:00 (sixteen seconds from now) the Q1 reports fall
  // late and the work due on the 19th reaches escalation level 1.
  const response = await post('/v1/plans', {
    code: '5/KH-TEST',
    title: 'Kế hoạch thử',
    province: 'Vĩnh Phúc',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    policy: {
      dueReminderWorkingDays: [],
      reportReminderWorkingDays: [],
      reports: ['Q1'],
      ackChaseWorkingDays: 30,
      escalation: [{ level: 1, afterWorkingDays: 1 }],
      // Midnight, 32 s a day: the on-time work has 32 s to be done on a loaded machine.
      clock: { secondsPerDay: 32, virtualStart: '2026-03-19T00:00:00+07:00', realStart: new Date().toISOString() },
    },
    tasks: [
      {
        number: '1',
        area: 'CẢI CÁCH THỂ CHẾ',
        title: 'Rà soát văn bản quy phạm pháp luật',
        leads: ['Sở Nội vụ'],
        dueDate: '2026-03-19',
      },
      {
        number: '2',
        area: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH',
        title: 'Công bố thủ tục hành chính nội bộ',
        leads: ['Sở Tư pháp'],
        dueDate: '2026-12-31',
      },
      {
        number: '3',
        area: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH',
        title: 'Số hóa kết quả giải quyết',
        leads: ['Sở Y tế'],
        dueDate: '2026-12-31',
      },
      {
        number: '4',
        area: 'CẢI CÁCH THỂ CHẾ',
        title: 'Điều tra mức độ hài lòng về giáo dục',
        leads: ['Sở Giáo dục và Đào tạo'],
        dueDate: '2026-03-19',
      },
    ],
  });
  expect(response.statusCode).toBe(201);
  slug = response.json().plan.slug;
  for (const code of ['1:SNV', '2:STP', '3:SYT', '4:SGDDT']) {
    await eventually(async () =>
      (await get(`/v1/assignments/${slug}:${code}`)).json().version >= 1 ? true : undefined,
    );
  }
  // Sở Tư pháp reports on time; Sở Giáo dục delivers on time and is accepted; the others stay silent.
  expect(
    (
      await post(
        `/v1/assignments/${slug}:2:STP/reports`,
        { period: '2026-Q1', summary: 'Đã rà soát 12 thủ tục' },
        'STP',
      )
    ).statusCode,
  ).toBe(200);
  expect(
    (
      await post(
        `/v1/assignments/${slug}:4:SGDDT/deliverables`,
        { type: 'Báo cáo', documentNumber: '88/BC-SGDĐT', date: '2026-03-19' },
        'SGDDT',
      )
    ).statusCode,
  ).toBe(200);
  expect((await post(`/v1/assignments/${slug}:4:SGDDT/accept`, {})).statusCode).toBe(200);
  await eventually(
    async () => {
      const rows = await ctx.database.db.select().from(reportFilings).where(eq(reportFilings.period, '2026-Q1'));
      return rows.filter((r) => r.late && !r.filedAt).length === 2 ? rows : undefined;
    },
    // The plan's clock marks them at the cut-off's instant; a loaded machine takes longer.
    60_000,
    'the Q1 late marks',
  );
  await eventually(
    async () => ((await get('/v1/escalations', 'leadership')).json().items.length > 0 ? true : undefined),
    60_000,
    'the escalation',
  );
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('the assignment list', () => {
  it('filters by agency, status, area, overdue, due dates, missing report and free text', async () => {
    expect(ids(await get('/v1/assignments?agency=STP'))).toEqual(['2:STP']);
    expect(ids(await get('/v1/assignments?status=completed'))).toEqual(['4:SGDDT']);
    expect(ids(await get('/v1/assignments?status=assigned,in_progress'))).toEqual(['1:SNV', '2:STP', '3:SYT']);
    expect(ids(await get(`/v1/assignments?area=${encodeURIComponent('CẢI CÁCH THỂ CHẾ')}`))).toEqual([
      '1:SNV',
      '4:SGDDT',
    ]);
    expect(ids(await get('/v1/assignments?overdue=true'))).toEqual(['1:SNV']);
    expect(ids(await get('/v1/assignments?overdue=false'))).toEqual(['2:STP', '3:SYT', '4:SGDDT']);
    expect(ids(await get('/v1/assignments?dueBefore=2026-06-30'))).toEqual(['1:SNV', '4:SGDDT']);
    expect(ids(await get('/v1/assignments?dueAfter=2026-06-30'))).toEqual(['2:STP', '3:SYT']);
    expect(ids(await get('/v1/assignments?missingReport=2026-Q1'))).toEqual(['1:SNV', '3:SYT']);
    expect(ids(await get(`/v1/assignments?q=${encodeURIComponent('so hoa ket qua')}`))).toEqual(['3:SYT']);
    expect(ids(await get('/v1/assignments?overdue=true', 'SYT'))).toEqual([]);
  });

  it('refuses a filter that is not one, naming it', async () => {
    const response = await get('/v1/assignments?dueBefore=tomorrow');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toContain('dueBefore');
  });

  it('shows one assignment with its timeline, the late mark and the escalation in it', async () => {
    const body = (await get(`/v1/assignments/${slug}:1:SNV`, 'SNV')).json();
    expect(body).toMatchObject({ overdue: true, escalationLevel: 1, latePeriods: ['2026-Q1'] });
    const actions = body.timeline.map((e: { action: string }) => e.action);
    // The late mark and the escalation fall at the same instant (Friday 08:00), each fired for the
    // whole plan by its own timer (report timers, deadline timers): in either order.
    expect(actions[0]).toBe('assign');
    expect(actions.slice(1).sort()).toEqual(['escalation', 'report-late']);
  });
});

describe('oversight', () => {
  it('lists escalations for leadership; an agency sees its own only', async () => {
    const all = (await get('/v1/escalations', 'leadership')).json();
    expect(all.items).toEqual([
      expect.objectContaining({
        assignmentId: `${slug}:1:SNV`,
        level: 1,
        agencyCode: 'SNV',
        effectiveDue: '2026-03-19',
        task: { key: '1', number: '1', title: 'Rà soát văn bản quy phạm pháp luật' },
      }),
    ]);
    expect((await get('/v1/escalations', 'SYT')).json().items).toEqual([]);
  });

  it('gives each caller its own notifications and marks them read', async () => {
    const mine = (await get('/v1/notifications', 'SNV')).json().items;
    // Told of its task when the plan came in, then of the slips.
    expect(mine.map((n: { kind: string }) => n.kind).sort()).toEqual(['assigned', 'escalation', 'report-late']);
    const coordinatorKinds = (await get('/v1/notifications')).json().items.map((n: { kind: string }) => n.kind);
    expect(coordinatorKinds).toEqual(expect.arrayContaining(['submitted', 'report-late', 'escalation']));
    expect((await get('/v1/notifications', 'leadership')).json().items).toEqual([]);

    const one = await post(`/v1/notifications/${mine[0].id}/read`, {}, 'SNV');
    expect(one.json().readAt).toEqual(expect.any(String));
    expect((await get('/v1/notifications?unread=true', 'SNV')).json().items).toHaveLength(2);
    expect((await post(`/v1/notifications/${mine[0].id}/read`, {}, 'SYT')).statusCode).toBe(404);
    expect((await post('/v1/notifications/read', {}, 'SNV')).json()).toEqual({ marked: 2 });
    expect((await get('/v1/notifications?unread=true', 'SNV')).json().items).toEqual([]);
  });

  it('reports, for a period, who reported on time, late or not at all — as JSON, CSV and XLSX', async () => {
    const report = (await get('/v1/reports/periodic?period=2026-Q1')).json();
    expect(report.rows.map((r: { agencyCode: string; status: string }) => [r.agencyCode, r.status])).toEqual([
      ['SNV', 'missing'],
      ['STP', 'on-time'],
      ['SYT', 'missing'],
    ]);
    expect(report.agencies).toEqual(
      expect.arrayContaining([
        {
          agencyCode: 'STP',
          agency: { code: 'STP', name: 'Sở Tư pháp', shortName: 'Sở Tư pháp' },
          onTime: 1,
          late: 0,
          missing: 0,
          pending: 0,
        },
      ]),
    );
    expect(
      (await get('/v1/reports/periodic?period=2026-Q1', 'SYT'))
        .json()
        .rows.map((r: { agencyCode: string }) => r.agencyCode),
    ).toEqual(['SYT']);

    const csv = await get('/v1/reports/periodic?period=2026-Q1&format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('\ufeffCơ quan,Mã cơ quan,Kế hoạch,STT nhiệm vụ,Nhiệm vụ,Tình trạng,Ngày gửi')).toBe(
      true,
    );
    expect(csv.body).toContain('Sở Tư pháp,STP,5/KH-TEST,2,Công bố thủ tục hành chính nội bộ,Đã gửi – đúng hạn,');

    const xlsx = await app.inject({
      method: 'GET',
      url: '/v1/reports/periodic?period=2026-Q1',
      headers: { ...as.coordinator, accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Chi tiết']);
    expect(book.getWorksheet('Chi tiết')!.getRow(3).getCell(6).value).toBe('Đã gửi – đúng hạn');
  });

  it('computes the figures per agency and area: completed on time, overdue, the rates', async () => {
    const stats = (await get('/v1/stats/agencies', 'leadership')).json();
    const of = (code: string) => stats.items.find((i: { agencyCode: string }) => i.agencyCode === code);
    expect(of('SGDDT')).toMatchObject({
      total: 1,
      completed: 1,
      completedOnTime: 1,
      completedLate: 0,
      overdue: 0,
      onTimeRate: 1,
      completionRate: 1,
    });
    expect(of('SNV')).toMatchObject({ total: 1, completed: 0, overdue: 1, open: 1, onTimeRate: 0, completionRate: 0 });
    expect(of('STP')).toMatchObject({ total: 1, overdue: 0, onTimeRate: null });
    expect(stats.total).toMatchObject({
      total: 4,
      completed: 1,
      completedOnTime: 1,
      overdue: 1,
      onTimeRate: 0.5,
      completionRate: 0.25,
    });
    expect(of('SNV').byArea).toEqual([expect.objectContaining({ area: 'CẢI CÁCH THỂ CHẾ', overdue: 1 })]);
    expect(
      (await get('/v1/stats/agencies', 'STP')).json().items.map((i: { agencyCode: string }) => i.agencyCode),
    ).toEqual(['STP']);
  });

  it('keeps the audit trail for the coordinator, filterable by entity and action', async () => {
    const trail = (await get(`/v1/audit?entityId=${encodeURIComponent(`${slug}:4:SGDDT`)}`)).json().items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['accept', 'submitDeliverable', 'assign']);
    expect(trail[0]).toMatchObject({
      from: 'submitted',
      to: 'completed',
      actor: expect.stringContaining('coordinator'),
    });
    const late = (await get('/v1/audit?action=report-late')).json().items;
    expect(late).toHaveLength(2);
  });
});

describe('tokens', () => {
  it('are shown once, listed without their secret, and stop working when revoked', async () => {
    const created = await post('/v1/tokens', {
      role: 'agency',
      agency: 'SXD',
      registry: 'vinh-phuc',
      name: 'Văn thư Sở Xây dựng',
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^dd_/);
    const listed = (await get('/v1/tokens')).json().items;
    expect(listed.find((t: { id: string }) => t.id === id)).toMatchObject({
      role: 'agency',
      agencyCode: 'SXD',
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await app.inject({ method: 'GET', url: '/v1/assignments', headers: bearer(token) })).statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'DELETE', url: `/v1/tokens/${id}`, headers: as.coordinator })).json().revokedAt,
    ).toEqual(expect.any(String));
    const refused = await app.inject({ method: 'GET', url: '/v1/assignments', headers: bearer(token) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toContain('thu hồi');
    // Both are in the audit trail, by the coordinator who did them, without the secret.
    const trail = (await get(`/v1/audit?entityType=token&entityId=${id}`)).json().items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['token-revoke', 'token-create']);
    expect(trail[1]).toMatchObject({ to: 'active', details: { role: 'agency', agencyCode: 'SXD' } });
    expect(trail.every((e: { actor: string }) => e.actor.startsWith('coordinator:'))).toBe(true);
    expect(JSON.stringify(trail)).not.toContain(token);
  });

  it('an agency token needs a known agency', async () => {
    const response = await post('/v1/tokens', { role: 'agency', agency: 'KHONGCO', name: 'x' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('/agency');
  });
});

describe('after a reassignment', () => {
  it('refuses to give the work to the agency that already leads it, saying why, and changes nothing', async () => {
    const id = `${slug}:1:SNV`;
    const refused = await post(`/v1/assignments/${id}/reassign`, { toAgency: 'SNV', reason: 'Nhầm' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toBe('Sở Nội vụ đang chủ trì nhiệm vụ này; hãy chọn cơ quan khác.');
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: '/toAgency' })]);
    expect((await get(`/v1/assignments/${id}`)).json()).toMatchObject({ agencyCode: 'SNV' });
  });

  it('shows the open escalation to the agency that now leads the work, not to the one that gave it up', async () => {
    const id = `${slug}:1:SNV`;
    expect(
      (await get('/v1/escalations', 'SNV')).json().items.map((e: { assignmentId: string }) => e.assignmentId),
    ).toEqual([id]);
    const moved = await post(`/v1/assignments/${id}/reassign`, { toAgency: 'STP', reason: 'Chuyển chức năng' });
    expect(moved.statusCode).toBe(200);
    expect((await get('/v1/escalations', 'SNV')).json().items).toEqual([]);
    expect((await get('/v1/escalations', 'STP')).json().items).toEqual([
      expect.objectContaining({ assignmentId: id, level: 1 }),
    ]);
  });
});
