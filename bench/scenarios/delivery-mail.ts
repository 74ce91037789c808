import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { notificationEmail } from '../../domain/delivery-message.ts';
import { addContact } from '../../services/contacts.ts';
import type { BenchEnvironment } from '../support/environment.ts';
import { count, seconds } from '../support/table.ts';
import type { MailDelivery, MailDeliveryHook } from './delivery.ts';

/**
 * The e-mail half of the `delivery` scenario: every lead agency of the plan has one e-mail contact,
 * so each escalation is one e-mail (the coordinator's copy is a notification with no contact here),
 * measured from the escalation instant until the last one is accepted by a local SMTP server
 * (smtp-server, in the bench process); and the ceiling, nodemailer alone sending the same number of
 * messages to the same server, with the best of a few pool sizes, before our worker starts. The
 * ceiling's client runs in the bench process beside the SMTP server, ours in the worker process.
 */

/** The limit the issue sets: every e-mail accepted within a minute of the instant. */
const TARGET_SECONDS = 60;
const TIMEOUT_MS = 20 * 60_000;

export interface Sink {
  url: string;
  accepted: () => number;
  unique: () => number;
  firstAt: () => number | undefined;
  lastAt: () => number | undefined;
  reset(): void;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  let ids: string[] = [];
  let first: number | undefined;
  let last: number | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 100,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        ids.push(/^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '');
        const now = performance.now();
        first ??= now;
        last = now;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => ids.length,
    unique: () => new Set(ids).size,
    firstAt: () => first,
    lastAt: () => last,
    reset() {
      ids = [];
      first = undefined;
      last = undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Milliseconds nodemailer alone takes to have `n` messages accepted by `sink`, with a pool of `pool` connections. */
export async function ceiling(sink: Sink, n: number, pool: number): Promise<number> {
  const transport = nodemailer.createTransport({
    url: sink.url,
    pool: true,
    maxConnections: pool,
    maxMessages: Infinity,
  });
  const messages = Array.from({ length: n }, (_, i) =>
    notificationEmail(
      { kind: 'escalation', level: 1, text: `Quá hạn, cảnh báo mức 1: nhiệm vụ số ${i + 1}` },
      {
        id: `bench-mail:${i + 1}:SYT`,
        taskNumber: String(i + 1),
        taskTitle: `Nhiệm vụ đo số ${i + 1}`,
        planCode: 'BENCH-MAIL/KH',
        agencyCode: 'SYT',
      },
      'http://localhost:3000',
    ),
  );
  sink.reset();
  const t0 = performance.now();
  await Promise.all(
    messages.map((m, i) =>
      transport.sendMail({
        from: 'Đôn đốc <dondoc@localhost>',
        to: 'vanthu@syt.vinhphuc.example.gov.vn',
        messageId: `<ceiling-${i}@localhost>`,
        ...m,
      }),
    ),
  );
  const ms = performance.now() - t0;
  transport.close();
  return ms;
}

/** One e-mail contact for each lead agency of the plan, as a coordinator would add them. */
async function addLeadContacts(env: BenchEnvironment, planId: string): Promise<number> {
  const { rows } = await env.database.db.execute<{ agency_code: string; registry: string }>(sql`
    select distinct a.agency_code, p.registry from assignments a join plans p on p.id = a.plan_id
    where a.plan_id = ${planId} order by a.agency_code`);
  for (const r of rows)
    await addContact(
      env.database.db,
      {
        principal: { role: 'coordinator', name: 'bench', tokenId: 'bench' },
        actor: { role: 'coordinator', name: 'bench' },
      },
      {
        registry: r.registry,
        agency: r.agency_code,
        channel: 'email',
        address: `vanthu@${r.agency_code.toLowerCase()}.example.gov.vn`,
      },
    );
  return rows.length;
}

export const mailDelivery: MailDeliveryHook = async (env, options, n) => {
  const sink = await startSink();
  env.onTeardown(() => sink.close());
  const tries: [number, number][] = [];
  for (const pool of [1, 5, 10, 20]) {
    const ms = await ceiling(sink, n, pool);
    if (sink.unique() !== n) throw new Error(`ceiling: ${sink.unique()} of ${n} accepted`);
    tries.push([pool, ms]);
    options.log(`mail ceiling: nodemailer alone, pool of ${pool}: ${n} e-mails in ${seconds(ms / 1000)} s`);
  }
  const [bestPool, bestMs] = tries.reduce((a, b) => (b[1] < a[1] ? b : a));
  sink.reset();
  let ours: { first: number; last: number; accepted: number; unique: number } | undefined;
  const delivery: MailDelivery = {
    workerEnv: { SMTP_URL: sink.url, DONDOC_DELIVERY_POLL_MS: '1000' },
    async prepare({ planId }) {
      const agencies = await addLeadContacts(env, planId);
      options.log(`mail: one e-mail contact for each of the plan's ${agencies} lead agencies`);
    },
    async measure({ instantMs }) {
      // The sink's clock is performance.now(); the instant is wall-clock.
      const instant = performance.now() - (Date.now() - instantMs);
      const deadline = Date.now() + TIMEOUT_MS;
      while (sink.unique() < n) {
        if (Date.now() > deadline) throw new Error(`timed out: ${sink.unique()} of ${n} e-mails accepted`);
        await new Promise((r) => setTimeout(r, 50));
      }
      ours = {
        first: (sink.firstAt()! - instant) / 1000,
        last: (sink.lastAt()! - instant) / 1000,
        accepted: sink.accepted(),
        unique: sink.unique(),
      };
      options.log(`mail: ${count(n)} e-mails accepted ${seconds(ours.last)} s after the instant`);
    },
    async figures() {
      if (!ours) throw new Error('the e-mails were not measured');
      const rate = (s: number) => String(Math.round(n / s));
      const share = (s: number) => `${Math.round((100 * bestMs) / 1000 / s)} %`;
      // From the instant (marks, polling and planning before the first e-mail included), and while
      // sending (first to last accepted), as nodemailer's own rate is measured.
      const sending = ours.last - ours.first;
      return {
        rows: [
          ['e-mails accepted by the SMTP server', `${count(n)} (nodemailer alone)`, count(ours.unique)],
          [
            'first / last e-mail accepted after the instant (s)',
            `— / ${seconds(bestMs / 1000)}`,
            `${seconds(ours.first)} / ${seconds(ours.last)}`,
          ],
          [
            'e-mails/s from the instant / while sending (first to last)',
            rate(bestMs / 1000),
            `${rate(ours.last)} (${share(ours.last)} of nodemailer's) / ${rate(sending)} (${share(sending)})`,
          ],
          ['e-mails accepted twice', '0', String(ours.accepted - ours.unique)],
        ],
        notes: [
          `Target: all ${count(n)} e-mails accepted within ${TARGET_SECONDS} s of the instant — ${ours.last <= TARGET_SECONDS ? 'met' : 'not met'} (${seconds(ours.last)} s).`,
          `Mail ceiling: nodemailer alone sending the same ${count(n)} messages to the same SMTP server before our worker started, from the first send to the last acceptance; pool sizes tried (connections: s): ${tries.map(([p, ms]) => `${p}: ${seconds(ms / 1000)}`).join(', ')}; the best, ${bestPool}, is shown.`,
        ],
        targetMet: ours.last <= TARGET_SECONDS,
      };
    },
    // The environment's teardown closes the sink, whatever happened before.
    close: async () => {},
  };
  return delivery;
};
