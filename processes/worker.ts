import { sql } from 'drizzle-orm';
import { connectDatabase } from '../db/client.ts';
import { installTemporalLogging, startWorker } from '../worker/main.ts';
import { WORKER_SHUTDOWN } from '../worker/create-worker.ts';
import { startHealthServer } from '../worker/health-server.ts';
import { loadConfig } from '../runtime/config.ts';
import { connectTemporalClient } from '../runtime/connect.ts';
import { checkDeploymentIdentity, DeploymentMismatch } from '../runtime/deployment-identity.ts';
import { createLogger } from '../runtime/logger.ts';
import { requireServiceAddresses } from '../runtime/require-services.ts';
import { Shutdown } from '../runtime/shutdown.ts';
import { processMailer } from '../runtime/mail.ts';
import { deliveryOf } from '../runtime/delivery.ts';
import { ensureDeliveryDispatcher } from '../services/delivery-dispatch.ts';
import { ensureHousekeeping } from '../services/housekeeping.ts';
import { openFileStore } from '../runtime/file-stores.ts';
import { loadCalendarData } from '../runtime/calendar-files.ts';
import { runOwedWork } from './owed-work.ts';

/** `dondoc worker`: one worker process against a running Temporal and PostgreSQL. */
export async function run(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ name: 'dondoc-worker', level: config.logLevel });
  const { temporalAddress, databaseUrl } = requireServiceAddresses(config, 'The worker');
  installTemporalLogging(logger);
  const shutdown = new Shutdown(logger);
  shutdown.onSignals();
  let failed = false;
  try {
    const database = connectDatabase(databaseUrl, { max: config.worker.databasePoolSize });
    shutdown.add('database connections', database.close);
    const mailer = processMailer(config);
    shutdown.add('mail transport', mailer.close);
    // The same store as the API's: the housekeeping removes files that never went with a submission.
    const files = await openFileStore(config.fileStorage);
    shutdown.add('file store', files.close);

    // A worker on a namespace that belongs to another database would write that one's workflows here.
    const temporal = await connectTemporalClient(temporalAddress, config.temporalNamespace, config.temporalAccess);
    try {
      const identity = await checkDeploymentIdentity({
        db: database.db,
        client: temporal,
        taskQueue: config.taskQueue,
        where: {
          database: 'DATABASE_URL',
          temporal: `namespace "${config.temporalNamespace}" at ${temporalAddress}`,
        },
        warn: (message) => logger.warn(message),
      });
      logger.info(identity, 'deployment identity checked');
      await ensureDeliveryDispatcher(temporal, config.taskQueue);
      await ensureHousekeeping(temporal, config.taskQueue);
    } catch (error) {
      await temporal.connection.close();
      throw error;
    }
    shutdown.add('Temporal client', () => temporal.connection.close());

    // Before the worker, so that a stop ends the worker first: the worker's own stop is timed from
    // the signal, and nothing may stand before it.
    const owed = runOwedWork({
      deps: { db: database.db, temporal: { client: temporal, taskQueue: config.taskQueue } },
      logger,
      calendarVersion: (await loadCalendarData()).version,
    });
    shutdown.add('rounds of owed work', owed.stop);
    const worker = await startWorker({
      temporalAddress,
      temporalAccess: config.temporalAccess,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      db: database.db,
      logger,
      tuning: config.worker,
      delivery: deliveryOf(config, mailer),
      files,
    });
    // Its grace time for activities in flight, then its force time, and a margin to close the connection.
    shutdown.add('worker', worker.stop, WORKER_SHUTDOWN.forceMs + 5_000);
    if (config.workerHealthPort !== undefined) {
      const live = () => ['INITIALIZED', 'RUNNING'].includes(worker.worker.getState());
      const health = await startHealthServer({
        host: config.host,
        port: config.workerHealthPort,
        live,
        ready: async () => {
          await database.db.execute(sql`select 1`);
          return true;
        },
      });
      shutdown.add('health endpoints', health.stop);
      logger.info({ port: health.port }, 'worker health endpoints listening (/healthz, /readyz)');
    }
    logger.info({ taskQueue: config.taskQueue, temporalAddress, tuning: config.worker }, 'worker running');
    await Promise.race([
      shutdown.finished,
      worker.done.catch((error) => {
        failed = true;
        logger.error({ err: error }, 'worker failed');
      }),
    ]);
  } catch (error) {
    failed = true;
    logger.error({ err: error }, error instanceof Error ? error.message : 'worker start failed');
    if (error instanceof DeploymentMismatch) process.stderr.write(`\n${error.message}\n\n`);
  }
  await shutdown.stop();
  return failed ? 1 : 0;
}
