// npm run cluster [-- start|stop|status|build] [options]: a real Temporal cluster on this machine's
// PostgreSQL — frontend, two history processes, matching and the internal worker, each its own
// process, built from Temporal's code with Go — with two Đôn đốc workers and two APIs on one read
// model. `start` returns once everything answers and leaves the processes running; `stop` ends them.
//
// Options:
//   --dir DIR            run directory: configuration, logs, pid file, data (default .data/cluster)
//   --postgres URL       a PostgreSQL role that may create databases (default postgres://postgres@127.0.0.1:5432/postgres)
//   --prefix NAME        names the databases NAME, NAME_temporal, NAME_temporal_visibility (default dondoc_cluster)
//   --temporal-port N    Temporal's ports from N up (default 7300: the frontend's gRPC)
//   --api-port N         APIs on N+1 and N+2, workers' health on N+11 and N+12 (default 3100)

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { defaultPorts, readClusterState, startCluster, stopCluster, type ClusterState } from './cluster.ts';
import { isRunning, residentMiB } from './processes.ts';
import { findTemporalServer } from './temporal-server.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const log = (message: string) => console.log(message);

function describe(state: ClusterState): string {
  const { addresses } = state;
  const rows = state.processes.map((p) => {
    const rss = isRunning(p) ? `${residentMiB(p.pid) ?? '?'} MiB` : 'not running';
    return `  ${p.name.padEnd(15)} pid ${String(p.pid).padEnd(8)} ${rss.padEnd(12)} ${p.log}`;
  });
  return [
    `Temporal server ${state.temporalServer}, ${state.historyShards} history shards, started ${state.startedAt}`,
    `  Temporal frontend:  ${addresses.temporal} (namespace ${addresses.namespace}, task queue ${addresses.taskQueue})`,
    ...addresses.apis.map((url, i) => `  API ${i + 1}:             ${url}`),
    ...addresses.workerHealth.map((url, i) => `  worker ${i + 1} health:    ${url}/readyz`),
    `  Read model:         ${addresses.readModel}`,
    `  Coordinator token:  ${addresses.bootstrapTokenFile} (written by API 1 when the read model had none)`,
    `  Data:               ${addresses.dataDir}`,
    'Processes:',
    ...rows,
  ].join('\n');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: '.data/cluster' },
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      prefix: { type: 'string', default: 'dondoc_cluster' },
      'temporal-port': { type: 'string', default: '7300' },
      'api-port': { type: 'string', default: '3100' },
    },
  });
  const runDir = resolve(root, values.dir);
  const command = positionals[0] ?? 'start';
  switch (command) {
    case 'build': {
      const tools = await findTemporalServer({ log });
      log(`temporal-server: ${tools.server}\ntemporal-sql-tool: ${tools.sqlTool}`);
      return 0;
    }
    case 'stop': {
      const stopped = await stopCluster(runDir, log);
      log(stopped ? 'The cluster is stopped.' : `No cluster is running from ${runDir}.`);
      return 0;
    }
    case 'status': {
      const state = await readClusterState(runDir);
      if (!state) {
        log(`No cluster is running from ${runDir}.`);
        return 1;
      }
      log(describe(state));
      return state.processes.every(isRunning) ? 0 : 1;
    }
    case 'start': {
      const started = Date.now();
      const cluster = await startCluster({
        runDir,
        postgresUrl: values.postgres,
        databasePrefix: values.prefix,
        ports: defaultPorts(Number(values['temporal-port']), Number(values['api-port'])),
        detach: true,
        log,
      });
      log(
        `\nThe cluster is running (started in ${Math.round((Date.now() - started) / 1000)} s).\n${describe(cluster)}`,
      );
      log('Stop it with: npm run cluster -- stop');
      return 0;
    }
    default:
      console.error('usage: npm run cluster [-- start|stop|status|build] [--dir DIR] [--postgres URL] [--prefix NAME]');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
