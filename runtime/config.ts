import { resolve } from 'node:path';

/**
 * How much one worker process takes on at once. Absent fields keep the Temporal SDK's defaults;
 * BENCHMARKS.md shows what they change on a small machine.
 */
export interface WorkerTuning {
  /** Workflows kept in memory between their tasks (a workflow not cached is replayed from its history). */
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTasks?: number;
  maxConcurrentActivities: number;
  /** PostgreSQL connections of the worker's activities. */
  databasePoolSize: number;
}

/** Everything Đôn đốc reads from its environment, read once by an entry point. */
export interface Config {
  /** HTTP port of the API. */
  port: number;
  host: string;
  /** A running Temporal frontend (host:port); absent means `npm start` runs the dev server itself. */
  temporalAddress?: string;
  temporalNamespace: string;
  taskQueue: string;
  /** A PostgreSQL URL; absent means `npm start` runs the embedded database itself. */
  databaseUrl?: string;
  /** Where the embedded services keep their files. */
  dataDir: string;
  temporalPort: number;
  temporalUiPort: number;
  embeddedDatabasePort: number;
  logLevel: string;
  /** The first coordinator token, when given instead of generated. */
  bootstrapToken?: string;
  /** Requests per minute allowed to one token (or one address without a token), per API process. */
  requestsPerMinute: number;
  /** PostgreSQL connections of one API process. */
  apiDatabasePoolSize: number;
  worker: WorkerTuning;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${name} must be a port number (0–65535), got "${text}"`);
  }
  return value;
}

function count(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be a whole number from 1, got "${text}"`);
  return value;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * A configured bootstrap token is a coordinator's key: at least 32 characters of the URL-safe
 * alphabet (what `dondoc` itself generates: "dd_" and 43 of them), with some variety, so that a
 * placeholder like "changeme" or "0000…" is refused at start rather than left guessable.
 */
function strongToken(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  if (value.length < 32 || !/^[A-Za-z0-9_-]+$/.test(value) || new Set(value).size < 10)
    throw new ConfigError(
      `${name} must be at least 32 characters of A–Z, a–z, 0–9, "_" and "-", not a repeated pattern ` +
        '(leave it unset and one is generated)',
    );
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  return {
    port: integer(env, 'PORT', 3000),
    host: optional(env, 'HOST') ?? '0.0.0.0',
    temporalAddress: optional(env, 'TEMPORAL_ADDRESS'),
    temporalNamespace: optional(env, 'TEMPORAL_NAMESPACE') ?? 'default',
    taskQueue: optional(env, 'TEMPORAL_TASK_QUEUE') ?? 'dondoc',
    databaseUrl: optional(env, 'DATABASE_URL'),
    dataDir: resolve(cwd, optional(env, 'DONDOC_DATA_DIR') ?? '.data'),
    temporalPort: integer(env, 'TEMPORAL_DEV_PORT', 7233),
    temporalUiPort: integer(env, 'TEMPORAL_UI_PORT', 8233),
    embeddedDatabasePort: integer(env, 'DONDOC_EMBEDDED_DB_PORT', 54329),
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    bootstrapToken: strongToken(env, 'DONDOC_BOOTSTRAP_TOKEN'),
    requestsPerMinute: count(env, 'DONDOC_RATE_LIMIT') ?? 600,
    apiDatabasePoolSize: count(env, 'DONDOC_API_DB_POOL_SIZE') ?? 10,
    worker: {
      maxCachedWorkflows: count(env, 'DONDOC_WORKER_MAX_CACHED_WORKFLOWS'),
      maxConcurrentWorkflowTasks: count(env, 'DONDOC_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'),
      maxConcurrentActivities: count(env, 'DONDOC_WORKER_MAX_CONCURRENT_ACTIVITIES') ?? 50,
      databasePoolSize: count(env, 'DONDOC_WORKER_DB_POOL_SIZE') ?? 10,
    },
  };
}
