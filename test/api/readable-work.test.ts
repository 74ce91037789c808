import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import type { Deadline } from '../../domain/types.ts';
import {
  assignments,
  auditLog,
  escalations,
  notifications,
  plans,
  reportFilings,
  tasks,
  users,
} from '../../db/schema.ts';
import { openSession } from '../../services/accounts.ts';
import { buildTestApp, createTestContext, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

// Issue 22, the server's side: what the pages read names agencies, plans and registries, speaks
// Vietnamese in the audit trail and the exports, ranks agencies worst first, tells each caller what
// it may do, and reckons the past periods of a plan imported after the fact. The read model is
// written by hand (no workflow runs): a Vĩnh Phúc plan of 2024–2026 imported today, 7 December 2026.

let ctx: TestContext;
let app: FastifyInstance;
type Who = 'coordinator' | 'leadership' | 'UBND-TDG' | 'STP' | 'SNV';
let as: Record<Who, Record<string, string>>;
const get = (url: string, who: Who = 'coordinator') => app.inject({ method: 'GET', url, headers: as[who] });

const SLUG = 'rw-1-kh';
const id = (n: string) => `${SLUG}:${n}`;
const date = (due: string): Deadline => ({ kind: 'date', due, raw: due });
/** The import's instant: every assignment's workflow started today. */
const importedAt = new Date().toISOString();

async function seed() {
  const db = ctx.database.db;
  // One transaction, as an import writes a plan: its assignments came with it.
  await db.transaction(async (tx) => {
    const [plan] = await tx
      .insert(plans)
      .values({
        code: 'RW-1/KH',
        slug: SLUG,
        title: 'Kế hoạch cải cách hành chính giai đoạn 2024–2026',
        province: 'Vĩnh Phúc',
        registry: 'vinh-phuc',
        periodStart: '2024-01-01',
        periodEnd: '2026-12-31',
      })
      .returning();
    const task = async (number: string, title: string, extra: Partial<typeof tasks.$inferInsert> = {}) => {
      const [row] = await tx
        .insert(tasks)
        .values({ planId: plan!.id, key: number, number, title, deadline: date('2026-12-31'), ...extra })
        .returning();
      return row!.id;
    };
    const t1 = await task('1', 'Rà soát thủ tục hành chính nội bộ', {
      objective: 'Nâng cao chất lượng phục vụ người dân',
      deliverables: ['Đề án'],
      collaborators: [
        { code: 'STP', name: 'Sở Tư pháp' },
        { code: null, name: 'Các sở, ngành liên quan' },
      ],
      area: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH',
    });
    const t2 = await task('2', 'Số hóa hồ sơ y tế');
    const t3 = await task('3', 'Xây dựng chính quyền số');
    const t4 = await task('4', 'Đánh giá chỉ số cải cách hành chính');
    const submitted = (at: string, outcome: 'pending' | 'accepted') => ({
      type: 'Báo cáo',
      documentNumber: '7/BC',
      documentDate: at.slice(0, 10),
      submittedAt: at,
      submittedBy: 'agency:SYT:Văn thư',
      outcome,
      ...(outcome === 'accepted' ? { decidedAt: '2024-05-01T02:00:00.000Z' } : {}),
    });
    await tx.insert(assignments).values([
      {
        id: id('1:UBND-TDG'),
        planId: plan!.id,
        taskId: t1,
        agencyCode: 'UBND-TDG',
        status: 'assigned',
        deadline: date('2027-03-31'),
        effectiveDue: '2027-03-31',
        version: 1,
        state: { assignedAt: importedAt, expectedReports: ['2026-Q3', '2026-Y'], latePeriods: ['2026-Q3'] },
      },
      {
        id: id('2:SYT'),
        planId: plan!.id,
        taskId: t2,
        agencyCode: 'SYT',
        status: 'completed',
        deadline: date('2024-06-30'),
        effectiveDue: '2024-06-30',
        completedAt: new Date('2024-05-01T02:00:00.000Z'),
        onTime: true,
        version: 1,
        state: {
          assignedAt: importedAt,
          completedAt: '2024-05-01T02:00:00.000Z',
          submissions: [submitted('2024-04-28T02:00:00.000Z', 'accepted')],
        },
      },
      {
        id: id('3:SNV'),
        planId: plan!.id,
        taskId: t3,
        agencyCode: 'SNV',
        status: 'in_progress',
        deadline: date('2024-03-31'),
        effectiveDue: '2024-03-31',
        escalationLevel: 1,
        version: 1,
        state: { assignedAt: importedAt },
      },
      {
        id: id('4:SNV'),
        planId: plan!.id,
        taskId: t4,
        agencyCode: 'SNV',
        status: 'submitted',
        deadline: date('2027-06-30'),
        effectiveDue: '2027-06-30',
        version: 1,
        state: { assignedAt: importedAt, submissions: [submitted('2026-11-02T02:00:00.000Z', 'pending')] },
      },
    ]);
    await tx.insert(reportFilings).values([
      { assignmentId: id('1:UBND-TDG'), period: '2026-Q3', agencyCode: 'UBND-TDG', late: true },
      { assignmentId: id('1:UBND-TDG'), period: '2026-Y', agencyCode: 'UBND-TDG' },
    ]);
    await tx.insert(escalations).values({
      assignmentId: id('3:SNV'),
      cycle: 0,
      level: 1,
      agencyCode: 'SNV',
      effectiveDue: '2024-03-31',
      raisedAt: new Date(importedAt),
    });
    await tx.insert(auditLog).values([
      {
        actor: 'system:import',
        action: 'assign',
        entityType: 'assignment',
        entityId: id('1:UBND-TDG'),
        toState: 'assigned',
        details: { agencyCode: 'UBND-TDG', deadline: date('2027-03-31') },
        at: new Date('2026-12-01T02:00:00Z'),
      },
      {
        actor: 'agency:UBND-TDG:Nguyễn Văn An <an@tamduong.gov.vn>',
        action: 'fileReport',
        entityType: 'assignment',
        entityId: id('1:UBND-TDG'),
        fromState: 'assigned',
        toState: 'in_progress',
        details: { period: '2026-Q1', late: false },
        at: new Date('2026-12-02T02:00:00Z'),
      },
      {
        actor: 'coordinator:Trần Thị Bình <binh@snv.gov.vn>',
        action: 'session-open',
        entityType: 'user',
        entityId: '00000000-0000-0000-0000-000000000001',
        details: { from: '203.0.113.9' },
        at: new Date('2026-12-03T02:00:00Z'),
      },
    ]);
    await tx.insert(notifications).values([
      {
        assignmentId: id('1:UBND-TDG'),
        recipientRole: 'coordinator',
        kind: 'report-late',
        period: '2026-Q3',
        text: 'Chậm báo cáo: báo cáo quý III/2026 về nhiệm vụ số 1 ("Rà soát thủ tục hành chính nội bộ", Kế hoạch RW-1/KH) của UBND-TDG chưa được gửi đúng hạn.',
        link: `/v1/assignments/${id('1:UBND-TDG')}`,
        createdAt: new Date('2026-09-21T01:00:00Z'),
        dedupeKey: 'rw-1',
      },
      {
        assignmentId: id('4:SNV'),
        recipientRole: 'coordinator',
        kind: 'submitted',
        text: 'SNV đã nộp sản phẩm (Báo cáo, số 7/BC) cho nhiệm vụ số 4 ("Đánh giá chỉ số", Kế hoạch RW-1/KH); đề nghị xem xét.',
        link: `/v1/assignments/${id('4:SNV')}`,
        createdAt: new Date('2026-11-02T02:00:00Z'),
        dedupeKey: 'rw-2',
      },
    ]);
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx);
  const tokens = testTokens(ctx);
  as = {
    coordinator: bearer(await tokens.coordinator()),
    leadership: bearer(await tokens.leadership()),
    'UBND-TDG': bearer(await tokens.agency('UBND-TDG')),
    STP: bearer(await tokens.agency('STP')),
    SNV: bearer(await tokens.agency('SNV')),
  };
  await seed();
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('names, not codes', () => {
  it('names the lead, the collaborators, the plan and the registry of an assignment', async () => {
    const response = await get(`/v1/assignments/${encodeURIComponent(id('1:UBND-TDG'))}`, 'UBND-TDG');
    expect(response.statusCode).toBe(200);
    const a = response.json();
    expect(a.agencyCode).toBe('UBND-TDG');
    expect(a.agency).toEqual({ code: 'UBND-TDG', name: 'UBND huyện Tam Dương', shortName: 'UBND huyện Tam Dương' });
    expect(a.plan).toEqual({
      id: expect.any(String),
      code: 'RW-1/KH',
      slug: SLUG,
      title: 'Kế hoạch cải cách hành chính giai đoạn 2024–2026',
    });
    expect(a.registry).toEqual({ key: 'vinh-phuc', name: 'Vĩnh Phúc (trước 01/7/2025)' });
    expect(a.collaborators).toEqual([
      { code: 'STP', name: 'Sở Tư pháp', shortName: 'Sở Tư pháp' },
      { code: null, name: 'Các sở, ngành liên quan', shortName: 'Các sở, ngành liên quan' },
    ]);
    // The objective and the product, apart.
    expect(a.task).toMatchObject({ objective: 'Nâng cao chất lượng phục vụ người dân', deliverables: ['Đề án'] });
    expect(a.statusLabel).toBe('Đã giao');
    expect(a.role).toBe('lead');
  });

  it('writes the timeline in Vietnamese, with who did it', async () => {
    const { timeline } = (await get(`/v1/assignments/${encodeURIComponent(id('1:UBND-TDG'))}`)).json();
    expect(timeline.map((t: { summary: string; who: string }) => [t.summary, t.who])).toEqual([
      ['Giao nhiệm vụ cho UBND huyện Tam Dương chủ trì (hạn ngày 31/03/2027)', 'Hệ thống (nhập kế hoạch)'],
      ['Gửi báo cáo quý I/2026', 'Nguyễn Văn An (UBND huyện Tam Dương)'],
    ]);
    // What was recorded stays beside it.
    expect(timeline[1]).toMatchObject({ action: 'fileReport', details: { period: '2026-Q1' } });
  });

  it('writes the audit trail in Vietnamese', async () => {
    const { items } = (await get('/v1/audit?limit=10')).json();
    expect(items.find((e: { action: string }) => e.action === 'session-open')).toMatchObject({
      summary: 'Đăng nhập',
      who: 'Trần Thị Bình',
    });
  });

  it('says when completed work was done, and how late', async () => {
    const a = (await get(`/v1/assignments/${encodeURIComponent(id('2:SYT'))}`)).json();
    expect(a.completion).toBe('Hoàn thành ngày 01/05/2024 (đúng hạn)');
    expect(a.agency.name).toBe('Sở Y tế');
  });

  it('names agencies in notifications, and serves the coordinator its own', async () => {
    const response = await get('/v1/notifications');
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page).toMatchObject({ total: 2, unread: 2 });
    const [submitted, late] = page.items;
    expect(submitted.text).toMatch(/^Sở Nội vụ đã nộp sản phẩm/);
    expect(submitted).toMatchObject({ kindLabel: 'Đã nộp sản phẩm', agency: { code: 'SNV', name: 'Sở Nội vụ' } });
    expect(late.text).toContain('của UBND huyện Tam Dương chưa được gửi đúng hạn');
    expect(late.text).toContain('Kế hoạch RW-1/KH');
    expect(late.plan).toMatchObject({ code: 'RW-1/KH', title: 'Kế hoạch cải cách hành chính giai đoạn 2024–2026' });
  });

  it('names the agency and plan of an escalation', async () => {
    const { items } = (await get('/v1/escalations')).json();
    const mine = items.find((e: { assignmentId: string }) => e.assignmentId === id('3:SNV'));
    expect(mine).toMatchObject({
      agencyCode: 'SNV',
      agency: { name: 'Sở Nội vụ' },
      planInfo: { code: 'RW-1/KH', title: 'Kế hoạch cải cách hành chính giai đoạn 2024–2026' },
    });
  });
});

describe('pickers search by name, diacritics optional', () => {
  it('finds agencies of a registry as one types, and counts them', async () => {
    const page = (await get('/v1/registries/vinh-phuc/agencies?q=ubnd%20huyen%20tam')).json();
    expect(page.items.map((a: { code: string }) => a.code)).toEqual(['UBND-TDA', 'UBND-TDG']);
    expect(page.total).toBe(2);
    expect(page.items[1]).toMatchObject({ name: 'UBND huyện Tam Dương', shortName: 'UBND huyện Tam Dương' });
    const one = (await get('/v1/registries/vinh-phuc/agencies?q=tam%20duong')).json();
    expect(one.items.map((a: { code: string }) => a.code)).toEqual(['UBND-TDG']);
    const office = (await get('/v1/registries/vinh-phuc/agencies?q=vp%20ubnd')).json();
    expect(office.items.map((a: { code: string; shortName: string }) => [a.code, a.shortName])).toEqual([
      ['VPUBND', 'VP UBND tỉnh'],
    ]);
  });

  it('pages a long search with its total', async () => {
    const first = (await get('/v1/registries/vinh-phuc/agencies?q=so&limit=5')).json();
    expect(first.items).toHaveLength(5);
    const second = (await get(`/v1/registries/vinh-phuc/agencies?q=so&limit=5&cursor=${first.nextCursor}`)).json();
    expect(second.total).toBe(first.total);
    expect(second.items[0].code > first.items[4].code).toBe(true);
  });

  it('finds registries by name', async () => {
    const page = (await get('/v1/registries?q=vinh%20phuc')).json();
    expect(page.items.map((r: { key: string; name: string }) => [r.key, r.name])).toEqual([
      ['vinh-phuc', 'Vĩnh Phúc (trước 01/7/2025)'],
    ]);
    expect(page.total).toBe(1);
  });
});

describe('what each caller may do', () => {
  it('tells the lead, the coordinator and leadership apart', async () => {
    const path = `/v1/assignments/${encodeURIComponent(id('1:UBND-TDG'))}`;
    expect((await get(path, 'UBND-TDG')).json().allowedCommands).toEqual([
      'acknowledge',
      'fileReport',
      'submitDeliverable',
      'requestExtension',
    ]);
    expect((await get(path, 'STP')).json()).toMatchObject({
      role: 'collaborator',
      allowedCommands: ['addContribution'],
    });
    expect((await get(path)).json().allowedCommands).toEqual(['reassign', 'setDeadline', 'cancel']);
    expect((await get(path, 'leadership')).json().allowedCommands).toEqual([]);
    const review = (await get(`/v1/assignments/${encodeURIComponent(id('4:SNV'))}`)).json();
    expect(review.allowedCommands).toEqual(['accept', 'return', 'setDeadline', 'cancel']);
  });
});

describe('Việc của tôi', () => {
  const listed = async (query: string, who: Who) => {
    const response = await get(`/v1/assignments?plan=${SLUG}&${query}`, who);
    expect(response.statusCode).toBe(200);
    return response.json() as {
      items: { id: string; role: string | null; reportOwed: unknown; agency: { name: string } }[];
      total: number;
    };
  };

  it('sets the work an agency leads apart from the work it collaborates on', async () => {
    const mine = await listed('', 'STP');
    expect(mine.items.map((a) => [a.id, a.role])).toEqual([[id('1:UBND-TDG'), 'collaborator']]);
    expect((await listed('role=lead', 'STP')).items).toEqual([]);
    expect((await listed('role=collaborator', 'STP')).total).toBe(1);
    const led = await listed('role=lead', 'UBND-TDG');
    expect(led.items.map((a) => [a.id, a.role, a.agency.name])).toEqual([
      [id('1:UBND-TDG'), 'lead', 'UBND huyện Tam Dương'],
    ]);
    expect((await get('/v1/assignments?role=lead')).statusCode).toBe(422);
  });

  it('says which report is owed now, true to the period', async () => {
    const owed = await listed('reportOwed=true', 'UBND-TDG');
    // Q3's cut-off (14 September) has come; the year's (14 December) has not.
    expect(owed.items.map((a) => a.reportOwed)).toEqual([
      { period: '2026-Q3', label: 'Báo cáo quý III/2026', late: true },
    ]);
    const detail = (await get(`/v1/assignments/${encodeURIComponent(id('1:UBND-TDG'))}`, 'UBND-TDG')).json();
    expect(detail.reportOwed).toEqual({ period: '2026-Q3', label: 'Báo cáo quý III/2026', late: true });
    expect((await listed('reportOwed=true', 'SNV')).items).toEqual([]);
  });

  it('puts submitted work under review, apart from the work to do', async () => {
    expect((await listed('status=review', 'SNV')).items.map((a) => a.id)).toEqual([id('4:SNV')]);
    expect((await listed('status=withLead', 'SNV')).items.map((a) => a.id)).toEqual([id('3:SNV')]);
    expect((await listed('status=withLead', 'coordinator')).total).toBe(2);
  });
});

describe('the dashboard leads with the worst', () => {
  it('ranks agencies by overdue work, then on-time rate, with their names', async () => {
    const d = (await get(`/v1/dashboard?plan=${SLUG}`, 'leadership')).json();
    expect(
      d.byAgency.map((a: { agencyCode: string; agency: { name: string } }) => [a.agencyCode, a.agency.name]),
    ).toEqual([
      ['SNV', 'Sở Nội vụ'],
      ['SYT', 'Sở Y tế'],
      ['UBND-TDG', 'UBND huyện Tam Dương'],
    ]);
    expect(d.planLabel).toMatchObject({ code: 'RW-1/KH' });
    expect(d.bucketLabels.overdue).toBe('Chưa hoàn thành – quá hạn');
    expect(d.reconstructed).toBe(false);
  });

  it('reckons a period before the import from deadlines and completion dates, and says so', async () => {
    const d = (await get(`/v1/dashboard?plan=${SLUG}&period=2024-H1`, 'leadership')).json();
    expect(d.asOf).toBe('2024-06-14');
    // 2 completed 01/05/2024 on time; 3 due 31/03/2024, not done; 1 and 4 due in 2027.
    expect([d.total.onTime, d.total.late, d.total.within, d.total.overdue]).toEqual([1, 0, 2, 1]);
    expect(d.reconstructed).toBe(true);
    expect(d.label).toBe('6 tháng đầu năm 2024 (số liệu đến 14/06/2024)');
    const period = d.periods.find((p: { id: string }) => p.id === '2024-H1');
    expect(period).toMatchObject({ label: '6 tháng đầu năm 2024', reconstructed: true });
    expect(d.trend.every((t: { reconstructed: boolean }) => t.reconstructed)).toBe(true);
  });
});

describe('exports in words', () => {
  it('titles the report by its period and names the agencies in JSON, CSV and XLSX', async () => {
    const report = (await get(`/v1/reports/periodic?period=2026-Q3&plan=${SLUG}`)).json();
    expect(report.label).toBe('Báo cáo quý III/2026');
    expect(report.rows).toEqual([
      expect.objectContaining({
        agencyCode: 'UBND-TDG',
        agency: expect.objectContaining({ name: 'UBND huyện Tam Dương' }),
        planTitle: 'Kế hoạch cải cách hành chính giai đoạn 2024–2026',
        statusLabel: 'Chưa gửi – quá hạn',
      }),
    ]);
    expect(report.tasks).toMatchObject({ label: 'Quý III/2026 (số liệu đến 14/09/2026)', reconstructed: true });

    const csv = (await get(`/v1/reports/periodic?period=2026-Q3&plan=${SLUG}&format=csv`)).body;
    expect(csv.split('\r\n')[0]).toBe('\ufeffCơ quan,Mã cơ quan,Kế hoạch,STT nhiệm vụ,Nhiệm vụ,Tình trạng,Ngày gửi');
    expect(csv).toContain(
      'UBND huyện Tam Dương,UBND-TDG,RW-1/KH,1,Rà soát thủ tục hành chính nội bộ,Chưa gửi – quá hạn,',
    );

    const xlsx = await get(`/v1/reports/periodic?period=2026-Y&plan=${SLUG}&format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const summary = book.getWorksheet('Tổng hợp')!;
    expect(summary.getRow(1).getCell(1).value).toBe('Báo cáo năm 2026');
    const texts = summary
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string');
    expect(texts).toEqual(expect.arrayContaining(['Hoàn thành đúng hạn', 'Chưa hoàn thành – quá hạn', 'Sở Nội vụ']));
  });
});

describe('people, words and what a role may open', () => {
  it('finds people by name for the coordinator, diacritics optional, with the total', async () => {
    await ctx.database.db.insert(users).values(
      ['Nguyễn Văn An', 'Nguyễn Thị Bình', 'Trần Văn Cường'].map((name, i) => ({
        email: `nguoi${i}@vinhphuc.gov.vn`,
        name,
        role: 'agency',
        agencyCode: i === 2 ? 'STP' : 'SYT',
        registry: 'vinh-phuc',
        passwordHash: 'scrypt$unused',
        createdBy: 'test',
      })),
    );
    const found = (await get('/v1/users?q=nguyen%20van')).json();
    expect(found.items.map((u: { name: string }) => u.name)).toEqual(['Nguyễn Văn An']);
    expect(found.total).toBe(1);
    const ofSyt = (await get('/v1/users?agency=SYT&limit=1')).json();
    expect(ofSyt).toMatchObject({ total: 2, items: [{ name: 'Nguyễn Thị Bình' }] });
    expect(ofSyt.nextCursor).toEqual(expect.any(String));
  });

  it('counts the escalations, the audit trail and the plans behind their pages; plans name their registry', async () => {
    expect((await get('/v1/escalations')).json().total).toBe(1);
    expect((await get('/v1/audit?limit=1')).json()).toMatchObject({ total: 3 });
    const listed = (await get('/v1/plans')).json();
    expect(listed.total).toBe(listed.items.length);
    expect(listed.items.find((p: { slug: string }) => p.slug === SLUG)).toMatchObject({
      registry: 'vinh-phuc',
      registryName: 'Vĩnh Phúc (trước 01/7/2025)',
    });
  });

  it('gives the words of every code the API uses', async () => {
    const labels = (await get('/v1/labels', 'UBND-TDG')).json();
    expect(labels.statuses.submitted).toBe('Chờ duyệt');
    expect(labels.buckets.within).toBe('Chưa hoàn thành – trong hạn');
    expect(labels.statusGroups.review).toEqual({ label: 'Chờ duyệt', statuses: ['submitted'] });
    expect(labels.commands.acknowledge).toBe('Tiếp nhận nhiệm vụ');
    expect(labels.notificationKinds.assigned).toBe('Giao nhiệm vụ');
  });

  it('tells a clerk what their role may open, and answers a coordinator’s page with "Không có quyền"', async () => {
    const [clerk] = await ctx.database.db
      .insert(users)
      .values({
        email: 'vanthu@tamduong.gov.vn',
        name: 'Văn thư',
        role: 'agency',
        agencyCode: 'UBND-TDG',
        registry: 'vinh-phuc',
        passwordHash: 'scrypt$unused',
        createdBy: 'test',
      })
      .returning();
    const session = await openSession(ctx.database.db, clerk!.id);
    const cookie = { cookie: `dondoc_session=${session.id}` };
    const info = (await app.inject({ method: 'GET', url: '/v1/session', headers: cookie })).json();
    expect(info.abilities).toEqual({
      importPlans: false,
      reviewWork: false,
      managePeople: false,
      manageTokens: false,
      editRegistries: false,
      readAudit: false,
      manageContacts: true,
    });
    const audit = await app.inject({ method: 'GET', url: '/v1/audit', headers: cookie });
    expect(audit.statusCode).toBe(403);
    expect(audit.json().detail).toMatch(/^Không có quyền: chỉ cơ quan thường trực/);
  });

  it('writes when a deliverable went in as people read it', async () => {
    const a = (await get(`/v1/assignments/${encodeURIComponent(id('4:SNV'))}`)).json();
    expect(a.submissions[0].submittedText).toBe('Nộp lúc 09:00 ngày 02/11/2026');
  });
});
