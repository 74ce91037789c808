// `npm run chaos`: the fault-tolerance run (RELIABILITY.md). On a dev server with persistent
// storage and a PostgreSQL cluster of its own, while agencies send commands through the HTTP API,
// it kills the worker, kills the Temporal server (which the runtime's supervisor starts again on
// the same file) and stops PostgreSQL for 30 s, one after another, as the plan's report instant
// and a shared due day pass; then it counts what should exist against what does.
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { toRealTime, type SimulatedClock } from '../domain/clock.ts';
import { connectDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { seedAgencyRegistries } from '../db/seed.ts';
import { DEFAULT_RESTART_POLICY, startTemporalDevServer } from '../runtime/temporal-dev-server.ts';
import { findTemporalCli } from '../runtime/temporal-cli.ts';
import { createToken } from '../services/tokens.ts';
import { postJson, startApiProcess } from '../bench/support/api.ts';
import { describeMachine } from '../bench/support/machine.ts';
import { syntheticPlan } from '../bench/support/plan.ts';
import { startWorkerProcess, type WorkerProcess } from '../bench/support/workers.ts';
import { contributionCommands, leadCommands, runClient, type SentCommand } from './load.ts';
import {
  addContacts,
  deliveriesSettled,
  reckonDeliveries,
  startReceivers,
  type DeliveryReckoning,
} from './deliveries.ts';
import { startOwnPostgres } from './postgres.ts';
import { caughtUp, reckon, type Reckoning } from './reckoning.ts';
import { deliveryTable, faultTable, kindTable, readModelTable, type Fault } from './report.ts';

const TASKS = Number(process.env.CHAOS_TASKS ?? 10);
/** Real seconds per plan day: Thursday 08:00 to Friday 08:00, the report instant, takes this long. */
const SECONDS_PER_DAY = Number(process.env.CHAOS_SECONDS_PER_DAY ?? 150);
const OUTAGE_MS = 30_000;
const CATCH_UP_LIMIT_MS = 180_000;
/** How long after the read model caught up the deliveries may take to go out. */
const DELIVERY_LIMIT_MS = 300_000;
const LEAD_PACE_MS = 5_000;
const COLLABORATOR_PACE_MS = 500;
const COLLABORATOR = 'SNV';
const TASK_QUEUE = 'dondoc-chaos';

const t0 = Date.now();
const log = (message: string) =>
  console.error(`[${new Date().toISOString().slice(11, 19)} +${Math.round((Date.now() - t0) / 1000)} s] ${message}`);

/** What still differs, in one line for the progress log. */
function summary(r: Reckoning): string {
  const rows = Object.entries({ ...r.notifications, lateFilings: r.lateFilings, escalations: r.escalations })
    .filter(([, c]) => c.missing > 0 || c.extra > 0)
    .map(([what, c]) => `${what} ${c.found}/${c.expected}`);
  return [`projections behind ${r.projectionsBehind}`, `audit missing ${r.auditMissing}`, ...rows].join(', ');
}

const teardown: (() => Promise<void>)[] = [];
let tearingDown: Promise<void> | undefined;
const tearDown = () =>
  (tearingDown ??= (async () => {
    for (const step of teardown.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`teardown step failed: ${String(error)}`);
      }
    }
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up…`);
    void tearDown().finally(() => process.exit(130));
  });

/** The machine's one-minute load average, sampled through the run: others share the cores. */
const loads: number[] = [];
const loadSampler = setInterval(() => loads.push(loadavg()[0]!), 5000);
loadSampler.unref();

async function main(): Promise<boolean> {
  console.log(`# Đôn đốc chaos run, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n`);
  const workDir = await mkdtemp(join(tmpdir(), 'dondoc-chaos-'));
  teardown.push(() => rm(workDir, { recursive: true, force: true }));
  const postgres = await startOwnPostgres(log);
  teardown.push(() => postgres.destroy());
  // The machine as the benchmarks describe it, with this run's own PostgreSQL and persistent dev server.
  process.env.DONDOC_BENCH_DATABASE_URL = postgres.url;
  for (const line of await describeMachine())
    console.log(`- ${line.replace('(dev server, in memory)', '(dev server, SQLite file)')}`);
  const database = connectDatabase(postgres.url, { max: 4, applicationName: 'dondoc-chaos' });
  teardown.push(() => database.close());
  await runMigrations(database.db);
  await seedAgencyRegistries(database.db);

  const cli = await findTemporalCli({ log });
  const dbFilename = join(workDir, 'temporal.db');
  const server = await startTemporalDevServer({
    cli,
    port: 0,
    dbFilename,
    logFile: join(workDir, 'temporal.log'),
    restart: DEFAULT_RESTART_POLICY,
    log,
    warn: log,
  });
  teardown.push(() => server.stop());
  let serverGaveUp: string | undefined;
  void server.failed.then((f) => {
    serverGaveUp = f.message;
    log(`the supervisor gave up on the Temporal dev server: ${f.message}`);
  });
  log(`Temporal dev server at ${server.address}, data in ${dbFilename}`);
  const connection = await Connection.connect({ address: server.address });
  teardown.push(() => connection.close());
  const client = new Client({ connection, namespace: 'default' });

  // The mail server and webhook receivers the deliveries go to; never faulted, so every delivery can go out.
  const receivers = await startReceivers();
  teardown.push(() => receivers.close());
  log(`SMTP server at ${receivers.mail.url}`);
  // The webhook receivers listen on loopback: allowed, as an operator allows receivers on the premises.
  const webhookAllow = { DONDOC_WEBHOOK_ALLOW: '127.0.0.0/8' };

  const startWorker = (n: number) =>
    startWorkerProcess({
      kind: 'dondoc',
      name: `worker ${n}`,
      temporalAddress: server.address,
      databaseUrl: postgres.url,
      taskQueue: TASK_QUEUE,
      client,
      env: { SMTP_URL: receivers.mail.url, MAIL_FROM: 'Đôn đốc <dondoc@chaos.example.vn>', ...webhookAllow },
    });
  let worker: WorkerProcess = await startWorker(1);
  teardown.push(() => worker.stop());
  log(`worker 1 polling (pid ${worker.pid})`);

  const bootstrap = `dd_chaos-coordinator-${Date.now()}-000000000000000000`;
  const apiLog = openSync(join(workDir, 'api.log'), 'a');
  const api = await startApiProcess(
    { databaseUrl: postgres.url, temporalAddress: server.address },
    { token: bootstrap, taskQueue: TASK_QUEUE, stderr: apiLog, logLevel: 'warn', env: webhookAllow },
  );
  teardown.push(async () => {
    await api.stop();
    closeSync(apiLog);
  });
  log(`API at ${api.url}`);

  // Thursday 19 March 2026, 08:00 plan time: the work is due that day, so it falls overdue at
  // midnight; on Friday 08:00 the Q1 reports not filed fall late and the overdue work reaches
  // escalation level 1.
  const realStart = Date.now();
  const clock: SimulatedClock = {
    secondsPerDay: SECONDS_PER_DAY,
    virtualStart: '2026-03-19T08:00:00+07:00',
    realStart: new Date(realStart).toISOString(),
  };
  const instant = toRealTime(new Date('2026-03-20T08:00:00+07:00'), clock).getTime();
  const dueDayEnds = toRealTime(new Date('2026-03-20T00:00:00+07:00'), clock).getTime();
  const plan = syntheticPlan({
    code: `CHAOS-${realStart}/KH`,
    taskCount: TASKS,
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    dueDate: '2026-03-19',
    policy: {
      dueReminderWorkingDays: [],
      reportReminderWorkingDays: [],
      reports: ['Q1'],
      ackChaseWorkingDays: 30,
      escalation: [{ level: 1, afterWorkingDays: 1 }],
      clock,
    },
  });
  const imported = await postJson(api, '/v1/plans', plan);
  if (imported.status !== 201)
    throw new Error(`POST /v1/plans answered ${imported.status}: ${JSON.stringify(imported.body).slice(0, 500)}`);
  const planId = (imported.body as { plan: { id: string } }).plan.id;
  for (;;) {
    const {
      rows: [r],
    } = await database.pool.query<{ total: number; projected: number }>(
      'select count(*)::int as total, count(*) filter (where version >= 1)::int as projected from assignments where plan_id = $1',
      [planId],
    );
    if (r!.total > 0 && r!.projected === r!.total) break;
    if (Date.now() - realStart > 120_000) throw new Error('the plan was not projected within 120 s');
    await sleep(250);
  }
  const { rows: assignmentRows } = await database.pool.query<{ id: string; agency_code: string }>(
    'select id, agency_code from assignments where plan_id = $1 order by id',
    [planId],
  );
  const ids = assignmentRows.map((r) => r.id);
  log(`plan imported and projected: ${ids.length} assignments`);

  const agencies = [...new Set(assignmentRows.map((r) => r.agency_code))].sort();
  const contacts = await addContacts(api, agencies, receivers);
  log(`contacts: an e-mail address and a webhook for each of ${agencies.length} agencies and the coordinator`);
  const tokens = new Map<string, string>();
  for (const code of agencies)
    tokens.set(
      code,
      (
        await createToken(database.db, {
          name: `chaos ${code}`,
          role: 'agency',
          agencyCode: code,
          registry: 'vinh-phuc',
          createdBy: 'chaos',
        })
      ).token,
    );

  // The faults, one after another, placed around the plan's instants.
  const schedule = {
    killWorker: instant - 80_000,
    restartWorker: instant - 70_000,
    killTemporal: instant - 40_000,
    stopPostgres: instant - 10_000,
    startPostgres: instant - 10_000 + OUTAGE_MS,
  };
  const loadFrom = Date.now();
  if (schedule.killWorker - loadFrom < 10_000)
    throw new Error(
      `set-up took ${Math.round((loadFrom - realStart) / 1000)} s: raise CHAOS_SECONDS_PER_DAY (now ${SECONDS_PER_DAY})`,
    );
  const loadUntil = schedule.startPostgres;

  const sent: SentCommand[] = [];
  const record = (c: SentCommand) => sent.push(c);
  const collaboratorIds = assignmentRows.filter((r) => r.agency_code !== COLLABORATOR).map((r) => r.id);
  const clients = [
    ...agencies.map((code) =>
      runClient({
        apiUrl: api.url,
        token: tokens.get(code)!,
        commands: leadCommands(
          code,
          assignmentRows.filter((r) => r.agency_code === code).map((r) => r.id),
        ),
        paceMs: LEAD_PACE_MS,
        until: loadUntil,
        record,
      }),
    ),
    runClient({
      apiUrl: api.url,
      token: tokens.get(COLLABORATOR)!,
      commands: contributionCommands(
        COLLABORATOR,
        collaboratorIds,
        Math.ceil((loadUntil - loadFrom) / COLLABORATOR_PACE_MS),
      ),
      paceMs: COLLABORATOR_PACE_MS,
      until: loadUntil,
      record,
    }),
  ];
  const load = Promise.all(clients);
  log(
    `load: ${agencies.length} lead agencies (a command every ${LEAD_PACE_MS / 1000} s each) and ${COLLABORATOR} ` +
      `contributing (one every ${COLLABORATOR_PACE_MS} ms) until the last fault ends; the report instant is in ` +
      `${Math.round((instant - Date.now()) / 1000)} s`,
  );

  const faults: Fault[] = [];
  // A worker that dies by itself is a finding: its last lines are kept for the report, and a new
  // one is started at once so that the run can still count what the others lost.
  let workers = 1;
  let replacing = false;
  const deaths: string[] = [];
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const watch = setInterval(() => {
    if (replacing || alive(worker.pid)) return;
    replacing = true;
    const dead = worker;
    const fault: Fault = {
      name: 'worker died by itself',
      what: `the worker (pid ${dead.pid}) exited unasked; a new one started at once`,
      startedAt: Date.now(),
    };
    faults.push(fault);
    deaths.push(
      `worker pid ${dead.pid}, ${Math.round((Date.now() - loadFrom) / 1000)} s into the load:\n${dead.tail()}`,
    );
    log(`the worker (pid ${dead.pid}) died by itself; its last lines:\n${dead.tail()}`);
    void (async () => {
      await dead.stop();
      workers += 1;
      worker = await startWorker(workers);
      fault.backAt = Date.now();
      log(`worker ${workers} polling (pid ${worker.pid})`);
      replacing = false;
    })();
  }, 1000);
  teardown.push(async () => clearInterval(watch));
  const at = async (when: number) => {
    const wait = when - Date.now();
    if (wait > 0) await sleep(wait);
  };

  await at(schedule.killWorker);
  const killed: Fault = {
    name: 'worker killed',
    what: `SIGKILL to the worker (pid ${worker.pid}); a new one 10 s later`,
    startedAt: Date.now(),
  };
  faults.push(killed);
  replacing = true;
  process.kill(worker.pid, 'SIGKILL');
  await worker.stop();
  log(`fault 1: worker killed`);
  await at(schedule.restartWorker);
  workers += 1;
  worker = await startWorker(workers);
  killed.backAt = Date.now();
  replacing = false;
  log(`worker ${workers} polling (pid ${worker.pid})`);

  await at(schedule.killTemporal);
  const oldPid = server.pid;
  const temporal: Fault = {
    name: 'Temporal server killed',
    what: `SIGKILL to the dev server (pid ${oldPid}); the runtime's supervisor starts it again on the same file and port`,
    startedAt: Date.now(),
  };
  faults.push(temporal);
  if (oldPid) process.kill(oldPid, 'SIGKILL');
  log('fault 2: Temporal dev server killed');
  for (;;) {
    if (serverGaveUp) {
      temporal.note = serverGaveUp;
      break;
    }
    if (server.pid !== oldPid) {
      try {
        await client.workflowService.getSystemInfo({});
        temporal.backAt = Date.now();
        temporal.note = `back as pid ${server.pid}`;
        break;
      } catch {
        // not serving yet
      }
    }
    await sleep(200);
  }
  log(`Temporal dev server back (pid ${server.pid})`);

  await at(schedule.stopPostgres);
  const outage: Fault = {
    name: 'PostgreSQL stopped',
    what: `pg_ctl stop -m fast, started again ${OUTAGE_MS / 1000} s later`,
    startedAt: Date.now(),
  };
  faults.push(outage);
  await postgres.stop();
  log('fault 3: PostgreSQL stopped');
  await at(schedule.startPostgres);
  await postgres.start();
  outage.backAt = Date.now();
  log('PostgreSQL started again');
  const lastFaultEnded = outage.backAt;

  // Caught up: every projection at its workflow's version and every row the workflows imply there.
  let caughtUpAt: number | undefined;
  /** When every projection first matched its workflow, after the load ended. */
  let projectionsAt: number | undefined;
  let last: Reckoning | undefined;
  let loadDone = false;
  void load.then(() => {
    loadDone = true;
  });
  while (Date.now() - lastFaultEnded < CATCH_UP_LIMIT_MS) {
    try {
      last = await reckon({ client, pool: database.pool, planId, clock, assignmentIds: ids });
      if (projectionsAt === undefined && loadDone && last.projectionsBehind === 0) projectionsAt = Date.now();
      if (loadDone && caughtUp(last)) {
        caughtUpAt = Date.now();
        break;
      }
      log(`not caught up: ${summary(last)}${loadDone ? '' : '; commands still in flight'}`);
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      log(`not readable yet: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
    await sleep(1000);
  }
  await load;
  log(
    caughtUpAt
      ? `read model caught up ${((caughtUpAt - lastFaultEnded) / 1000).toFixed(1)} s after the last fault ended`
      : `read model NOT caught up ${CATCH_UP_LIMIT_MS / 1000} s after the last fault`,
  );

  // Deliveries: every notice that goes out at once sent to each of its contacts, and each receiver
  // holding what was recorded as sent. They go on after the read model caught up: a send that
  // failed while PostgreSQL was away waits out its backoff.
  let deliveriesAt: number | undefined;
  const deliveriesFrom = Date.now();
  while (Date.now() - deliveriesFrom < DELIVERY_LIMIT_MS) {
    try {
      const d = await reckonDeliveries({ pool: database.pool, planId, contacts, receivers, faults });
      if (deliveriesSettled(d)) {
        deliveriesAt = Date.now();
        break;
      }
      log(
        `deliveries not all out: ${d.immediateSent}/${d.immediateExpected} sent, ${d.lost} not received, ` +
          `${d.unrecorded} received but not recorded sent`,
      );
    } catch (error) {
      log(`deliveries not readable yet: ${error instanceof Error ? error.message : String(error)}`);
    }
    await sleep(2000);
  }
  log(
    deliveriesAt
      ? `deliveries all out ${((deliveriesAt - lastFaultEnded) / 1000).toFixed(1)} s after the last fault ended`
      : `deliveries NOT all out ${DELIVERY_LIMIT_MS / 1000} s after the read model was checked`,
  );

  const final = await reckon({ client, pool: database.pool, planId, clock, assignmentIds: ids, sent });
  const delivered: DeliveryReckoning = await reckonDeliveries({
    pool: database.pool,
    planId,
    contacts,
    receivers,
    faults,
  });
  const apiAlive = await fetch(`${api.url}/readyz`).then(
    (r) => r.ok,
    () => false,
  );

  const catchUp = caughtUpAt ? (caughtUpAt - lastFaultEnded) / 1000 : Number.NaN;
  const kinds = final.kinds!;
  const totals = Object.values(kinds).reduce((s, k) => ({ lost: s.lost + k.lost, doubled: s.doubled + k.doubled }), {
    lost: 0,
    doubled: 0,
  });
  const records = final.commandRecords!;
  const rowsMissing =
    final.projectionsBehind +
    final.auditMissing +
    records.missing +
    [...Object.values(final.notifications), final.lateFilings, final.escalations].reduce((s, c) => s + c.missing, 0);
  const rowsExtra =
    [...Object.values(final.notifications), final.lateFilings, final.escalations].reduce((s, c) => s + c.extra, 0) +
    records.phantomAudit +
    records.phantomNotices;

  console.log(
    `- plan: ${TASKS} tasks × ${agencies.length} agencies = ${ids.length} assignments; ${SECONDS_PER_DAY} s a plan day`,
  );
  console.log(
    `- the due day (19 March) ended ${Math.round((dueDayEnds - loadFrom) / 1000)} s into the load; ` +
      `the report instant and escalation (20 March 08:00) ${Math.round((instant - loadFrom) / 1000)} s in`,
  );
  console.log(
    `- the plan's Q1 late mark was written ${
      final.lateMarkAt ? `${Math.round((final.lateMarkAt - loadFrom) / 1000)} s into the load` : 'never'
    }; every projection matched its workflow ${
      projectionsAt ? `${((projectionsAt - lastFaultEnded) / 1000).toFixed(1)} s after the last fault ended` : 'never'
    }`,
  );
  console.log(
    `- load average (1 min) during the run: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}, ` +
      `mean ${(loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(1)}, on ${cpus().length} cores`,
  );
  console.log('\n## Faults\n');
  console.log(faultTable(faults, loadFrom, sent));
  console.log('\n## Commands\n');
  console.log(kindTable(kinds));
  console.log('\n## Read model against the workflows\n');
  console.log(readModelTable(final));
  if (final.filedBeforeMark > 0)
    console.log(
      `\n“report-late” allows 0 or 2 notices for ${final.filedBeforeMark} assignments whose Q1 report came in late ` +
        'but before the plan’s mark was written: the mark tells only those still owing.',
    );
  if (Object.keys(final.otherNotifications).length > 0)
    console.log(`\nOther notifications (not predicted by the run): ${JSON.stringify(final.otherNotifications)}`);
  if (deaths.length > 0)
    console.log(`\nWorkers that died by themselves, and their last lines:\n\n\`\`\`\n${deaths.join('\n\n')}\n\`\`\``);
  if (final.examples.length > 0) console.log(`\nExamples:\n${final.examples.map((e) => `- ${e}`).join('\n')}`);
  console.log('\n## Deliveries\n');
  console.log(deliveryTable(delivered));
  console.log(
    `\nEvery notice to be sent at once, to each contact: ${delivered.immediateExpected}; sent once ` +
      `${delivered.immediateSent}, never planned ${delivered.immediateUnplanned}, planned twice ` +
      `${delivered.immediateDoubled}, not sent ${JSON.stringify(delivered.immediateNotSent)}; waiting for the ` +
      `digest ${delivered.digestWaiting}. Attempts that failed and were retried: ${delivered.attemptErrors}. ` +
      `All out ${deliveriesAt ? `${((deliveriesAt - lastFaultEnded) / 1000).toFixed(1)} s after the last fault ended` : 'never'}.`,
  );
  if (delivered.examples.length > 0)
    console.log(`\nDelivery examples:\n${delivered.examples.map((e) => `- ${e}`).join('\n')}`);
  const duplicatesOutside = delivered.duplicates.mail + delivered.duplicates.hooks - delivered.duplicates.inCrashWindow;
  const deliveriesMet =
    deliveriesAt !== undefined &&
    delivered.immediateDoubled === 0 &&
    delivered.lost === 0 &&
    delivered.unverified === 0 &&
    duplicatesOutside === 0;
  const met =
    totals.lost === 0 &&
    totals.doubled === 0 &&
    rowsMissing === 0 &&
    rowsExtra === 0 &&
    catchUp <= 60 &&
    deliveriesMet &&
    deaths.length === 0;
  console.log(
    `\nTarget (0 lost, 0 doubled but in the e-mail crash window, the read model caught up within 60 s of the last fault): ${met ? 'met' : 'not met'}. ` +
      `Lost ${totals.lost}, doubled ${totals.doubled}, rows missing ${rowsMissing}, rows extra ${rowsExtra}, ` +
      `deliveries lost ${delivered.lost}, messages repeated outside the crash window ${duplicatesOutside}, ` +
      `caught up after ${Number.isFinite(catchUp) ? `${catchUp.toFixed(1)} s` : `more than ${CATCH_UP_LIMIT_MS / 1000} s`}. ` +
      `API alive at the end: ${apiAlive ? 'yes' : 'no'}; Temporal supervisor: ${serverGaveUp ?? 'restarted the server, still running'}.`,
  );
  return met;
}

let met = false;
try {
  met = await main();
} catch (error) {
  console.log(`Failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await tearDown();
}
process.exit(met ? 0 : 1);
