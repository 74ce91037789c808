import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { CidrError, parseCidrList, type CidrRange } from '../domain/webhook-target.ts';
import type { TemporalAccess } from './connect.ts';

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
  /** TLS (mutual TLS with a client certificate) and API key towards TEMPORAL_ADDRESS. */
  temporalAccess: TemporalAccess;
  taskQueue: string;
  /** A PostgreSQL URL; absent means `npm start` runs the embedded database itself. */
  databaseUrl?: string;
  /** Where the embedded services keep their files. */
  dataDir: string;
  temporalPort: number;
  temporalUiPort: number;
  logLevel: string;
  /** The first coordinator token, when given instead of generated. */
  bootstrapToken?: string;
  /** Requests per minute allowed to one token (or one address without a token), per API process. */
  requestsPerMinute: number;
  /**
   * Which reverse proxies to believe about the client's address (X-Forwarded-For) and protocol
   * (X-Forwarded-Proto), as Fastify's `trustProxy` takes it: false (none: the default), true (any),
   * or the proxies' addresses and CIDR ranges.
   */
  trustProxy: TrustProxy;
  /** Serve the interactive API documentation (Swagger UI, which needs inline scripts) at /docs. */
  apiDocs: boolean;
  /** PostgreSQL connections of one API process. */
  apiDatabasePoolSize: number;
  /** Server-sent event streams (`GET /v1/events`) one API process keeps open at most. */
  maxEventStreams: number;
  /**
   * Whether the API (and `npm start`) apply the migrations at start. Off where a separate job runs
   * `dondoc migrate` as the database's owner and the processes run as a role that may only read and
   * write rows: they then check that no migration is pending, and refuse to start otherwise.
   */
  migrateAtStart: boolean;
  /** Port of the worker process's health endpoints (`/healthz`, `/readyz`); absent: none. */
  workerHealthPort?: number;
  worker: WorkerTuning;
  /** Where notifications go out by e-mail and webhook. */
  delivery: DeliveryConfig;
  /** Where the API keeps deliverable files: a directory (`<dataDir>/files` by default) or an S3-compatible bucket. */
  fileStorage: FileStorageConfig;
}

export type FileStorageConfig = { kind: 'directory'; dir: string } | S3StorageConfig;

