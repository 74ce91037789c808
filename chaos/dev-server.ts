// The chaos run's first target: a dev server with persistent storage, the runtime's supervisor
// around it, a PostgreSQL cluster of the run's own, one worker and one API. Its faults: the worker
// killed, the Temporal server killed (the supervisor starts it again on the same file) and
// PostgreSQL stopped for 30 s, one after another, as the plan's report instant passes.
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { seedAgencyRegistries } from '../db/seed.ts';
import { DEFAULT_RESTART_POLICY, startTemporalDevServer } from '../runtime/temporal-dev-server.ts';
import { findTemporalCli } from '../runtime/temporal-cli.ts';
import { startApiProcess } from '../bench/support/api.ts';
import { describeMachine } from '../bench/support/machine.ts';
import { startWorkerProcess, type WorkerProcess } from '../bench/support/workers.ts';
import type { Receivers } from './deliveries.ts';
import { startOwnPostgres } from './postgres.ts';
import type { Fault } from './report.ts';
import type { ChaosTarget } from './target.ts';

const OUTAGE_MS = 30_000;
const TASK_QUEUE = 'dondoc-chaos';

export async function startDevServerTarget(options: {
  receivers: Receivers;
  bootstrap: string;
  teardown: (() => Promise<void>)[];
  log: (message: string) => void;
}): Promise<ChaosTarget> {
  const { receivers, bootstrap, teardown, log } = options;
  // The webhook receivers listen on loopback: allowed, as an operator allows receivers on the premises.
  const webhookAllow = { DONDOC_WEBHOOK_ALLOW: '127.0.0.0/8' };
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

  const schedule = (instant: number) => ({
    killWorker: instant - 80_000,
    restartWorker: instant - 70_000,
    killTemporal: instant - 40_000,
    stopPostgres: instant - 10_000,
    startPostgres: instant - 10_000 + OUTAGE_MS,
  });
  return {
    client,
    database,
    api,
    apiUrls: [api.url],
    firstFaultAt: (instant) => schedule(instant).killWorker,
    loadUntil: (instant) => schedule(instant).startPostgres,
    async runFaults({ instant, loadFrom, faults, deaths }) {
      const schedule_ = schedule(instant);
      // A worker that dies by itself is a finding: its last lines are kept for the report, and a new
      // one is started at once so that the run can still count what the others lost.
      let workers = 1;
      let replacing = false;
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
          // A worker cannot start while PostgreSQL is away (it checks the read model first): it
          // is tried again until it polls, rather than ending the run.
          for (;;) {
            workers += 1;
            try {
              worker = await startWorker(workers);
              break;
            } catch (error) {
              log(`worker ${workers} did not start (${String(error).split('\n')[0]}); trying again in 2 s`);
              await sleep(2000);
            }
          }
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

      await at(schedule_.killWorker);
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
      await at(schedule_.restartWorker);
      workers += 1;
      worker = await startWorker(workers);
      killed.backAt = Date.now();
      replacing = false;
      log(`worker ${workers} polling (pid ${worker.pid})`);

      await at(schedule_.killTemporal);
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

      await at(schedule_.stopPostgres);
      const outage: Fault = {
        name: 'PostgreSQL stopped',
        what: `pg_ctl stop -m fast, started again ${OUTAGE_MS / 1000} s later`,
        startedAt: Date.now(),
      };
      faults.push(outage);
      await postgres.stop();
      log('fault 3: PostgreSQL stopped');
      await at(schedule_.startPostgres);
      await postgres.start();
      outage.backAt = Date.now();
      log('PostgreSQL started again');
      return outage.backAt;
    },
    async finalState() {
      const apiAlive = await fetch(`${api.url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      return `API alive at the end: ${apiAlive ? 'yes' : 'no'}; Temporal supervisor: ${serverGaveUp ?? 'restarted the server, still running'}.`;
    },
  };
}
