import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { processEnvironment } from '../runtime/config.ts';
import {
  clusterDatabases,
  databaseUrl,
  ensureDatabase,
  postgresServer,
  prepareTemporalDatabases,
  type ClusterDatabases,
} from './databases.ts';
import {
  isRunning,
  logTail,
  spawnLogged,
  stopProcesses,
  type ClusterProcess,
  type SpawnOptions,
  type Spawned,
} from './processes.ts';
import {
  CLUSTER_NAMESPACE,
  NAMESPACE_RETENTION_HOURS,
  NUM_HISTORY_SHARDS,
  TEMPORAL_SERVER_VERSION,
  API_NODE_FLAGS,
  WORKER_NODE_FLAGS,
} from './settings.ts';
import {
  serviceOf,
  TEMPORAL_PROCESSES,
  temporalConfig,
  type TemporalPorts,
  type TemporalProcess,
} from './temporal-config.ts';
import { findTemporalServer } from './temporal-server.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
/** The dynamic configuration the compose file mounts into its server: the cluster runs the same. */
const DYNAMIC_CONFIG = join(root, 'deploy/compose/dynamicconfig.yaml');
const STATE_FILE = 'cluster.json';
const TASK_QUEUE = 'dondoc';

export interface ClusterPorts {
  temporal: TemporalPorts;
  /** One API process per port. */
  apis: number[];
  /** One worker process per port, where its /healthz and /readyz answer. */
  workers: number[];
}

/** Where everything of a running cluster answers. */
export interface ClusterAddresses {
  /** The Temporal frontend (host:port), and the namespace Đôn đốc uses on it. */
  temporal: string;
  namespace: string;
  taskQueue: string;
  apis: string[];
  workerHealth: string[];
  /** The read model both APIs and both workers share. */
  readModel: string;
  /** Where the first API wrote the first coordinator token, when the read model had none. */
  bootstrapTokenFile: string;
  /** The processes' data directory (deliverable files, mail as .eml files): one, shared. */
  dataDir: string;
  logs: string;
}

export interface ClusterState {
  temporalServer: string;
  historyShards: number;
  startedAt: string;
  addresses: ClusterAddresses;
  processes: ClusterProcess[];
}

export interface RunningCluster extends ClusterState {
  /** Stops every process, Đôn đốc's first, then Temporal's; removes the pid file. */
  stop(): Promise<void>;
  /**
   * Starts one process again as it was started (stopping it first if it runs), and waits until it
   * is ready where it can tell (the frontend, an API, a worker); for the cluster's chaos run, which
   * kills processes by their pid (`processes`, kept up to date).
   */
  restart(name: string): Promise<void>;
}

export interface ClusterOptions {
  /** Configuration files, logs, the pid file and the processes' data directory. */
  runDir: string;
  /** A PostgreSQL role that may create databases: postgres://user[:password]@host:port/… */
  postgresUrl: string;
  /** Names the three databases: <prefix> (the read model), <prefix>_temporal, <prefix>_temporal_visibility. */
  databasePrefix: string;
  ports: ClusterPorts;
  /** Keep the processes running when the caller exits (`npm run cluster`); a test keeps them attached. */
  detach: boolean;
  /** More environment for Đôn đốc's processes (SMTP_URL, the worker's tuning, LOG_LEVEL, …). */
  env?: Record<string, string>;
  /** Temporal's log level (default warn). */
  temporalLogLevel?: string;
  /** Build the Temporal server with Go when it is not cached (default true). */
  build?: boolean;
  log?: (message: string) => void;
}

/** The ports of `npm run cluster`: Temporal from `temporalBase` up, the APIs and workers from `apiBase` up. */
export function defaultPorts(temporalBase = 7300, apiBase = 3100): ClusterPorts {
  if (!Number.isInteger(temporalBase) || temporalBase < 1024 || temporalBase + 2 * TEMPORAL_PROCESSES.length > 32_767)
    throw new Error('The Temporal ports must lie between 1024 and 32767 (Temporal keeps them in a smallint)');
  const temporal = Object.fromEntries(
    TEMPORAL_PROCESSES.map((name, i) => [name, { grpc: temporalBase + 2 * i, membership: temporalBase + 2 * i + 1 }]),
  ) as Omit<TemporalPorts, 'frontendHttp'>;
  return {
    temporal: { ...temporal, frontendHttp: temporalBase + 2 * TEMPORAL_PROCESSES.length },
    apis: [apiBase + 1, apiBase + 2],
    workers: [apiBase + 11, apiBase + 12],
  };
}

