import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_NODE_FLAGS } from '../../cluster/settings.ts';
import { freePort } from '../../runtime/free-port.ts';
import type { BenchEnvironment } from './environment.ts';

export interface RunningApi {
  url: string;
  /** Headers every request carries: the bearer token of a coordinator made for the bench. */
  headers: Record<string, string>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The real API as its own process (`dondoc api`, started as package.json's `api` script starts
 * it), against the bench's database and Temporal, with `token` as its coordinator token; stopped
 * by `stop`.
 */
export async function startApiProcess(
  env: Pick<BenchEnvironment, 'databaseUrl' | 'temporalAddress'>,
  options: {
    token: string;
    taskQueue?: string;
    poolSize?: number;
    /** A file descriptor for the process's stderr (its log); ours by default. */
    stderr?: number;
    /** LOG_LEVEL of the process (BENCH_API_LOG_LEVEL, else warn). */
    logLevel?: string;
    /** More of its configuration. */
    env?: Record<string, string>;
  },
): Promise<RunningApi & { pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'dondoc-bench-api-'));
  // BENCH_API_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the API process.
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...API_NODE_FLAGS, ...nodeArgs, 'bin/dondoc.js', 'api'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      ...(options.taskQueue ? { TEMPORAL_TASK_QUEUE: options.taskQueue } : {}),
      DONDOC_DATA_DIR: dataDir,
      DONDOC_BOOTSTRAP_TOKEN: options.token,
      DONDOC_RATE_LIMIT: '1000000000',
      LOG_LEVEL: options.logLevel ?? process.env.BENCH_API_LOG_LEVEL ?? 'warn',
      ...(options.poolSize ? { DONDOC_API_DB_POOL_SIZE: String(options.poolSize) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'ignore', options.stderr ?? 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the API process did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    headers: { authorization: `Bearer ${options.token}` },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The API process for a scenario that imports through it, stopped with the environment. */
export async function startApi(env: BenchEnvironment, taskQueue: string): Promise<RunningApi> {
  const api = await startApiProcess(env, { token: `dd_bench-${randomBytes(24).toString('base64url')}`, taskQueue });
  env.onTeardown(api.stop);
  return api;
}

/**
 * Sends one JSON request and reads the answer. node:http rather than fetch: fetch gives up on a
 * response that takes longer than five minutes, and a large import may.
 */
export function postJson(api: RunningApi, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${api.url}${path}`,
      {
        method: 'POST',
        headers: { ...api.headers, 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: text });
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
