import { connectDatabase } from '../db/client.ts';
import { installTemporalLogging, startWorker } from '../worker/main.ts';
import { loadConfig } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { requireServiceAddresses } from '../runtime/require-services.ts';
import { Shutdown } from '../runtime/shutdown.ts';

/** `dondoc worker`: one worker process against a running Temporal and PostgreSQL. */
export async function run(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ name: 'dondoc-worker', level: config.logLevel });
  const { temporalAddress, databaseUrl } = requireServiceAddresses(config, 'The worker');
  installTemporalLogging(logger);
  const shutdown = new Shutdown(logger);
  shutdown.onSignals();
  const database = connectDatabase(databaseUrl, { max: config.worker.databasePoolSize });
  shutdown.add('database connections', database.close);
  const worker = await startWorker({
    temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    db: database.db,
    logger,
    tuning: config.worker,
  });
  shutdown.add('worker', worker.stop);
  logger.info({ taskQueue: config.taskQueue, temporalAddress, tuning: config.worker }, 'worker running');
  await Promise.race([shutdown.finished, worker.done.catch((error) => logger.error({ err: error }, 'worker failed'))]);
  await shutdown.stop();
  return 0;
}