/** A bucket of AWS S3 or of any service that speaks its API (MinIO, Ceph, the clouds of Viettel, VNPT, …). */
export interface S3StorageConfig {
  kind: 's3';
  bucket: string;
  /** Put before each key, without slashes at either end; empty for the bucket's root. */
  prefix: string;
  /** http(s) URL of an S3-compatible service; absent: AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  /** `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint>/<key>`. */
  forcePathStyle: boolean;
  /** Absent: the AWS SDK's own sources (AWS_* variables, its shared files, the machine's role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** SMTP connections a process keeps open unless SMTP_MAX_CONNECTIONS says (nodemailer's own is 5). */
export const DEFAULT_SMTP_CONNECTIONS = 10;
/**
 * Workflows one worker keeps in memory between their tasks, unless told. The SDK's own default grows
 * with the heap's limit (about 2,300 on a machine with a 4 GiB heap); with 50,000 open workflows a
 * worker then held 1.8 GiB, against 835 MiB with 1,000 and its old generation capped at 640 MiB
 * (BENCHMARKS.md, national scale). An assignment rests between commands and the plan fires its
 * shared timers, so one that is not cached is seldom woken, and replays a short history when it is.
 */
export const DEFAULT_CACHED_WORKFLOWS = 1000;

export interface DeliveryConfig {
  /** smtp:// (STARTTLS when offered) or smtps:// (TLS), with user, password and options; absent: .eml files. */
  smtpUrl?: string;
  /** The sender: "Đôn đốc <dondoc@snv.example.gov.vn>". */
  mailFrom: string;
  /** Connections each process keeps open to the SMTP server (SMTP_MAX_CONNECTIONS). */
  smtpConnections: number;
  /** The web app's address, for the links in e-mails and webhooks. */
  publicUrl: string;
  retryWindowMs: number;
  maxBackoffMs: number;
  pollIntervalMs: number;
  /**
   * Internal ranges a webhook may be sent to (a receiver on the province's own network); every
   * other loopback, private, link-local, multicast or reserved address is refused.
   */
  webhookAllow: CidrRange[];
}

export type TrustProxy = boolean | string[];

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

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (text === undefined || text === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** Names proxy-addr (behind Fastify's trustProxy) knows for ranges of addresses. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: true/false, or a comma list of addresses, CIDR ranges and range names. Not a hop
 * count: Fastify trusts no proxy for one, since a hop count cannot tell a proxy from a client
 * that sends X-Forwarded-For itself.
 */
function trustProxy(env: NodeJS.ProcessEnv): TrustProxy {
  const text = env.TRUST_PROXY?.trim();
  if (text === undefined || text === '' || ['false', 'no', 'off'].includes(text.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(text.toLowerCase())) return true;
  if (/^\d+$/.test(text))
    throw new ConfigError(
      `TRUST_PROXY must name the proxies (addresses or CIDR ranges, e.g. "10.0.0.0/8"), or be true; a hop count ("${text}") ` +
        'cannot tell a proxy from a client that sends X-Forwarded-For itself',
    );
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (PROXY_RANGES.has(entry.toLowerCase())) continue;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const validPrefix = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (family === 0 || !validPrefix || rest.length > 0)
      throw new ConfigError(
        `TRUST_PROXY: "${entry}" is not an address, a CIDR range or one of ${[...PROXY_RANGES].join(', ')} ` +
          '(or set true or false)',
      );
  }
  return entries;
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

/**
 * TLS and API key towards TEMPORAL_ADDRESS, under the names of Temporal's own client environment
 * configuration: TLS is on with TEMPORAL_TLS=true or any TEMPORAL_TLS_* path or name (and with an
 * API key, which Temporal sends only over TLS).
 */
function temporalAccess(env: NodeJS.ProcessEnv): TemporalAccess {
  const certFile = optional(env, 'TEMPORAL_TLS_CLIENT_CERT_PATH');
  const keyFile = optional(env, 'TEMPORAL_TLS_CLIENT_KEY_PATH');
  const caFile = optional(env, 'TEMPORAL_TLS_SERVER_CA_CERT_PATH');
  const serverName = optional(env, 'TEMPORAL_TLS_SERVER_NAME');
  const apiKey = optional(env, 'TEMPORAL_API_KEY');
  if (Boolean(certFile) !== Boolean(keyFile))
    throw new ConfigError(
      'TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together: the client certificate and its key',
    );
  const on = flag(env, 'TEMPORAL_TLS', false) || Boolean(certFile || caFile || serverName);
  const tls = on ? { certFile, keyFile, caFile, serverName } : undefined;
  return { ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}) };
}

function url(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // The value may hold a password: it is not repeated in the message.
    throw new ConfigError(`${name} is not a URL`);
  }
  if (!protocols.includes(parsed.protocol))
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return value;
}

function deliveryConfig(env: NodeJS.ProcessEnv, port: number): DeliveryConfig {
  const mailFrom = optional(env, 'MAIL_FROM') ?? 'Đôn đốc <dondoc@localhost>';
  if (!/@[^\s@>]+>?$/.test(mailFrom))
    throw new ConfigError(
      `MAIL_FROM must be an e-mail address, optionally with a name: "Đôn đốc <dondoc@example.gov.vn>"`,
    );
  return {
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom,
    smtpConnections: count(env, 'SMTP_MAX_CONNECTIONS') ?? DEFAULT_SMTP_CONNECTIONS,
    publicUrl: (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    retryWindowMs: (count(env, 'DONDOC_DELIVERY_RETRY_HOURS') ?? 24) * 3_600_000,
    maxBackoffMs: (count(env, 'DONDOC_DELIVERY_MAX_BACKOFF_SECONDS') ?? 600) * 1000,
    pollIntervalMs: count(env, 'DONDOC_DELIVERY_POLL_MS') ?? 5000,
    webhookAllow: cidrList(env, 'DONDOC_WEBHOOK_ALLOW'),
  };
}

function cidrList(env: NodeJS.ProcessEnv, name: string): CidrRange[] {
  try {
    return parseCidrList(env[name] ?? '');
  } catch (error) {
    if (error instanceof CidrError)
      throw new ConfigError(`${name} is a comma-separated list of IPv4 or IPv6 ranges: ${error.message}`);
    throw error;
  }
}

/**
 * FILE_STORAGE_URL=s3://bucket/prefix puts deliverable files in a bucket; unset, they stay in
 * `<dataDir>/files`. The S3_* variables say where the bucket is and how to sign in to it.
 */
function fileStorageConfig(env: NodeJS.ProcessEnv, dataDir: string): FileStorageConfig {
  const location = optional(env, 'FILE_STORAGE_URL');
  const s3Settings = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'];
  if (location === undefined) {
    const stray = s3Settings.filter((name) => optional(env, name) !== undefined);
    if (stray.length > 0)
      throw new ConfigError(
        `${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but FILE_STORAGE_URL is not: ` +
          'set FILE_STORAGE_URL=s3://bucket/prefix to keep deliverable files in that bucket',
      );
    return { kind: 'directory', dir: join(dataDir, 'files') };
  }
  const match = /^s3:\/\/([^/?#]+)(\/[^?#]*)?$/.exec(location);
  if (!match)
    throw new ConfigError(
      `FILE_STORAGE_URL must be s3://bucket or s3://bucket/prefix (unset: files are kept in ${join(dataDir, 'files')})`,
    );
  const bucket = match[1]!;
  if (!/^[a-z0-9][a-z0-9._-]{1,253}[a-z0-9]$/i.test(bucket))
    throw new ConfigError(
      // Not repeated: a mistaken "s3://key:secret@bucket" would put the secret in the log.
      'FILE_STORAGE_URL: the bucket name (after s3://) must be 3 to 255 letters, digits, ".", "-" or "_"',
    );
  const endpoint = url(env, 'S3_ENDPOINT', ['http:', 'https:'])?.replace(/\/+$/, '');
  if (endpoint && new URL(endpoint).username)
    throw new ConfigError('S3_ENDPOINT must not hold credentials: use S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  const region = optional(env, 'S3_REGION') ?? (endpoint ? 'us-east-1' : undefined);
  if (!region)
    throw new ConfigError('S3_REGION is needed for AWS S3 (or set S3_ENDPOINT for another S3-compatible service)');
  const accessKeyId = optional(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = optional(env, 'S3_SECRET_ACCESS_KEY');
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: the access key and its secret');
  return {
    kind: 's3',
    bucket,
    prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, ''),
    ...(endpoint ? { endpoint } : {}),
    region,
    // Most S3-compatible services are reached by path; AWS S3 by the bucket's own host name.
    forcePathStyle: flag(env, 'S3_FORCE_PATH_STYLE', Boolean(endpoint)),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  };
}

/**
 * The process's environment, read here and nowhere else (a lint rule holds every other file to it):
 * the tool finders (`temporal-cli.ts`, `go-tools.ts`) take it whole, since the programs they run
 * need PATH, HOME and Go's own variables as the operator set them.
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

export function loadConfig(env: NodeJS.ProcessEnv = processEnvironment(), cwd = process.cwd()): Config {
  if (optional(env, 'DONDOC_EMBEDDED_DB_PORT') !== undefined)
    throw new ConfigError(
      'DONDOC_EMBEDDED_DB_PORT is no longer used: the embedded database listens on a Unix socket in DONDOC_DATA_DIR, ' +
        'reachable by its owner only (remove the setting)',
    );
  const dataDir = resolve(cwd, optional(env, 'DONDOC_DATA_DIR') ?? '.data');
  return {
    port: integer(env, 'PORT', 3000),
    host: optional(env, 'HOST') ?? '0.0.0.0',
    temporalAddress: optional(env, 'TEMPORAL_ADDRESS'),
    temporalNamespace: optional(env, 'TEMPORAL_NAMESPACE') ?? 'default',
    temporalAccess: temporalAccess(env),
    taskQueue: optional(env, 'TEMPORAL_TASK_QUEUE') ?? 'dondoc',
    databaseUrl: optional(env, 'DATABASE_URL'),
    dataDir,
    temporalPort: integer(env, 'TEMPORAL_DEV_PORT', 7233),
    temporalUiPort: integer(env, 'TEMPORAL_UI_PORT', 8233),
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    bootstrapToken: strongToken(env, 'DONDOC_BOOTSTRAP_TOKEN'),
    requestsPerMinute: count(env, 'DONDOC_RATE_LIMIT') ?? 600,
    trustProxy: trustProxy(env),
    apiDocs: flag(env, 'DONDOC_API_DOCS', false),
    apiDatabasePoolSize: count(env, 'DONDOC_API_DB_POOL_SIZE') ?? 10,
    maxEventStreams: count(env, 'DONDOC_MAX_EVENT_STREAMS') ?? 500,
    migrateAtStart: flag(env, 'DONDOC_MIGRATE_AT_START', true),
    workerHealthPort: env.DONDOC_WORKER_HEALTH_PORT?.trim() ? integer(env, 'DONDOC_WORKER_HEALTH_PORT', 0) : undefined,
    worker: {
      maxCachedWorkflows: count(env, 'DONDOC_WORKER_MAX_CACHED_WORKFLOWS'),
      maxConcurrentWorkflowTasks: count(env, 'DONDOC_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'),
      maxConcurrentActivities: count(env, 'DONDOC_WORKER_MAX_CONCURRENT_ACTIVITIES') ?? 50,
      databasePoolSize: count(env, 'DONDOC_WORKER_DB_POOL_SIZE') ?? 10,
    },
    delivery: deliveryConfig(env, integer(env, 'PORT', 3000)),
    fileStorage: fileStorageConfig(env, dataDir),
  };
}
