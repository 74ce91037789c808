import { createServer } from 'node:http';

/** A database that does not answer within this is as good as down. */
const READY_TIMEOUT_MS = 2000;

export interface HealthServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * The worker process's two probes, for an orchestrator (Kubernetes, Docker's HEALTHCHECK): `/healthz`
 * answers 200 while the worker runs, `/readyz` 200 while it runs and its database answers. Nothing
 * else is served; the answers carry no detail beyond a word.
 */
export function startHealthServer(options: {
  host: string;
  port: number;
  live: () => boolean;
  ready: () => Promise<boolean>;
}): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const answer = (ok: boolean) => {
      response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end(ok ? 'ok\n' : 'unavailable\n');
    };
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      answer(options.live());
    } else if (path === '/readyz') {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
      });
      void Promise.race([options.ready(), late])
        .finally(() => clearTimeout(timer))
        .then(
          (ok) => answer(ok && options.live()),
          () => answer(false),
        );
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : options.port,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
