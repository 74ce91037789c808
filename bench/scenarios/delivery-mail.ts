import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { notificationEmail } from '../../domain/delivery-message.ts';
import { addContact } from '../../services/contacts.ts';
import { withEnvironment, installSignalCleanup, type BenchEnvironment } from '../support/environment.ts';
import { markdownTable } from '../support/table.ts';
import { startWorkerProcess } from '../support/workers.ts';

/**
 * Delivery by e-mail, end to end: N notifications written at once (immediate kind, one agency
 * contact), measured until the last e-mail is accepted by a local SMTP server (smtp-server, in this
 * process); and the ceiling, nodemailer alone sending the same N messages to the same server with
 * the best of a few pool sizes. Used by the `delivery` scenario; runnable alone:
 *
 *   node bin/run-ts.js bench/scenarios/delivery-mail.ts [N]
 *
 * Interface for the `delivery` scenario: `measureDeliveryMail(env, { n, log })` in a
 * `withEnvironment` environment returns the figures (`DeliveryMailResult`), `deliveryMailTable`
 * prints them. The ceiling's client runs in this process beside the SMTP server, ours in its own
 * worker process: on a loaded 2-core machine the ceiling is the lower bound of what SMTP alone
 * costs here, not of what a separate sender could do.
 */

export interface DeliveryMailResult {
  n: number;
  /** Ours: from the commit of the N notifications to the last e-mail accepted. */
  oursMs: number;
  /** Ours: first e-mail accepted after the commit (planning and dispatch latency). */
  oursFirstMs: number;
  /** nodemailer alone, best pool size. */
  ceilingMs: number;
  ceilingPool: number;
  /** Every pool size tried: [maxConnections, ms]. */
  ceilingTries: [number, number][];
  /** Messages accepted more than once by the server (ours), expected 0 without crashes. */
  duplicates: number;
}

