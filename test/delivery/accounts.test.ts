import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { composeDigests } from '../../activities/delivery-digests.ts';
import type { Mailer } from '../../activities/mailer.ts';
import { auditLog, deliveries, notifications, users } from '../../db/schema.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';
import { createMailer } from '../../runtime/mail.ts';
import { openSession } from '../../services/accounts.ts';
import { ensureDeliveryDispatcher } from '../../services/delivery-dispatch.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { importSimulatedPlan } from '../support/assignments.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers.ts';

// Issue 22, item 13: every person with an account hears about their work at the address they sign
// in with, by default, as they choose on their own page; one e-mail per address, even when a
// coordinator also keeps that address as a contact.

const PUBLIC_URL = 'https://dondoc.vinhphuc.example.gov.vn';
let ctx: TestContext;
let app: FastifyInstance;
let smtp: SmtpReceiver;
let mailer: Mailer;
let coordinator: Record<string, string>;
let syt: Record<string, string>;

const people = {
  clerk: { email: 'thu.nguyen@syt.vinhphuc.example.gov.vn', role: 'agency', agencyCode: 'SYT' },
  // Also kept by the coordinator as Sở Y tế's contact.
  office: { email: 'vanthu@syt.vinhphuc.example.gov.vn', role: 'agency', agencyCode: 'SYT' },
  quiet: { email: 'an.tran@syt.vinhphuc.example.gov.vn', role: 'agency', agencyCode: 'SYT' },
  gone: { email: 'cu@syt.vinhphuc.example.gov.vn', role: 'agency', agencyCode: 'SYT', disabled: true },
  other: { email: 'binh@stp.vinhphuc.example.gov.vn', role: 'agency', agencyCode: 'STP' },
  specialist: { email: 'chuyenvien@snv.vinhphuc.example.gov.vn', role: 'coordinator', agencyCode: null },
} as const;
type Person = keyof typeof people;
const ids = {} as Record<Person, string>;
const sessions = {} as Record<Person, Record<string, string>>;

const mailsTo = (address: string, subject: string) =>
  smtp.received.filter((m) => m.to.includes(address) && m.subject.startsWith(subject));

beforeAll(async () => {
  ctx = await createTestContext();
  smtp = await startSmtpReceiver();
  mailer = createMailer({
    smtpUrl: smtp.url,
    from: 'Đôn đốc <dondoc@snv.vinhphuc.example.gov.vn>',
    mailDir: '/nonexistent',
  });
  await ctx.startWorker({
    delivery: {
      mailer,
      publicUrl: PUBLIC_URL,
      messageIdDomain: 'snv.vinhphuc.example.gov.vn',
      settings: { retryWindowMs: 6_000, maxBackoffMs: 1_000, pollIntervalMs: 300 },
    },
  });
  await ensureDeliveryDispatcher(ctx.client, ctx.taskQueue);
  app = await buildTestApp(ctx);
  const tokens = testTokens(ctx);
  coordinator = bearer(await tokens.coordinator());
  syt = bearer(await tokens.agency('SYT'));
  for (const [who, p] of Object.entries(people) as [Person, (typeof people)[Person]][]) {
    const [row] = await ctx.database.db
      .insert(users)
      .values({
        email: p.email,
        name: who,
        role: p.role,
        agencyCode: p.agencyCode,
        registry: 'vinh-phuc',
        // Never signed in with: the test opens sessions directly.
        passwordHash: 'scrypt$unused',
        createdBy: 'test',
        ...('disabled' in p ? { disabledAt: new Date() } : {}),
      })
      .returning({ id: users.id });
    ids[who] = row!.id;
    const session = await openSession(ctx.database.db, row!.id);
    sessions[who] = { cookie: `dondoc_session=${session.id}`, 'x-csrf-token': session.csrfToken };
  }
  const contact = await app.inject({
    method: 'POST',
    url: '/v1/contacts',
    headers: coordinator,
    payload: { registry: 'vinh-phuc', agency: 'SYT', channel: 'email', address: people.office.email },
  });
  expect(contact.statusCode).toBe(201);
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await mailer?.close();
  await smtp?.close();
});

describe('a person’s own page: how they hear about their work', () => {
  it('shows every kind with its default, and keeps the person’s choice', async () => {
    const mine = await app.inject({ method: 'GET', url: '/v1/me/preferences', headers: sessions.quiet });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().email).toBe(people.quiet.email);
    expect(mine.json().kinds).toEqual(
      expect.arrayContaining([
        { kind: 'assigned', label: 'Giao nhiệm vụ', mode: 'immediate', defaultMode: 'immediate' },
        { kind: 'reminder', label: 'Nhắc hạn', mode: 'digest', defaultMode: 'digest' },
      ]),
    );
    const set = await app.inject({
      method: 'PUT',
      url: '/v1/me/preferences',
      headers: sessions.quiet,
      payload: { preferences: { assigned: 'off', escalation: 'digest' } },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().preferences).toEqual({ assigned: 'off', escalation: 'digest' });
    const back = await app.inject({
      method: 'PUT',
      url: '/v1/me/preferences',
      headers: sessions.quiet,
      payload: { preferences: { escalation: null } },
    });
    expect(back.json().preferences).toEqual({ assigned: 'off' });
    const [audited] = await ctx.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'preferences-update'), eq(auditLog.entityId, ids.quiet)));
    expect(audited).toBeDefined();
  });

  it('refuses a kind or a mode it does not know, and a token that is not a person', async () => {
    const put = (preferences: object) =>
      app.inject({ method: 'PUT', url: '/v1/me/preferences', headers: sessions.clerk, payload: { preferences } });
    expect((await put({ reminder: 'weekly' })).statusCode).toBe(400);
    const unknown = await put({ 'weekly-report': 'digest' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ field: '/preferences/weekly-report' });
    expect((await app.inject({ method: 'GET', url: '/v1/me/preferences', headers: syt })).statusCode).toBe(403);
  });
});

