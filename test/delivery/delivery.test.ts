import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, like, sql } from 'drizzle-orm';
import { composeDigests } from '../../activities/delivery-digests.ts';
import type { Mailer } from '../../activities/mailer.ts';
import { auditLog, deliveries, notifications } from '../../db/schema.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';
import { createMailer } from '../../runtime/mail.ts';
import { DELIVERY_DISPATCHER_ID, ensureDeliveryDispatcher } from '../../services/delivery-dispatch.ts';
import { parseCidrList } from '../../domain/webhook-target.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { importSimulatedPlan, saveHistoryForReplay } from '../support/assignments.ts';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../support/receivers.ts';

const PUBLIC_URL = 'https://dondoc.vinhphuc.example.gov.vn';
// The receivers run on loopback: allowed as an operator allows a receiver on the premises.
const WEBHOOK_ALLOW = parseCidrList('127.0.0.0/8, ::1/128');
let ctx: TestContext;
let app: FastifyInstance;
let smtp: SmtpReceiver;
let hooks: WebhookReceiver;
let down: WebhookReceiver;
let mailer: Mailer;
let as: Record<'coordinator' | 'leadership' | 'SYT' | 'STP', Record<string, string>>;

beforeAll(async () => {
  ctx = await createTestContext();
  smtp = await startSmtpReceiver();
  hooks = await startWebhookReceiver();
  down = await startWebhookReceiver();
  down.failWith = 500;
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
      webhookAllow: WEBHOOK_ALLOW,
      // A short window, so that the receiver that never recovers shows a failed delivery within the test.
      settings: { retryWindowMs: 6_000, maxBackoffMs: 1_000, pollIntervalMs: 300 },
    },
  });
  await ensureDeliveryDispatcher(ctx.client, ctx.taskQueue);
  app = await buildTestApp(ctx, { webhookAllow: WEBHOOK_ALLOW });
  const tokens = testTokens(ctx);
  as = {
    coordinator: bearer(await tokens.coordinator()),
    leadership: bearer(await tokens.leadership()),
    SYT: bearer(await tokens.agency('SYT')),
    STP: bearer(await tokens.agency('STP')),
  };
});

afterAll(async () => {
  await ctx?.close();
  await mailer?.close();
  await smtp?.close();
  await hooks?.close();
  await down?.close();
});

const post = (url: string, payload: object, who: keyof typeof as = 'coordinator') =>
  app.inject({ method: 'POST', url, payload, headers: as[who] });
const get = (url: string, who: keyof typeof as = 'coordinator') => app.inject({ method: 'GET', url, headers: as[who] });

describe('contacts', () => {
  it('are managed by the coordinator of the registry and by an agency for itself, and audited', async () => {
    const email = await post('/v1/contacts', {
      registry: 'vinh-phuc',
      agency: 'SYT',
      channel: 'email',
      address: 'VanThu@syt.vinhphuc.example.gov.vn',
      name: 'Văn thư Sở Y tế',
    });
    expect(email.statusCode).toBe(201);
    expect(email.json().contact).toMatchObject({
      agencyCode: 'SYT',
      address: 'vanthu@syt.vinhphuc.example.gov.vn',
      hasSecret: false,
      modes: { escalation: 'immediate', returned: 'immediate', reminder: 'digest' },
    });
    expect(email.json().secret).toBeUndefined();

    // The agency adds its own webhook without naming itself; the secret comes back this once.
    const hook = await post('/v1/contacts', { channel: 'webhook', address: `${hooks.url}/syt` }, 'SYT');
    expect(hook.statusCode).toBe(201);
    const { contact, secret } = hook.json();
    expect(contact).toMatchObject({ agencyCode: 'SYT', registry: 'vinh-phuc', hasSecret: true });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    hooks.secrets.set('/syt', secret);
    expect((await get(`/v1/contacts/${contact.id}`, 'SYT')).json()).not.toHaveProperty('secret');

    expect(
      (
        await post('/v1/contacts', {
          registry: 'vinh-phuc',
          role: 'coordinator',
          channel: 'email',
          address: 'snv@vinhphuc.example.gov.vn',
        })
      ).statusCode,
    ).toBe(201);
    const failing = await post('/v1/contacts', {
      registry: 'vinh-phuc',
      role: 'coordinator',
      channel: 'webhook',
      address: `${down.url}/chat`,
    });
    expect(failing.statusCode).toBe(201);

    // Refusals: another agency's contact, leadership writing, a bad address, the same address twice.
    expect(
      (await post('/v1/contacts', { agency: 'SYT', channel: 'email', address: 'x@stp.gov.vn' }, 'STP')).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'DELETE', url: `/v1/contacts/${contact.id}`, headers: as.STP })).statusCode,
    ).toBe(404);
    expect(
      (
        await post(
          '/v1/contacts',
          { registry: 'vinh-phuc', role: 'leadership', channel: 'email', address: 'a@b.vn' },
          'leadership',
        )
      ).statusCode,
    ).toBe(403);
    const bad = await post('/v1/contacts', {
      registry: 'vinh-phuc',
      agency: 'SYT',
      channel: 'email',
      address: 'không phải thư',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toBe('Địa chỉ thư điện tử không hợp lệ.');
    expect(
      (
        await post('/v1/contacts', {
          registry: 'vinh-phuc',
          agency: 'SYT',
          channel: 'email',
          address: 'vanthu@syt.vinhphuc.example.gov.vn',
        })
      ).statusCode,
    ).toBe(409);

    // Preferences: reminders at once for this one; null gives a kind back its default.
    const changed = await app.inject({
      method: 'PATCH',
      url: `/v1/contacts/${contact.id}`,
      headers: as.SYT,
      payload: { preferences: { 'report-late': 'digest', cancelled: null } },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().modes['report-late']).toBe('digest');

    const mine = (await get('/v1/contacts', 'SYT')).json().items;
    expect(mine.map((c: { address: string }) => c.address).sort()).toEqual([
      `${hooks.url}/syt`,
      'vanthu@syt.vinhphuc.example.gov.vn',
    ]);
    expect((await get('/v1/contacts')).json().items).toHaveLength(4);

    const audit = await ctx.database.db
      .select({ action: auditLog.action, actor: auditLog.actor })
      .from(auditLog)
      .where(like(auditLog.action, 'contact-%'))
      .orderBy(auditLog.id);
    expect(audit.map((a) => a.action)).toEqual([
      'contact-add',
      'contact-add',
      'contact-add',
      'contact-add',
      'contact-update',
    ]);
  });
});