/** Whether a TCP port is free on 127.0.0.1 right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Ports free right now on 127.0.0.1, for a cluster beside anything else (a test). Below 32768:
 * Temporal keeps each process's membership port in a PostgreSQL smallint, and the system's own
 * free ports (port 0) are above it.
 */
export async function freeClusterPorts(counts = { apis: 2, workers: 2 }): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const free = async () => {
    for (;;) {
      const port = 20_000 + Math.floor(Math.random() * 12_000);
      if (!taken.has(port) && (await portIsFree(port))) {
        taken.add(port);
        return port;
      }
    }
  };
  const temporal: Partial<TemporalPorts> = { frontendHttp: await free() };
  for (const name of TEMPORAL_PROCESSES) temporal[name] = { grpc: await free(), membership: await free() };
  const many = async (n: number) => {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) ports.push(await free());
    return ports;
  };
  return { temporal: temporal as TemporalPorts, apis: await many(counts.apis), workers: await many(counts.workers) };
}

export async function readClusterState(runDir: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(join(runDir, STATE_FILE), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/**
 * Stops the cluster whose pid file is in `runDir`: Đôn đốc's APIs and workers first (a worker
 * finishes its activities in flight), then Temporal's internal worker, frontend and matching, and
 * last the history processes. Returns false when there was nothing to stop.
 */
export async function stopCluster(runDir: string, log: (message: string) => void = () => {}): Promise<boolean> {
  const state = await readClusterState(runDir);
  if (!state) return false;
  const isTemporal = (p: ClusterProcess) => (TEMPORAL_PROCESSES as readonly string[]).includes(p.name);
  const groups = [
    state.processes.filter((p) => !isTemporal(p)),
    state.processes.filter((p) => ['internal-worker', 'frontend', 'matching'].includes(p.name)),
    state.processes.filter((p) => p.name.startsWith('history')),
  ];
  let running = false;
  for (const group of groups) {
    const live = group.filter(isRunning);
    if (live.length === 0) continue;
    running = true;
    log(`Stopping ${live.map((p) => p.name).join(', ')}`);
    // Đôn đốc's worker may take its activities' grace and force time (about 25 s) to stop.
    const killed = await stopProcesses(live, 35_000);
    if (killed.length > 0) log(`Killed after the grace time: ${killed.join(', ')}`);
  }
  await rm(join(runDir, STATE_FILE), { force: true });
  return running;
}

async function writeState(runDir: string, state: ClusterState): Promise<void> {
  await writeFile(join(runDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Waits for `ready`, failing as soon as one of `processes` has ended (with the end of its log). */
async function waitFor<T>(
  what: string,
  processes: Spawned[],
  timeoutMs: number,
  ready: () => Promise<T | undefined>,
): Promise<T> {
  let ended: string | undefined;
  for (const p of processes)
    void p.exited.then((how) => {
      ended ??= `${p.record.name} ended (${how}) while waiting for ${what}. The end of ${p.record.log}:\n${logTail(p.record)}`;
    });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (ended) throw new Error(ended);
    try {
      const value = await ready();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(
    `${what} did not happen within ${timeoutMs / 1000} s` +
      (lastError instanceof Error ? ` (last error: ${lastError.message})` : ''),
  );
}

interface ProcessSpec {
  spawn: SpawnOptions;
  /** Answers true once the process serves; absent where only the others can tell (history, matching). */
  ready?: () => Promise<true | undefined>;
}

/** The names under which each Temporal service answers gRPC's health checks. */
const HEALTH_SERVICES: Record<string, string> = {
  frontend: 'temporal.api.workflowservice.v1.WorkflowService',
  history: 'temporal.api.workflowservice.v1.HistoryService',
  matching: 'temporal.api.workflowservice.v1.MatchingService',
  worker: 'temporal.api.workflowservice.v1.WorkerService',
};

/** A Temporal process's own gRPC health check (a lazy connection: it calls nothing else). */
const grpcServing = (port: number, service: string | undefined) => async () => {
  const connection = Connection.lazy({ address: `127.0.0.1:${port}`, connectTimeout: 2000 });
  try {
    const health = await connection.withDeadline(Date.now() + 2000, () => connection.healthService.check({ service }));
    return health.status === 1 ? true : undefined; // SERVING
  } finally {
    await connection.close();
  }
};

const httpReady = (url: string) => async () =>
  (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })).ok ? true : undefined;

/** Registers Đôn đốc's namespace unless it is there, as the compose file's job does; true when it registered it. */
async function ensureNamespace(connection: Connection): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace: CLUSTER_NAMESPACE });
    return false;
  } catch (error) {
    if ((error as { code?: number }).code !== 5) throw error; // NOT_FOUND: register it
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace: CLUSTER_NAMESPACE,
      workflowExecutionRetentionPeriod: msToTs(NAMESPACE_RETENTION_HOURS * 3_600_000),
    });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code !== 6) throw error; // ALREADY_EXISTS: another start was first
    return false;
  }
}