interface Sink {
  url: string;
  accepted: () => number;
  unique: () => number;
  firstAt: () => number | undefined;
  lastAt: () => number | undefined;
  reset(): void;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
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

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One plan, N assignments of SYT (Vĩnh Phúc), one e-mail contact; nothing notified yet. */
async function prepare(env: BenchEnvironment, n: number): Promise<void> {
  const db = env.database.db;
  await db.execute(sql`
    with p as (
      insert into plans (code, slug, title, province, registry, period_start, period_end)
      values ('BENCH-MAIL/KH', 'bench-mail', 'Kế hoạch đo thư', 'Vĩnh Phúc', 'vinh-phuc', '2026-01-01', '2026-12-31')
      returning id
    ), t as (
      insert into tasks (plan_id, key, number, title, deadline)
      select p.id, g::text, g::text, 'Nhiệm vụ đo số ' || g, '{"kind":"date","due":"2026-03-19","raw":"19/3/2026"}'::jsonb
      from p, generate_series(1, ${n}) g
      returning id, plan_id, key
    )
    insert into assignments (id, plan_id, task_id, agency_code, status, deadline, effective_due, escalation_level)
    select 'bench-mail:' || t.key || ':SYT', t.plan_id, t.id, 'SYT', 'in_progress',
           '{"kind":"date","due":"2026-03-19","raw":"19/3/2026"}'::jsonb, '2026-03-19', 1
    from t`);
  await addContact(
    db,
    {
      principal: { role: 'coordinator', name: 'bench', tokenId: 'bench' },
      actor: { role: 'coordinator', name: 'bench' },
    },
    { registry: 'vinh-phuc', agency: 'SYT', channel: 'email', address: 'vanthu@syt.vinhphuc.example.gov.vn' },
  );
}

/** N escalations, one per assignment, committed in one statement, as a due day's timers write them. */
async function notify(env: BenchEnvironment, n: number): Promise<void> {
  await env.database.db.execute(sql`
    insert into notifications (assignment_id, recipient_agency, kind, level, text, link, created_at, dedupe_key)
    select 'bench-mail:' || g || ':SYT', 'SYT', 'escalation', 1,
           'Quá hạn, cảnh báo mức 1: nhiệm vụ số ' || g || ' (hạn 19/03/2026), do SYT chủ trì, chưa hoàn thành.',
           '/v1/assignments/bench-mail%3A' || g || '%3ASYT', now(), 'bench-mail:' || g
    from generate_series(1, ${n}) g`);
}

async function ceiling(sink: Sink, n: number, pool: number): Promise<number> {
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

/**
 * Measures ours and the ceiling in `env` (its own dev server and database); our worker is a real
 * `dondoc worker` process with SMTP_URL pointing at the sink.
 */
export async function measureDeliveryMail(
  env: BenchEnvironment,
  options: { n: number; log?: (message: string) => void },
): Promise<DeliveryMailResult> {
  const { n } = options;
  const log = options.log ?? (() => {});
  const sink = await startSink();
  env.onTeardown(() => sink.close());
  log(`delivery-mail: preparing ${n} assignments`);
  await prepare(env, n);

  const tries: [number, number][] = [];
  for (const pool of [1, 5, 10, 20]) {
    const ms = await ceiling(sink, n, pool);
    if (sink.unique() !== n) throw new Error(`ceiling: ${sink.unique()} of ${n} accepted`);
    tries.push([pool, ms]);
    log(`delivery-mail: ceiling, pool ${pool}: ${Math.round(ms)} ms`);
  }
  const best = tries.reduce((a, b) => (b[1] < a[1] ? b : a));

  sink.reset();
  const worker = env.track(
    await startWorkerProcess({
      kind: 'dondoc',
      name: 'delivery worker',
      temporalAddress: env.temporalAddress,
      databaseUrl: env.databaseUrl,
      taskQueue: 'dondoc',
      client: env.client,
      env: { SMTP_URL: sink.url, DONDOC_DELIVERY_POLL_MS: '1000' },
    }),
  );
  log('delivery-mail: worker ready; writing the notifications');
  const t0 = performance.now();
  await notify(env, n);
  await waitFor(() => sink.unique() >= n, 30 * 60_000, `${n} e-mails`).catch((error: Error) => {
    throw new Error(`${error.message} (${sink.unique()} accepted):\n${worker.tail()}`);
  });
  const oursMs = sink.lastAt()! - t0;
  return {
    n,
    oursMs,
    oursFirstMs: sink.firstAt()! - t0,
    ceilingMs: best[1],
    ceilingPool: best[0],
    ceilingTries: tries,
    duplicates: sink.accepted() - sink.unique(),
  };
}

/** The result as a markdown table, for a scenario's sections. */
export function deliveryMailTable(r: DeliveryMailResult): string {
  const perSecond = (ms: number) => Math.round((r.n / ms) * 1000);
  return markdownTable([
    ['', 'time to the last e-mail accepted', 'e-mails/s', 'first e-mail after'],
    [
      'ours (notifications → deliveries → workflows → SMTP)',
      `${(r.oursMs / 1000).toFixed(1)} s`,
      perSecond(r.oursMs),
      `${(r.oursFirstMs / 1000).toFixed(1)} s`,
    ],
    [
      `ceiling: nodemailer alone, pool of ${r.ceilingPool}`,
      `${(r.ceilingMs / 1000).toFixed(1)} s`,
      perSecond(r.ceilingMs),
      '—',
    ],
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  installSignalCleanup();
  const n = Number(process.argv[2] ?? 10_000);
  const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
  const result = await withEnvironment('delivery_mail', (env) => measureDeliveryMail(env, { n, log }));
  console.log(deliveryMailTable(result));
  console.log(
    `\nceiling tries (pool, ms): ${JSON.stringify(result.ceilingTries.map(([p, ms]) => [p, Math.round(ms)]))}`,
  );
  console.log(`duplicates: ${result.duplicates}`);
  process.exit(0);
}
