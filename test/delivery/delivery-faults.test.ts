import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Principal } from '../../domain/permissions.ts';
import { addContact } from '../../services/contacts.ts';
import { parseCidrList } from '../../domain/webhook-target.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importSimulatedPlan } from '../support/assignments.ts';
import {
  duplicates,
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../support/receivers.ts';

const bin = fileURLToPath(new URL('../../bin/dondoc.js', import.meta.url));
const TASKS = 40;
let ctx: TestContext;
let smtp: SmtpReceiver;
let hooks: WebhookReceiver;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  smtp = await startSmtpReceiver();
  hooks = await startWebhookReceiver();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await ctx?.close();
  await smtp?.close();
  await hooks?.close();
});

/** A real worker process (`dondoc worker`), killed by the test like a crashed machine. */
function startWorkerProcess(): ChildProcess {
  const proc = spawn(process.execPath, [bin, 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: ctx.databaseUrl,
      TEMPORAL_TASK_QUEUE: ctx.taskQueue,
      TEMPORAL_NAMESPACE: ctx.namespace,
      LOG_LEVEL: 'warn',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Đôn đốc <dondoc@snv.vinhphuc.example.gov.vn>',
      PUBLIC_URL: 'https://dondoc.vinhphuc.example.gov.vn',
      DONDOC_DELIVERY_MAX_BACKOFF_SECONDS: '3',
      DONDOC_DELIVERY_POLL_MS: '300',
      // The webhook receiver is on loopback: allowed, as an operator allows a receiver on the premises.
      DONDOC_WEBHOOK_ALLOW: '127.0.0.0/8',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr!.on('data', () => {});
  children.push(proc);
  return proc;
}

const deliveryIdOf = (messageId: string) => Number(/(\d+)/.exec(messageId)?.[1]);

describe('delivery through outages and a worker crash', () => {
  it('delivers every message once, but for the counted window between acceptance and our record', async () => {
    const coordinator: Principal = { role: 'coordinator', name: 'test', tokenId: 'test' };
    const by = { principal: coordinator, actor: { role: 'coordinator' as const, name: 'test' } };
    await addContact(ctx.database.db, by, {
      registry: 'vinh-phuc',
      agency: 'SYT',
      channel: 'email',
      address: 'vanthu@syt.vinhphuc.example.gov.vn',
    });
    const hook = await addContact(
      ctx.database.db,
      by,
      { registry: 'vinh-phuc', agency: 'SYT', channel: 'webhook', address: `${hooks.url}/syt` },
      { webhookAllow: parseCidrList('127.0.0.0/8') },
    );
    hooks.secrets.set('/syt', hook.secret!);
    await addContact(ctx.database.db, by, {
      registry: 'vinh-phuc',
      role: 'coordinator',
      channel: 'email',
      address: 'snv@vinhphuc.example.gov.vn',
    });

    // Everything is down when the notifications come: the mail server stopped, the receiver failing.
    await smtp.stop();
    hooks.failWith = 500;
    startWorkerProcess();

    // Thursday 19 March 2026, 08:00, sixteen seconds a day. SYT is told of each task as the plan comes
    // in; on Friday 08:00 (16 s on) every task escalates and its Q1 report falls late, each told to
    // SYT and to the coordinator, at once by default. The plan's clock starts before its import:
    // on a busy machine the import of the 40 tasks took 10.6 s, and an instant passed before the
    // plan existed is not the plan's to mark (its filings are late, and no one is told).
    await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-19T08:00:00+07:00',
      secondsPerDay: 16,
      policy: {
        dueReminderWorkingDays: [],
        reportReminderWorkingDays: [],
        reports: ['Q1'],
        escalation: [{ level: 1, afterWorkingDays: 1 }],
        ackChaseWorkingDays: 30,
      },
      tasks: Array.from({ length: TASKS }, () => ({
        leads: ['SYT'],
        deadline: { kind: 'date' as const, due: '2026-03-19', raw: 'Trước ngày 20/3/2026' },
      })),
    });
    // Per task: 3 notifications to SYT (its assignment, the escalation and the late report; e-mail and
    // webhook each) and 2 to the coordinator (e-mail).
    const expectedMail = TASKS * 5;
    const expectedHooks = TASKS * 3;
    const count = async (query: ReturnType<typeof sql>) =>
      (await ctx.database.db.execute<{ n: number }>(query)).rows[0]!.n;

    // Waits for at least as many as expected, then says how many: a message planned twice fails
    // here with its count, not as a time-out.
    const planned = await eventually(
      async () => {
        const n = await count(sql`select count(*)::int as n from deliveries`);
        return n >= expectedMail + expectedHooks ? n : undefined;
      },
      120_000,
      'every delivery planned',
    );
    expect(planned).toBe(expectedMail + expectedHooks);
    // Both channels fail for a while, and are retried.
    await eventually(
      async () => {
        const n = await count(
          sql`select count(distinct delivery_id)::int as n from delivery_attempts where outcome = 'error'`,
        );
        return n === expectedMail + expectedHooks ? true : undefined;
      },
      120_000,
      'a failed attempt for every delivery',
    );
    await new Promise((r) => setTimeout(r, 3_000));
    expect(smtp.received).toHaveLength(0);
    expect(hooks.received).toHaveLength(0);
    const failedAttempts = await count(sql`select count(*)::int as n from delivery_attempts where outcome = 'error'`);

    // Everything comes back; the worker is killed while it delivers.
    await smtp.start();
    hooks.failWith = undefined;
    await eventually(
      async () => (smtp.received.length + hooks.received.length >= 10 ? true : undefined),
      60_000,
      'the first messages after the outage',
    );
    const exited = new Promise((resolve) => children[0]!.once('exit', resolve));
    children[0]!.kill('SIGKILL');
    await exited;
    // The instant the worker was gone: what the server accepted before it may lack our record.
    const killedAt = Date.now();
    const atKill = smtp.received.length + hooks.received.length;
    startWorkerProcess();

    await eventually(
      async () =>
        (await count(sql`select count(*)::int as n from deliveries where status = 'sent'`)) ===
        expectedMail + expectedHooks
          ? true
          : undefined,
      120_000,
      'every delivery sent',
    );
    // Anything late would arrive now.
    await new Promise((r) => setTimeout(r, 2_000));

    const mailIds = smtp.received.map((m) => m.messageId);
    const hookIds = hooks.received.map((h) => h.id);
    const counts = {
      deliveries: expectedMail + expectedHooks,
      sentRecorded: await count(sql`select count(*)::int as n from deliveries where status = 'sent'`),
      failedAttemptsDuringOutage: failedAttempts,
      webhookRefusals: hooks.refused,
      receivedAtKill: atKill,
      mailReceived: mailIds.length,
      mailUnique: new Set(mailIds).size,
      mailDuplicates: duplicates(mailIds),
      webhooksReceived: hookIds.length,
      webhooksUnique: new Set(hookIds).size,
      webhookDuplicates: duplicates(hookIds),
    };
    console.log(`delivery fault test: ${JSON.stringify(counts)}`);

    expect(counts.mailUnique).toBe(expectedMail);
    expect(counts.webhooksUnique).toBe(expectedHooks);
    expect(hooks.received.every((h) => h.verified)).toBe(true);
    // A repeat can only be a message the server accepted before the kill whose 'sent' record the
    // killed worker never wrote: its one recorded success comes after the kill.
    const repeated = [...mailIds, ...hookIds].filter((id, i, all) => all.indexOf(id) !== i);
    for (const id of new Set(repeated)) {
      const deliveryId = deliveryIdOf(id);
      const firstSeen = Math.min(
        ...[...smtp.received.filter((m) => m.messageId === id), ...hooks.received.filter((h) => h.id === id)].map(
          (m) => m.at,
        ),
      );
      expect(firstSeen).toBeLessThan(killedAt);
      const { rows } = await ctx.database.db.execute<{ at: Date }>(
        sql`select at from delivery_attempts where delivery_id = ${deliveryId} and outcome = 'sent'`,
      );
      expect(rows).toHaveLength(1);
      expect(new Date(rows[0]!.at).getTime()).toBeGreaterThan(killedAt);
    }
    // No delivery is recorded sent twice.
    expect(await count(sql`select count(*)::int as n from delivery_attempts where outcome = 'sent'`)).toBe(
      expectedMail + expectedHooks,
    );
  }, 420_000);
});