/**
 * Starts the whole cluster: Temporal's databases and schema, its five processes (frontend, two
 * history, matching, internal worker), the namespace, then Đôn đốc's APIs (the first one applies
 * the migrations) and workers, all on one read model. On any failure what was started is stopped.
 */
export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const log = options.log ?? (() => {});
  const { runDir, ports } = options;
  const previous = await readClusterState(runDir);
  if (previous?.processes.some(isRunning))
    throw new Error(`A cluster is already running from ${runDir}: stop it first (npm run cluster -- stop).`);

  const logs = join(runDir, 'logs');
  const configDir = join(runDir, 'temporal');
  const dataDir = join(runDir, 'data');
  for (const dir of [runDir, logs, configDir, dataDir]) await mkdir(dir, { recursive: true, mode: 0o700 });

  const tools = await findTemporalServer({ log, ...(options.build === undefined ? {} : { build: options.build }) });
  log(`Temporal server ${TEMPORAL_SERVER_VERSION}: ${tools.source}`);
  const postgres = postgresServer(options.postgresUrl);
  const databases: ClusterDatabases = clusterDatabases(options.databasePrefix);
  await prepareTemporalDatabases(tools.sqlTool, postgres, databases, log);
  if (await ensureDatabase(postgres, databases.readModel))
    log(`Created the read model's database ${databases.readModel}`);

  const temporalAddress = `127.0.0.1:${ports.temporal.frontend.grpc}`;
  const addresses: ClusterAddresses = {
    temporal: temporalAddress,
    namespace: CLUSTER_NAMESPACE,
    taskQueue: TASK_QUEUE,
    apis: ports.apis.map((port) => `http://127.0.0.1:${port}`),
    workerHealth: ports.workers.map((port) => `http://127.0.0.1:${port}`),
    readModel: databaseUrl(postgres, databases.readModel),
    bootstrapTokenFile: join(dataDir, 'bootstrap-token'),
    dataDir,
    logs,
  };
  const state: ClusterState = {
    temporalServer: TEMPORAL_SERVER_VERSION,
    historyShards: NUM_HISTORY_SHARDS,
    startedAt: new Date().toISOString(),
    addresses,
    processes: [],
  };
  const stop = async () => {
    await stopCluster(runDir, log);
  };
  /** How each process is started, and how to tell that it is ready: kept for `restart`. */
  const specs = new Map<string, ProcessSpec>();
  const launch = async (spec: ProcessSpec): Promise<Spawned> => {
    specs.set(spec.spawn.name, spec);
    const spawned = spawnLogged(spec.spawn);
    const index = state.processes.findIndex((p) => p.name === spec.spawn.name);
    if (index >= 0) state.processes[index] = spawned.record;
    else state.processes.push(spawned.record);
    await writeState(runDir, state);
    return spawned;
  };

  const environment = processEnvironment();
  const dondocSpawn = (name: string, args: string[], extra: Record<string, string>): SpawnOptions => ({
    name,
    command: process.execPath,
    args,
    env: {
      PATH: environment.PATH,
      HOME: environment.HOME,
      HOST: '127.0.0.1',
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: CLUSTER_NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      DATABASE_URL: addresses.readModel,
      DONDOC_DATA_DIR: dataDir,
      // As in docker-compose.yml and on Kubernetes: a job migrates, the APIs and workers check.
      DONDOC_MIGRATE_AT_START: 'false',
      LOG_LEVEL: 'info',
      ...options.env,
      ...extra,
    },
    cwd: root,
    log: join(logs, `${name}.log`),
    marker: 'bin/dondoc.js',
    detach: options.detach,
  });
  let migration: Spawned | undefined;

  try {
    // The frontend first and alone: the first process on new databases records the cluster's
    // metadata, and processes started together would race to record it (all but one then exit).
    const temporal: Spawned[] = [];
    const launchTemporal = async (name: TemporalProcess) => {
      const configFile = join(configDir, `${name}.yaml`);
      await writeFile(
        configFile,
        temporalConfig({
          process: name,
          ports: ports.temporal,
          databases: { ...postgres, temporal: databases.temporal, visibility: databases.visibility },
          dynamicConfigFile: DYNAMIC_CONFIG,
          logLevel: options.temporalLogLevel ?? 'warn',
        }),
        { mode: 0o600 },
      );
      const spawned = await launch({
        spawn: {
          name,
          command: tools.server,
          args: ['--config-file', configFile, '--allow-no-auth', 'start', '--service', serviceOf(name)],
          // No call home from the server (the dynamic configuration's default reads this variable).
          env: { TEMPORAL_VERSION_CHECK_DISABLED: '1' },
          cwd: runDir,
          log: join(logs, `temporal-${name}.log`),
          marker: configFile,
          detach: options.detach,
        },
        // History answers SERVING once it holds its first shards.
        ready: grpcServing(ports.temporal[name].grpc, HEALTH_SERVICES[serviceOf(name)]),
      });
      temporal.push(spawned);
      return spawned;
    };
    const serving = (processes: Spawned[]) =>
      Promise.all(
        processes.map((p) =>
          waitFor(`Temporal's ${p.record.name} to serve`, temporal, 120_000, specs.get(p.record.name)!.ready!),
        ),
      );
    const [frontend, ...others] = TEMPORAL_PROCESSES;
    await serving([await launchTemporal(frontend)]);
    log(`Temporal's ${frontend} serving at ${temporalAddress}`);

    // While the others start: Đôn đốc's migrations, as the compose file's job runs them, and the namespace.
    const rest: Spawned[] = [];
    for (const name of others) rest.push(await launchTemporal(name));
    migration = spawnLogged(dondocSpawn('migrate', ['bin/dondoc.js', 'migrate'], {}));
    const migrated = migration.exited.then((how) => {
      if (how !== 'exit code 0')
        throw new Error(
          `dondoc migrate failed (${how}). The end of ${migration!.record.log}:\n${logTail(migration!.record)}`,
        );
      log(`Migrations of ${databases.readModel} applied`);
    });
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      const registered = await waitFor(`the namespace ${CLUSTER_NAMESPACE}`, temporal, 60_000, () =>
        ensureNamespace(connection),
      );
      log(
        registered
          ? `Namespace ${CLUSTER_NAMESPACE} registered (retention ${NAMESPACE_RETENTION_HOURS} h)`
          : `Namespace ${CLUSTER_NAMESPACE} is there`,
      );
    } finally {
      await connection.close();
    }
    await Promise.all([serving(rest), migrated]);
    log(`Temporal's ${others.join(', ')} serving`);

    // Đôn đốc's processes all at once, as package.json's `api` and `worker` scripts start them.
    const dondoc: Spawned[] = [];
    for (const [i, port] of ports.apis.entries())
      dondoc.push(
        await launch({
          spawn: dondocSpawn(`api-${i + 1}`, [...API_NODE_FLAGS, 'bin/dondoc.js', 'api'], {
            PORT: String(port),
          }),
          ready: httpReady(addresses.apis[i]!),
        }),
      );
    for (const [i, port] of ports.workers.entries())
      dondoc.push(
        await launch({
          spawn: dondocSpawn(`worker-${i + 1}`, [...WORKER_NODE_FLAGS, 'bin/dondoc.js', 'worker'], {
            DONDOC_WORKER_HEALTH_PORT: String(port),
          }),
          ready: httpReady(addresses.workerHealth[i]!),
        }),
      );
    await Promise.all(
      dondoc.map((p) =>
        waitFor(`${p.record.name} to be ready`, [...temporal, ...dondoc], 180_000, specs.get(p.record.name)!.ready!),
      ),
    );
    log(`${dondoc.map((p) => p.record.name).join(', ')} ready`);
  } catch (error) {
    if (migration && isRunning(migration.record)) await stopProcesses([migration.record], 5_000);
    await stop();
    throw error;
  }

  const restart = async (name: string) => {
    const spec = specs.get(name);
    const current = state.processes.find((p) => p.name === name);
    if (!spec || !current) throw new Error(`No process ${name} in this cluster`);
    if (isRunning(current)) await stopProcesses([current], 35_000);
    const spawned = await launch(spec);
    if (spec.ready) await waitFor(`${name} to be ready`, [spawned], 180_000, spec.ready);
  };
  return { ...state, stop, restart };
}

/** Removes what a stopped cluster left in its run directory (a test's). */
export async function removeRunDir(runDir: string): Promise<void> {
  await rm(runDir, { recursive: true, force: true });
}