describe('every account hears of its agency’s work', () => {
  let assignmentId: string;

  it('tells each clerk of Sở Y tế of its new task, once per address, as each chose', async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-19T20:00:00+07:00',
      secondsPerDay: 86_400,
      policy: {
        dueReminderWorkingDays: [],
        reportReminderWorkingDays: [],
        reports: [],
        escalation: [],
        ackChaseWorkingDays: 30,
      },
      tasks: [{ leads: ['SYT'], deadline: { kind: 'date', due: '2026-03-25', raw: 'Ngày 25/3/2026' } }],
    });
    assignmentId = `${plan.slug}:1:SYT`;
    const [toClerk] = await eventually(
      async () => {
        const found = mailsTo(people.clerk.email, '[Đôn đốc] Giao nhiệm vụ');
        const office = mailsTo(people.office.email, '[Đôn đốc] Giao nhiệm vụ');
        return found.length > 0 && office.length > 0 ? found : undefined;
      },
      40_000,
      'the clerks’ e-mails of the new task',
    );
    expect(toClerk!.text).toContain('Quý cơ quan được giao chủ trì nhiệm vụ số 1');
    expect(toClerk!.text).toContain(`${PUBLIC_URL}/#/nhiem-vu/${encodeURIComponent(assignmentId)}`);

    // Every delivery of that notice is planned by now: one per address, the person's choice deciding.
    const [notice] = await ctx.database.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.assignmentId, assignmentId), eq(notifications.kind, 'assigned')));
    const planned = await ctx.database.db
      .select({ address: deliveries.address, recipient: deliveries.recipient })
      .from(deliveries)
      .where(eq(deliveries.notificationId, notice!.id));
    expect(planned.sort((a, b) => a.address.localeCompare(b.address))).toEqual([
      { address: people.clerk.email, recipient: 'account' },
      { address: people.office.email, recipient: 'account' },
    ]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mailsTo(people.office.email, '[Đôn đốc] Giao nhiệm vụ')).toHaveLength(1);
    for (const who of ['quiet', 'gone', 'other', 'specialist'] as const)
      expect([who, mailsTo(people[who].email, '[Đôn đốc]')]).toEqual([who, []]);
  }, 60_000);

  it('tells the coordinator’s people of a submitted deliverable, and shows it on their Thông báo page', async () => {
    const submitted = await app.inject({
      method: 'POST',
      url: `/v1/assignments/${encodeURIComponent(assignmentId)}/deliverables`,
      headers: syt,
      payload: { type: 'Kế hoạch', documentNumber: '12/KH-SYT', date: '2026-03-19' },
    });
    expect(submitted.statusCode).toBe(200);
    const [mail] = await eventually(
      async () => {
        const found = mailsTo(people.specialist.email, '[Đôn đốc] Đã nộp sản phẩm');
        return found.length > 0 ? found : undefined;
      },
      30_000,
      'the coordinator’s person’s e-mail',
    );
    expect(mail!.text).toMatch(/^Sở Y tế đã nộp sản phẩm \(Kế hoạch, số 12\/KH-SYT\)/);
    const page = await app.inject({ method: 'GET', url: '/v1/notifications', headers: sessions.specialist });
    expect(page.statusCode).toBe(200);
    expect(page.json().items[0]).toMatchObject({ kind: 'submitted', kindLabel: 'Đã nộp sản phẩm' });
  }, 60_000);

  it('sends each person a morning digest, once per address', async () => {
    const calendar = await loadCalendar();
    const before = smtp.received.length;
    // Friday 20 March 2026: the task is due on the 25th, within the digest's seven working days.
    const { digests } = await composeDigests({ db: ctx.database.db, calendar }, { day: '2026-03-20' });
    // The two clerks, the quiet one (who turned off one kind only) and the coordinator's person;
    // Sở Tư pháp's clerk has nothing due, the disabled account gets nothing, the contact is the office clerk.
    expect(digests).toBe(4);
    await eventually(async () => (smtp.received.length - before >= 4 ? true : undefined), 30_000, 'four digests');
    expect(mailsTo(people.office.email, '[Đôn đốc] Tổng hợp ngày 20/03/2026')).toHaveLength(1);
    expect(mailsTo(people.other.email, '[Đôn đốc] Tổng hợp')).toEqual([]);
    expect(mailsTo(people.gone.email, '[Đôn đốc] Tổng hợp')).toEqual([]);
  }, 60_000);
});
