import { request } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../../api/app.ts';
import { createToken } from '../../api/auth/tokens.ts';
import { createLogger } from '../../runtime/logger.ts';
import type { BenchEnvironment } from './environment.ts';

export interface RunningApi {
  url: string;
  /** Headers every request carries: the bearer token of a coordinator made for the bench. */
  headers: Record<string, string>;
}

/**
 * The real API in this process (buildApp, listening on a free port), with its own Temporal
 * connection as an API process would have; stopped with the environment.
 */
export async function startApi(env: BenchEnvironment, taskQueue: string): Promise<RunningApi> {
  const connection = await Connection.connect({ address: env.temporalAddress });
  env.onTeardown(() => connection.close());
  const client = new Client({ connection, namespace: 'default' });
  const app = await buildApp(
    { db: env.database.db, temporal: { client, taskQueue } },
    { logger: createLogger({ name: 'bench-api', level: process.env.BENCH_API_LOG_LEVEL ?? 'warn', pretty: false }) },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  env.onTeardown(() => app.close());
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const { token } = await createToken(env.database.db, { name: 'bench', role: 'coordinator', createdBy: 'bench' });
  return { url: `http://127.0.0.1:${port}`, headers: { authorization: `Bearer ${token}` } };
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
