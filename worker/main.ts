import { GracefulShutdownPeriodExpiredError, Runtime, type Worker } from '@temporalio/worker';
import type { Database } from '../db/client.ts';
import type { WorkerTuning } from '../runtime/config.ts';
import type { Logger } from '../runtime/logger.ts';
import { loadCalendar, warnOfProvisionalYears, type CalendarData } from '../runtime/calendar-files.ts';
import { connectWorker, type TemporalAccess } from '../runtime/connect.ts';
import type { ActivityDeps } from '../activities/index.ts';
import { createWorker, WORKER_SHUTDOWN } from './create-worker.ts';

let runtimeInstalled = false;

/**
 * Sends the Temporal SDK's own logs through our pino logger. Must run before anything of the SDK's
 * runtime (the dev server, a worker) starts, once per process.
 */
export function installTemporalLogging(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const log = logger.child({ component: 'temporal-sdk' });
  const forward =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') => (message: string, meta?: Record<string, unknown>) =>
      log[level](meta ?? {}, message);
  Runtime.install({
    logger: {
      log: (level, message, meta) => forward(level.toLowerCase() as 'info')(message, meta),
      trace: forward('trace'),
      debug: forward('debug'),
      info: forward('info'),
      warn: forward('warn'),
      error: forward('error'),
    },
  });
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(options: {
  temporalAddress: string;
  /** TLS and API key towards the address, if it needs them. */
  temporalAccess?: TemporalAccess;
  namespace: string;
  taskQueue: string;
  db: Database;
  logger: Logger;
  tuning?: Partial<WorkerTuning>;
  /** E-mail and webhook delivery; absent, this worker runs no delivery. */
  delivery?: ActivityDeps['delivery'];
  /** The deliverable files' store, which the housekeeping sweeps. */
  files?: ActivityDeps['files'];
  /** The calendar data, when the caller has read it (and told its provisional years): `npm start` reads it once for all. */
  calendar?: CalendarData;
}): Promise<RunningWorker> {
  const connection = await connectWorker(options.temporalAddress, options.temporalAccess);
  let calendar = options.calendar?.calendar;
  if (!calendar) {
    calendar = await loadCalendar();
    warnOfProvisionalYears(calendar, options.logger);
  }
  const worker = await createWorker({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    deps: { db: options.db, calendar, delivery: options.delivery, files: options.files },
    tuning: options.tuning,
  });
  // What the worker really runs with, after the SDK's defaults: tuning that went astray shows here.
  const { tuner, maxCachedWorkflows } = worker.options;
  const slots = (supplier: unknown) =>
    supplier && typeof supplier === 'object' && 'numSlots' in supplier ? supplier.numSlots : 'resource-based';
  options.logger.info(
    {
      activitySlots: slots(tuner.activityTaskSlotSupplier),
      workflowTaskSlots: slots(tuner.workflowTaskSlotSupplier),
      maxCachedWorkflows,
    },
    'worker created',
  );
  if (options.delivery) options.logger.info(`e-mail goes to ${options.delivery.mailer.description}`);
  /** When a stop was asked for, if it was. */
  let stopAskedAt: number | undefined;
  const done = worker
    .run()
    .catch((error: unknown) => {
      // Asked to stop, and stopped at the force time: what still ran is abandoned, not a failure.
      // The SDK (1.24) may report it as an IllegalStateError of its own ending ("Worker still in
      // use") rather than GracefulShutdownPeriodExpiredError, so the time tells.
      const forced =
        error instanceof GracefulShutdownPeriodExpiredError ||
        (stopAskedAt !== undefined && Date.now() - stopAskedAt >= WORKER_SHUTDOWN.forceMs);
      if (stopAskedAt === undefined || !forced) throw error;
      options.logger.warn(
        {
          graceMs: WORKER_SHUTDOWN.graceMs,
          forceMs: WORKER_SHUTDOWN.forceMs,
          reason: error instanceof Error ? error.message : String(error),
        },
        'activities still running after the grace time were left to Temporal, which retries them when they time out',
      );
    })
    .finally(() => connection.close());
  return {
    worker,
    done,
    async stop() {
      stopAskedAt ??= Date.now();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
