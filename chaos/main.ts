// `npm run chaos [-- --cluster]`: the fault-tolerance run (RELIABILITY.md). While agencies send
// commands through the HTTP API, it faults the parts one after another as the plan's report instant
// and a shared due day pass, then counts what should exist against what does. By default on a dev
// server with persistent storage and a PostgreSQL cluster of its own (chaos/dev-server.ts: the
// worker killed, the Temporal server killed, PostgreSQL stopped for 30 s); with --cluster on the
// cluster of `npm run cluster` (chaos/cluster.ts: one history process, one of two workers, one of
// two APIs killed, with the commands sent to both APIs in turn).
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { toRealTime, type SimulatedClock } from '../domain/clock.ts';
import { createToken } from '../services/tokens.ts';
import { postJson } from '../bench/support/api.ts';
import { describeMachine } from '../bench/support/machine.ts';
import { syntheticPlan } from '../bench/support/plan.ts';
import { NUM_HISTORY_SHARDS, TEMPORAL_SERVER_VERSION } from '../cluster/settings.ts';
import { startClusterTarget } from './cluster.ts';
import { startDevServerTarget } from './dev-server.ts';
import { contributionCommands, leadCommands, runClient, type SentCommand } from './load.ts';
import {
  addContacts,
  deliveriesSettled,
  reckonDeliveries,
  startReceivers,
  type DeliveryReckoning,
} from './deliveries.ts';
import { caughtUp, reckon, type Reckoning } from './reckoning.ts';
import { deliveryTable, faultTable, kindTable, readModelTable, type Fault } from './report.ts';

const TASKS = Number(process.env.CHAOS_TASKS ?? 10);
/** Real seconds per plan day: Thursday 08:00 to Friday 08:00, the report instant, takes this long. */
const SECONDS_PER_DAY = Number(process.env.CHAOS_SECONDS_PER_DAY ?? 150);
const CATCH_UP_LIMIT_MS = 180_000;
/** How long after the read model caught up the deliveries may take to go out. */
const DELIVERY_LIMIT_MS = 300_000;
const LEAD_PACE_MS = 5_000;
const COLLABORATOR_PACE_MS = 500;
const COLLABORATOR = 'SNV';

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
  const onCluster = process.argv.includes('--cluster');
  // The mail server and webhook receivers the deliveries go to; never faulted, so every delivery can go out.
  const receivers = await startReceivers();
  teardown.push(() => receivers.close());
  log(`SMTP server at ${receivers.mail.url}`);
  const bootstrap = `dd_chaos-coordinator-${Date.now()}-000000000000000000`;
  const target = onCluster
    ? await startClusterTarget({ receivers, bootstrap, teardown, log })
    : await startDevServerTarget({ receivers, bootstrap, teardown, log });
  if (onCluster)
    for (const line of await describeMachine())
      console.log(
        `- ${/^temporal version/i.test(line) ? `Temporal server ${TEMPORAL_SERVER_VERSION}: frontend, two history (${NUM_HISTORY_SHARDS} shards), matching, internal worker, on the machine's PostgreSQL; two workers, two APIs` : line}`,
      );
  const { client, database, api } = target;

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
  const loadFrom = Date.now();
  if (target.firstFaultAt(instant) - loadFrom < 10_000)
    throw new Error(
      `set-up took ${Math.round((loadFrom - realStart) / 1000)} s: raise CHAOS_SECONDS_PER_DAY (now ${SECONDS_PER_DAY})`,
    );
  const loadUntil = target.loadUntil(instant);

  const sent: SentCommand[] = [];
  const record = (c: SentCommand) => sent.push(c);
  const collaboratorIds = assignmentRows.filter((r) => r.agency_code !== COLLABORATOR).map((r) => r.id);
  const clients = [
    ...agencies.map((code) =>
      runClient({
        apiUrl: target.apiUrls,
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
      apiUrl: target.apiUrls,
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
  const deaths: string[] = [];
  const lastFaultEnded = await target.runFaults({ instant, loadFrom, faults, deaths });

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
  const finalState = await target.finalState();

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
      finalState,
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