describe('delivery', () => {
  it('sends escalations at once by e-mail and signed webhook, holds reminders for the digest, and marks what never arrives failed', async () => {
    // Thursday 19 March 2026, 20:00, sixteen seconds a day: on Friday 08:00 (eight seconds from
    // now) task 1 escalates (to SYT and the coordinator) and task 2 is reminded of (SYT).
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-19T20:00:00+07:00',
      secondsPerDay: 16,
      policy: {
        dueReminderWorkingDays: [1],
        reportReminderWorkingDays: [],
        reports: [],
        escalation: [{ level: 1, afterWorkingDays: 1 }],
        ackChaseWorkingDays: 30,
      },
      tasks: [
        { leads: ['SYT'], deadline: { kind: 'date', due: '2026-03-19', raw: 'Trước ngày 20/3/2026' } },
        { leads: ['SYT'], deadline: { kind: 'date', due: '2026-03-23', raw: 'Ngày 23/3/2026' } },
      ],
    });
    const escalated = `${plan.slug}:1:SYT`;

    // Sở Y tế hears of its two tasks when the plan comes in.
    const assigned = await eventually(
      async () => {
        const found = smtp.received.filter((m) => m.subject.startsWith('[Đôn đốc] Giao nhiệm vụ'));
        return found.length >= 2 ? found : undefined;
      },
      40_000,
      'two e-mails of the assignments',
    );
    expect(assigned[0]!.text).toMatch(/^Quý cơ quan được giao chủ trì nhiệm vụ số \d/);
    expect(assigned[0]!.text).toContain('Cơ quan chủ trì: Sở Y tế');

    const mails = await eventually(
      async () => {
        const found = smtp.received.filter((m) => m.subject.startsWith('[Đôn đốc] Quá hạn'));
        return found.length >= 2 ? found : undefined;
      },
      40_000,
      'two escalation e-mails',
    );
    const toSyt = mails.find((m) => m.to.includes('vanthu@syt.vinhphuc.example.gov.vn'))!;
    // The agency by its name, in the subject and the text.
    expect(toSyt.subject).toMatch(/^\[Đôn đốc\] Quá hạn mức 1: nhiệm vụ số 1 \(Sở Y tế\)/);
    expect(toSyt.text).toContain('do Sở Y tế chủ trì');
    expect(toSyt.text).toContain('Quá hạn, cảnh báo mức 1');
    // The link opens the web app's page of the assignment.
    const page = `${PUBLIC_URL}/#/nhiem-vu/${encodeURIComponent(escalated)}`;
    expect(toSyt.text).toContain(`Xem và xử lý: ${page}`);
    expect(toSyt.html).toContain(`href="${page}"`);
    expect(mails.some((m) => m.to.includes('snv@vinhphuc.example.gov.vn'))).toBe(true);

    const hook = await eventually(
      async () =>
        hooks.received.find(
          (h) => (h.body as { notification?: { kind?: string } }).notification?.kind === 'escalation',
        ),
      20_000,
      'the webhook',
    );
    expect(hook.verified).toBe(true);
    expect(hook.id).toMatch(/^msg_dondoc_\d+$/);
    expect(hook.body).toMatchObject({
      type: 'notification',
      notification: { kind: 'escalation', level: 1, recipientAgency: 'SYT' },
      assignment: {
        id: escalated,
        agencyCode: 'SYT',
        agencyName: 'Sở Y tế',
        taskNumber: '1',
        url: `${PUBLIC_URL}/#/nhiem-vu/${encodeURIComponent(escalated)}`,
      },
    });

    // The reminder waits for the digest: planned, not sent.
    const reminder = await eventually(
      async () => {
        const rows = await ctx.database.db
          .select({ status: deliveries.status, mode: deliveries.mode })
          .from(deliveries)
          .innerJoin(notifications, eq(notifications.id, deliveries.notificationId))
          .where(and(eq(notifications.kind, 'reminder'), eq(notifications.recipientAgency, 'SYT')));
        return rows.length === 2 ? rows : undefined;
      },
      20_000,
      'the reminder planned for the digest',
    );
    expect(reminder).toEqual([
      { status: 'pending', mode: 'digest' },
      { status: 'pending', mode: 'digest' },
    ]);
    expect(smtp.received.some((m) => m.subject.startsWith('[Đôn đốc] Nhắc hạn'))).toBe(false);

    // The receiver that answers 500 for ever: retried, then failed, and shown to the coordinator.
    const failed = await eventually(
      async () => {
        const items = (await get('/v1/deliveries?status=failed')).json().items;
        return items.length > 0 ? items : undefined;
      },
      30_000,
      'a failed delivery',
    );
    expect(failed[0]).toMatchObject({ channel: 'webhook', kind: 'escalation', status: 'failed' });
    const detail = (await get(`/v1/deliveries/${failed[0].id}`)).json();
    expect(detail.attemptLog.length).toBeGreaterThanOrEqual(2);
    // Each attempt says what kind of failure it was, not what the network said.
    expect(detail).toMatchObject({ lastError: 'http-5xx', lastErrorText: 'máy nhận trả lỗi 5xx' });
    for (const attempt of detail.attemptLog)
      expect(attempt).toMatchObject({ outcome: 'error', error: 'http-5xx', errorText: 'máy nhận trả lỗi 5xx' });
    expect(down.refused).toBe(detail.attemptLog.length);
    // An agency sees the deliveries to its own contacts only.
    const sytView = (await get('/v1/deliveries', 'SYT')).json().items;
    expect(sytView.length).toBeGreaterThan(0);
    expect(sytView.every((d: { address: string }) => d.address.includes('syt'))).toBe(true);
    await saveHistoryForReplay(ctx.client, `delivery:${failed[0].id}`, 'delivery-failed');
  }, 90_000);

  it('sends one digest per contact at its hour, with what waited for it, and none to a contact with nothing to say', async () => {
    const before = smtp.received.length;
    const calendar = await loadCalendar();
    // Friday 20 March 2026: what the dispatcher's 08:00 timer does on a working day.
    const { digests } = await composeDigests({ db: ctx.database.db, calendar }, { day: '2026-03-20' });
    // SYT's e-mail and webhook, and the coordinator's two contacts: each has the overdue task.
    expect(digests).toBe(4);
    const digestMails = await eventually(
      async () => {
        const found = smtp.received
          .slice(before)
          .filter((m) => m.subject.startsWith('[Đôn đốc] Tổng hợp ngày 20/03/2026'));
        return found.length === 2 ? found : undefined;
      },
      20_000,
      'two digest e-mails',
    );
    const syt = digestMails.find((m) => m.to.includes('vanthu@syt.vinhphuc.example.gov.vn'))!;
    expect(syt.text).toContain('Quá hạn:');
    expect(syt.text).toContain('Thông báo:');
    expect(syt.text).toContain('Nhắc hạn: nhiệm vụ số 2');
    const hook = await eventually(
      async () => hooks.received.find((h) => h.body.type === 'digest'),
      20_000,
      'the digest webhook',
    );
    expect(hook.verified).toBe(true);

    const statuses = await ctx.database.db
      .select({ status: deliveries.status, n: sql<number>`count(*)::int` })
      .from(deliveries)
      .innerJoin(notifications, eq(notifications.id, deliveries.notificationId))
      .where(eq(notifications.kind, 'reminder'))
      .groupBy(deliveries.status);
    expect(statuses).toEqual([{ status: 'digested', n: 2 }]);

    // The same day again plans nothing new; a day off plans nothing.
    expect((await composeDigests({ db: ctx.database.db, calendar }, { day: '2026-03-20' })).digests).toBe(0);
    expect((await composeDigests({ db: ctx.database.db, calendar }, { day: '2026-03-21' })).digests).toBe(0);
    await saveHistoryForReplay(ctx.client, DELIVERY_DISPATCHER_ID, 'delivery-dispatcher');
  }, 60_000);
});
