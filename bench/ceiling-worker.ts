// The ceiling's worker process: `node bin/run-ts.js bench/ceiling-worker.ts`, with the same
// environment as `dondoc worker` (TEMPORAL_ADDRESS, DATABASE_URL, TEMPORAL_TASK_QUEUE and the
// DONDOC_WORKER_* tuning), so that it runs with exactly the settings our worker runs with.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { requireServiceAddresses } from '../runtime/require-services.ts';
import { Shutdown } from '../runtime/shutdown.ts';
import { installTemporalLogging } from '../worker/main.ts';
import { tuningOptions } from '../worker/create-worker.ts';
import { createCeilingActivities } from './ceiling-activities.ts';

const config = loadConfig();
const logger = createLogger({ name: 'bench-ceiling-worker', level: config.logLevel });
const { temporalAddress, databaseUrl } = requireServiceAddresses(config, 'The ceiling worker');
installTemporalLogging(logger);
const shutdown = new Shutdown(logger);
shutdown.onSignals();

const pool = new pg.Pool({
  connectionString: databaseUrl,
  max: config.worker.databasePoolSize,
  application_name: 'bench-ceiling',
});
pool.on('error', () => {});
shutdown.add('database connections', () => pool.end());
const connection = await NativeConnection.connect({ address: temporalAddress });
const worker = await Worker.create({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  activities: createCeilingActivities(pool),
  workflowBundle: await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./ceiling-workflows.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message) => logger.error(message) },
  }),
  ...tuningOptions(config.worker),
});
const done = worker.run().finally(() => connection.close());
shutdown.add('worker', async () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await done;
});
logger.info({ taskQueue: config.taskQueue, tuning: config.worker }, 'ceiling worker running');
await Promise.race([shutdown.finished, done.catch((error) => logger.error({ err: error }, 'ceiling worker failed'))]);
await shutdown.stop();
