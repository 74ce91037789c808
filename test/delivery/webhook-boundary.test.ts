import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Mailer } from '../../activities/mailer.ts';
import type { Principal } from '../../domain/permissions.ts';
import { parseCidrList } from '../../domain/webhook-target.ts';
import { createMailer } from '../../runtime/mail.ts';
import { addContact } from '../../services/contacts.ts';
import { ensureDeliveryDispatcher } from '../../services/delivery-dispatch.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { importSimulatedPlan } from '../support/assignments.ts';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../support/receivers.ts';

/**
 * Webhooks against the network the worker sits in (issue 20, items 4, 5 and 13), through the whole
 * stack: the API refuses internal targets, the worker refuses them again at send time (a contact
 * made when the operator's allow list was wider), does not follow redirects, reads a receiver's
 * answer to 64 KiB at most, and records each failure as a category, not as the network's words.
 * The operator here allows 127.0.0.1 only (its own receivers); 127.0.0.2, also this machine, stands
 * for everything inside that nobody allowed.
 */

const PUBLIC_URL = 'https://dondoc.vinhphuc.example.gov.vn';
const ALLOW = parseCidrList('127.0.0.1/32');
let ctx: TestContext;
let app: FastifyInstance;
let strict: FastifyInstance;
let smtp: SmtpReceiver;
let mailer: Mailer;
let inside: WebhookReceiver;
let as: Record<'coordinator' | 'leadership' | 'SYT', Record<string, string>>;
const servers: Server[] = [];

/** A receiver that answers 200 and then streams without end (up to 400 MB), counting what it wrote. */
const endless = { url: '', written: 0, cut: false, bodies: [] as Record<string, unknown>[] };
/** A receiver that answers every call with a redirect to `inside`. */
const redirecting = { url: '' };
/** A port nothing listens on. */
let closedUrl = '';

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  ctx = await createTestContext();
  smtp = await startSmtpReceiver();
  inside = await startWebhookReceiver({ host: '127.0.0.2' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  endless.url = await listen(
    createServer((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (c: Buffer) => parts.push(c));
      request.on('end', () => {
        endless.bodies.push(JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>);
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.on('close', () => {
          endless.cut = true;
        });
        const pump = () => {
          while (!endless.cut && endless.written < 400 * 1024 * 1024) {
            endless.written += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          if (!endless.cut) response.end();
        };
        pump();
      });
    }),
  );
  redirecting.url = await listen(
    createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(307, { location: `${inside.url}/redirected` }).end());
    }),
  );
  const closing = createServer();
  closedUrl = await listen(closing);
  await new Promise<void>((resolve) => closing.close(() => resolve()));
  servers.splice(servers.indexOf(closing), 1);

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
      webhookAllow: ALLOW,
      settings: { retryWindowMs: 4_000, maxBackoffMs: 1_000, pollIntervalMs: 300 },
    },
  });
  await ensureDeliveryDispatcher(ctx.client, ctx.taskQueue);
  app = await buildTestApp(ctx, { webhookAllow: ALLOW });
  strict = await buildTestApp(ctx);
  const tokens = testTokens(ctx);
  as = {
    coordinator: bearer(await tokens.coordinator()),
    leadership: bearer(await tokens.leadership()),
    SYT: bearer(await tokens.agency('SYT')),
  };
});

