import { fileURLToPath } from 'node:url';
import {
  bundleWorkflowCode,
  Worker,
  type NativeConnection,
  type WorkerOptions as SdkWorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { DEFAULT_CACHED_WORKFLOWS, type WorkerTuning } from '../runtime/config.ts';
import type { Logger } from '../runtime/logger.ts';
import { createActivities, type ActivityDeps } from '../activities/index.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles the workflow code once; tests and benchmarks share one bundle across workers. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error(message: string, meta?: Record<string, unknown>) {
    console.error(message, meta ?? '');
  },
};

/**
 * How a worker asked to stop (SIGTERM, Ctrl-C) stops: activities in flight get `graceMs` to
 * finish, then they are cancelled, and their attempt fails so that Temporal retries it, on this
 * worker's successor or another; whatever still runs at `forceMs` (an activity that ignores its
 * cancellation, a query to a database that hangs) is abandoned, and Temporal retries it when its
 * timeout (or heartbeat timeout) expires.
 */
export const WORKER_SHUTDOWN = { graceMs: 10_000, forceMs: 15_000 } as const;

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  logger?: Logger;
  workflowBundle?: WorkflowBundleWithSourceMap;
  tuning?: Partial<WorkerTuning>;
}

/** The SDK's options for a tuning; absent fields keep the SDK's defaults but the cache's (above). */
export function tuningOptions(tuning: Partial<WorkerTuning> = {}): Partial<SdkWorkerOptions> {
  return {
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities ?? 50,
    ...(tuning.maxConcurrentWorkflowTasks
      ? { maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTasks }
      : {}),
    maxCachedWorkflows: tuning.maxCachedWorkflows ?? DEFAULT_CACHED_WORKFLOWS,
  };
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.deps),
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
    ...tuningOptions(options.tuning),
    shutdownGraceTime: WORKER_SHUTDOWN.graceMs,
    shutdownForceTime: WORKER_SHUTDOWN.forceMs,
  });
}
