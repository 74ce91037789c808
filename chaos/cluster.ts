import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { freeClusterPorts, removeRunDir, startCluster, type RunningCluster } from '../cluster/cluster.ts';
import { clusterDatabases, dropClusterDatabases, postgresServer } from '../cluster/databases.ts';
import { isRunning, logTail } from '../cluster/processes.ts';
import { connectDatabase } from '../db/client.ts';
import { adminUrl } from '../bench/support/environment.ts';
import type { Receivers } from './deliveries.ts';
import type { Fault } from './report.ts';
import type { ChaosTarget } from './target.ts';

// `npm run chaos -- --cluster`: the chaos run on the cluster of `npm run cluster` (Temporal's five
// processes on the machine's PostgreSQL, two workers, two APIs), whose faults are the cluster's
// own: one history process killed, then one of the two workers, then one of the two APIs, each
// started again a while later, while the agencies' commands go to both APIs in turn.

export interface ChaosCluster {
  cluster: RunningCluster;
  /** Removes the cluster, its databases and its run directory. */
  remove(): Promise<void>;
}

export async function startChaosCluster(options: {
  postgresUrl: string;
  env: Record<string, string>;
  log: (message: string) => void;
}): Promise<ChaosCluster> {
  const prefix = `dondoc_chaos_${randomBytes(4).toString('hex')}`;
  const runDir = await mkdtemp(join(tmpdir(), 'dondoc-chaos-cluster-'));
  const databases = clusterDatabases(prefix);
  const server = postgresServer(options.postgresUrl);
  const remove = async () => {
    await dropClusterDatabases(server, databases);
    await removeRunDir(runDir);
  };
  try {
    const cluster = await startCluster({
      runDir,
      postgresUrl: options.postgresUrl,
      databasePrefix: prefix,
      ports: await freeClusterPorts(),
      detach: false,
      env: options.env,
      log: options.log,
    });
    return {
      cluster,
      async remove() {
        await cluster.stop();
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** When each fault begins and when its process is started again (epoch ms). */
export interface ClusterSchedule {
  killHistory: number;
  restartHistory: number;
  killWorker: number;
  restartWorker: number;
  killApi: number;
  restartApi: number;
}

/** The faults around the plan's instant; the load runs until a while after the last one. */
export function clusterSchedule(instant: number): ClusterSchedule {
  return {
    killHistory: instant - 95_000,
    restartHistory: instant - 65_000,
    killWorker: instant - 45_000,
    restartWorker: instant - 35_000,
    killApi: instant - 20_000,
    restartApi: instant - 10_000,
  };
}

const at = async (when: number) => {
  const wait = when - Date.now();
  if (wait > 0) await sleep(wait);
};

/**
 * Watches every process of the cluster but the one being faulted: one that ends unasked is a
 * finding (its last lines are kept) and is started again at once, so the run can still count.
 */
export function watchCluster(
  cluster: RunningCluster,
  faulted: () => string | undefined,
  onDeath: (name: string, lines: string) => Fault,
  log: (message: string) => void,
): () => void {
  let restarting = false;
  const timer = setInterval(() => {
    if (restarting) return;
    const dead = cluster.processes.find((p) => p.name !== faulted() && !isRunning(p));
    if (!dead) return;
    restarting = true;
    const fault = onDeath(dead.name, logTail(dead));
    void cluster
      .restart(dead.name)
      .then(
        () => {
          fault.backAt = Date.now();
          log(`${dead.name} started again`);
        },
        (error: unknown) => log(`${dead.name} could not be started again: ${String(error)}`),
      )
      .finally(() => {
        restarting = false;
      });
  }, 1000);
  return () => clearInterval(timer);
}

/**
 * Kills (SIGKILL) `name` at `killAt`, starts it again at `restartAt` and waits until it is ready
 * (history: serving its health check; a worker or an API: /readyz).
 */
async function killAndRestart(
  cluster: RunningCluster,
  name: string,
  times: { killAt: number; restartAt: number },
  fault: Omit<Fault, 'startedAt'>,
  faults: Fault[],
  setFaulted: (name: string | undefined) => void,
  log: (message: string) => void,
): Promise<Fault> {
  await at(times.killAt);
  const target = cluster.processes.find((p) => p.name === name);
  if (!target) throw new Error(`no process ${name} in the cluster`);
  setFaulted(name);
  const record: Fault = { ...fault, what: `${fault.what} (pid ${target.pid})`, startedAt: Date.now() };
  faults.push(record);
  process.kill(target.pid, 'SIGKILL');
  log(`fault: ${name} killed (pid ${target.pid})`);
  await at(times.restartAt);
  await cluster.restart(name);
  record.backAt = Date.now();
  const now = cluster.processes.find((p) => p.name === name)!;
  record.note = `back as pid ${now.pid}`;
  setFaulted(undefined);
  log(`${name} back (pid ${now.pid})`);
  return record;
}

/** The three faults, one after another; returns when the last one's process is back. */
export async function runClusterFaults(
  cluster: RunningCluster,
  schedule: ClusterSchedule,
  faults: Fault[],
  setFaulted: (name: string | undefined) => void,
  log: (message: string) => void,
): Promise<number> {
  const seconds = (a: number, b: number) => Math.round((b - a) / 1000);
  await killAndRestart(
    cluster,
    'history-1',
    { killAt: schedule.killHistory, restartAt: schedule.restartHistory },
    {
      name: 'history process killed',
      what: `SIGKILL to history-1 of two; its shards move to history-2; started again ${seconds(schedule.killHistory, schedule.restartHistory)} s later`,
    },
    faults,
    setFaulted,
    log,
  );
  await killAndRestart(
    cluster,
    'worker-1',
    { killAt: schedule.killWorker, restartAt: schedule.restartWorker },
    {
      name: 'worker killed',
      what: `SIGKILL to worker-1 of two; started again ${seconds(schedule.killWorker, schedule.restartWorker)} s later`,
    },
    faults,
    setFaulted,
    log,
  );
  const api = await killAndRestart(
    cluster,
    'api-1',
    { killAt: schedule.killApi, restartAt: schedule.restartApi },
    {
      name: 'API killed',
      what: `SIGKILL to api-1 of two; started again ${seconds(schedule.killApi, schedule.restartApi)} s later`,
    },
    faults,
    setFaulted,
    log,
  );
  return api.backAt!;
}

/**
 * The cluster as the chaos run's target: started on the machine's PostgreSQL with the receivers'
 * addresses and the run's coordinator token, removed (processes, databases, files) at teardown.
 */
export async function startClusterTarget(options: {
  receivers: Receivers;
  bootstrap: string;
  teardown: (() => Promise<void>)[];
  log: (message: string) => void;
}): Promise<ChaosTarget> {
  const { receivers, bootstrap, teardown, log } = options;
  const started = Date.now();
  const chaos = await startChaosCluster({
    postgresUrl: adminUrl(),
    env: {
      LOG_LEVEL: 'warn',
      SMTP_URL: receivers.mail.url,
      MAIL_FROM: 'Đôn đốc <dondoc@chaos.example.vn>',
      // The webhook receivers listen on loopback: allowed, as an operator allows receivers on the premises.
      DONDOC_WEBHOOK_ALLOW: '127.0.0.0/8',
      DONDOC_BOOTSTRAP_TOKEN: bootstrap,
      DONDOC_RATE_LIMIT: '1000000000',
      // Within PostgreSQL's default 100 connections beside Temporal's 75 at most.
      DONDOC_API_DB_POOL_SIZE: '4',
      DONDOC_WORKER_DB_POOL_SIZE: '4',
    },
    log: (message) => log(`cluster +${Math.round((Date.now() - started) / 1000)} s: ${message}`),
  });
  teardown.push(() => chaos.remove());
  const { cluster } = chaos;
  log(`cluster: Temporal at ${cluster.addresses.temporal}, APIs at ${cluster.addresses.apis.join(' and ')}`);
  const connection = await Connection.connect({ address: cluster.addresses.temporal });
  teardown.push(() => connection.close());
  const client = new Client({ connection, namespace: cluster.addresses.namespace });
  const database = connectDatabase(cluster.addresses.readModel, { max: 4, applicationName: 'dondoc-chaos' });
  teardown.push(() => database.close());
  const headers = { authorization: `Bearer ${bootstrap}` };
  let faulted: string | undefined;
  return {
    client,
    database,
    api: { url: cluster.addresses.apis[0]!, headers },
    apiUrls: cluster.addresses.apis,
    firstFaultAt: (instant) => clusterSchedule(instant).killHistory,
    loadUntil: (instant) => clusterSchedule(instant).restartApi + 5_000,
    async runFaults({ instant, loadFrom, faults, deaths }) {
      const stopWatching = watchCluster(
        cluster,
        () => faulted,
        (name, lines) => {
          const fault: Fault = {
            name: `${name} died by itself`,
            what: `${name} exited unasked; started again at once`,
            startedAt: Date.now(),
          };
          faults.push(fault);
          deaths.push(`${name}, ${Math.round((Date.now() - loadFrom) / 1000)} s into the load:\n${lines}`);
          log(`${name} died by itself; its last lines:\n${lines}`);
          return fault;
        },
        log,
      );
      teardown.push(async () => stopWatching());
      return runClusterFaults(
        cluster,
        clusterSchedule(instant),
        faults,
        (name) => {
          faulted = name;
        },
        log,
      );
    },
    async finalState() {
      const answering = await Promise.all(
        cluster.addresses.apis.map((url) =>
          fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      const down = cluster.processes.filter((p) => !isRunning(p)).map((p) => p.name);
      return `APIs answering at the end: ${answering.filter(Boolean).length} of ${answering.length}; cluster processes not running: ${down.length > 0 ? down.join(', ') : 'none'}.`;
    },
  };
}