afterAll(async () => {
  await ctx?.close();
  await mailer?.close();
  await smtp?.close();
  await inside?.close();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

const get = (url: string, who: keyof typeof as) => app.inject({ method: 'GET', url, headers: as[who] });
const addWebhook = (api: FastifyInstance, address: string) =>
  api.inject({ method: 'POST', url: '/v1/contacts', headers: as.SYT, payload: { channel: 'webhook', address } });

describe('webhook targets at contact creation', () => {
  it.each([
    ['http://127.0.0.1:9913/hook', 'chính máy chủ (loopback)'],
    ['http://0x7f.1/hook', 'chính máy chủ (loopback)'],
    ['http://2130706433/hook', 'chính máy chủ (loopback)'],
    ['http://[::1]/hook', 'chính máy chủ (loopback)'],
    ['http://[::ffff:127.0.0.1]/hook', 'chính máy chủ (loopback)'],
    ['http://localhost:3000/hook', 'chính máy chủ (loopback)'],
    ['http://10.1.2.3/hook', 'mạng nội bộ (địa chỉ riêng)'],
    ['http://192.168.1.1/hook', 'mạng nội bộ (địa chỉ riêng)'],
    ['http://169.254.169.254/latest/meta-data/', 'dịch vụ siêu dữ liệu của máy chủ đám mây'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'dịch vụ siêu dữ liệu của máy chủ đám mây'],
  ])('refuses %s, saying why in Vietnamese', async (address, why) => {
    const refused = await addWebhook(strict, address);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain(`Địa chỉ webhook trỏ vào ${why}: không được phép.`);
    expect(refused.json().errors).toEqual([{ field: '/address', message: `Không được gửi tới ${why}.` }]);
  });

  it('refuses credentials in the URL, and allows only the ranges the operator listed', async () => {
    const withPassword = await addWebhook(strict, 'https://van-thu:matkhau@hooks.example.vn/dondoc');
    expect(withPassword.statusCode).toBe(422);
    expect(withPassword.json().detail).toMatch(/không được chứa tên đăng nhập hay mật khẩu/);
    expect((await addWebhook(strict, `${endless.url}/endless`)).statusCode).toBe(422);
    expect((await addWebhook(app, `${inside.url}/inside`)).statusCode).toBe(422);
  });
});

describe('webhooks at send time', () => {
  it('refuses what is inside, does not follow redirects, reads 64 KiB of an answer, and tells only the category', async () => {
    // SYT's contacts: an e-mail address, the endless receiver, the redirecting one, a closed port;
    // and one inside made when the operator's list was wider (127.0.0.0/8), narrowed since.
    for (const address of [`${endless.url}/endless`, `${redirecting.url}/r`, `${closedUrl}/closed`])
      expect((await addWebhook(app, address)).statusCode).toBe(201);
    const coordinator: Principal = { role: 'coordinator', name: 'test', tokenId: 'test' };
    await addContact(
      ctx.database.db,
      { principal: coordinator, actor: { role: 'coordinator', name: 'test' } },
      { registry: 'vinh-phuc', agency: 'SYT', channel: 'webhook', address: `${inside.url}/inside` },
      { webhookAllow: parseCidrList('127.0.0.0/8') },
    );
    const email = await app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: as.SYT,
      payload: { channel: 'email', address: 'vanthu@syt.vinhphuc.example.gov.vn' },
    });
    expect(email.statusCode).toBe(201);

    // Thursday 19 March 2026, 20:00, sixteen seconds a day: task 1 escalates on Friday at 08:00.
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-19T20:00:00+07:00',
      secondsPerDay: 16,
      policy: {
        dueReminderWorkingDays: [],
        reportReminderWorkingDays: [],
        reports: [],
        escalation: [{ level: 1, afterWorkingDays: 1 }],
        ackChaseWorkingDays: 30,
      },
      tasks: [{ leads: ['SYT'], deadline: { kind: 'date', due: '2026-03-19', raw: 'Trước ngày 20/3/2026' } }],
    });
    const escalated = `${plan.slug}:1:SYT`;
    const page = `${PUBLIC_URL}/#/nhiem-vu/${encodeURIComponent(escalated)}`;

    type Delivery = { id: number; address: string; status: string; lastError: string | null };
    const settled = await eventually(
      async () => {
        const items: Delivery[] = (await get('/v1/deliveries?limit=50', 'SYT')).json().items;
        const webhooks = items.filter((d) => d.address.startsWith('http'));
        return webhooks.length === 4 && webhooks.every((d) => d.status === 'sent' || d.status === 'failed')
          ? items
          : undefined;
      },
      60_000,
      'the four webhooks sent or failed',
    );
    const to = (path: string) => settled.find((d) => d.address.endsWith(path))!;

    // Item 4: nothing reached inside, neither directly nor by a redirect.
    expect(inside.received).toHaveLength(0);
    expect(to('/inside')).toMatchObject({ status: 'failed', lastError: 'refused-target' });
    expect(to('/r')).toMatchObject({ status: 'failed', lastError: 'redirect' });
    expect(to('/closed')).toMatchObject({ status: 'failed', lastError: 'unreachable' });
    // What the agency reads of each attempt is the category, never the port scanner's answer.
    for (const [path, code, text] of [
      ['/inside', 'refused-target', 'địa chỉ không được phép (mạng nội bộ)'],
      ['/r', 'redirect', 'máy nhận chuyển hướng (không theo)'],
      ['/closed', 'unreachable', 'không kết nối được'],
    ] as const) {
      const detail = await get(`/v1/deliveries/${to(path).id}`, 'SYT');
      expect(detail.json().attemptLog.length).toBeGreaterThanOrEqual(1);
      for (const attempt of detail.json().attemptLog) expect(attempt).toMatchObject({ error: code, errorText: text });
      expect(detail.body).not.toMatch(/ECONNREFUSED|HTTP \d|connect |fetch failed/);
    }

    // Item 5: the endless answer was cut after 64 KiB; the delivery is recorded as sent.
    expect(to('/endless')).toMatchObject({ status: 'sent', lastError: null });
    expect(endless.cut).toBe(true);
    expect(endless.written).toBeLessThan(32 * 1024 * 1024);

    // Item 13: the e-mail and the webhook link to the web app's page of the assignment.
    const mail = await eventually(async () => smtp.received[0], 20_000, 'the escalation e-mail');
    expect(mail.text).toContain(`Xem và xử lý: ${page}`);
    expect(mail.html).toContain(`href="${page}"`);
    expect(endless.bodies[0]).toMatchObject({ assignment: { id: escalated, url: page } });

    // Leadership sees that the webhooks exist, not their paths (which often hold a key); the agency
    // and the coordinator, who manage them, see them whole.
    const lead: Delivery[] = (await get('/v1/deliveries?limit=50', 'leadership')).json().items;
    const leadHooks = lead.filter((d) => d.address.startsWith('http'));
    expect(leadHooks).toHaveLength(4);
    for (const d of leadHooks) expect(d.address).toMatch(/^http:\/\/127\.0\.0\.[12]:\d+\/…$/);
    const leadDetail = (await get(`/v1/deliveries/${to('/endless').id}`, 'leadership')).json();
    expect(leadDetail.attemptLog[0].address).toBe(`${endless.url}/…`);
    const leadContacts: { channel: string; address: string }[] = (await get('/v1/contacts', 'leadership')).json().items;
    expect(leadContacts.filter((c) => c.channel === 'webhook').map((c) => c.address)).not.toContain(
      `${endless.url}/endless`,
    );
    expect(leadContacts.find((c) => c.channel === 'email')!.address).toBe('vanthu@syt.vinhphuc.example.gov.vn');
    const coordinatorContacts: { address: string }[] = (await get('/v1/contacts', 'coordinator')).json().items;
    expect(coordinatorContacts.map((c) => c.address)).toContain(`${endless.url}/endless`);
    expect(settled.map((d) => d.address)).toContain(`${endless.url}/endless`);
  }, 90_000);
});

describe('links people already have', () => {
  it('sends the old address of an assignment to its page, without asking who is there', async () => {
    const id = 'KH-12/2026:II.1:SYT';
    const old = await app.inject({
      method: 'GET',
      url: `/assignments/${encodeURIComponent(id)}`,
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(old.statusCode).toBe(302);
    expect(old.headers.location).toBe(`/#/nhiem-vu/${encodeURIComponent(id)}`);
    const page = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });
});
