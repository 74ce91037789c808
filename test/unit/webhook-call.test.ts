import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  answerFailure,
  callWebhook,
  MAX_ANSWER_BYTES,
  WebhookFailure,
  type Resolver,
  type WebhookCallOptions,
} from '../../activities/webhook-call.ts';
import { parseCidrList } from '../../domain/webhook-target.ts';

/**
 * The webhook call against real HTTP servers on loopback. Loopback is what an attacker aims at, so
 * most tests call it without the allow list and check that nothing arrives; those that need a
 * message to arrive allow 127.0.0.0/8 as an operator would allow a receiver on the premises.
 */

interface Receiver {
  port: number;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function receiver(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<Receiver> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    request.resume();
    request.on('end', () => answer(request, response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const ok = (_request: IncomingMessage, response: ServerResponse) => response.writeHead(204).end();
const loopbackAllowed = parseCidrList('127.0.0.0/8, ::1/128');
const options = (more: Partial<WebhookCallOptions> = {}): WebhookCallOptions => ({
  allow: [],
  timeoutMs: 5_000,
  maxAnswerBytes: MAX_ANSWER_BYTES,
  ...more,
});
const failureOf = async (promise: Promise<unknown>): Promise<WebhookFailure> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookFailure);
  return error as WebhookFailure;
};
/** A resolver that answers from a table and counts its lookups. */
function resolverOf(table: Record<string, string[][]>): Resolver & { calls: number } {
  const answers = new Map(Object.entries(table).map(([name, rounds]) => [name, [...rounds]]));
  const resolve = async (hostname: string) => {
    resolve.calls += 1;
    const rounds = answers.get(hostname);
    const round = rounds && rounds.length > 1 ? rounds.shift()! : rounds?.[0];
    if (!round) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return round.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  resolve.calls = 0;
  return resolve;
}

describe('a webhook cannot be aimed inside', () => {
  it('refuses loopback in every notation without connecting, and says only "refused-target"', async () => {
    const target = await receiver(ok);
    for (const host of ['127.0.0.1', '0x7f.1', '2130706433', '127.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]']) {
      const failure = await failureOf(callWebhook(`http://${host}:${target.port}/hook`, '{}', {}, options()));
      expect(failure.category).toBe('refused-target');
      expect(failure.detail).toBe('loopback');
      expect(failure.message).not.toContain(String(target.port));
    }
    expect(target.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to an internal address, even when one address of several is', async () => {
    const resolve = resolverOf({
      'hooks.example.vn': [['10.0.0.5']],
      'split.example.vn': [['203.0.113.10', '127.0.0.1']],
      'cloud.example.vn': [['169.254.169.254']],
    });
    expect((await failureOf(callWebhook('https://hooks.example.vn/x', '{}', {}, options({ resolve })))).detail).toBe(
      'private',
    );
    expect((await failureOf(callWebhook('https://split.example.vn/x', '{}', {}, options({ resolve })))).detail).toBe(
      'loopback',
    );
    // The metadata service stays refused though its whole range is allowed.
    const allow = parseCidrList('169.254.0.0/16');
    const metadata = await failureOf(callWebhook('http://cloud.example.vn/', '{}', {}, options({ resolve, allow })));
    expect(metadata).toMatchObject({ category: 'refused-target', detail: 'metadata' });
    expect((await failureOf(callWebhook('http://metadata.google.internal/', '{}', {}, options()))).detail).toBe(
      'metadata',
    );
  });

  it('connects to the address it checked, keeping the name in Host, and looks the name up once', async () => {
    const target = await receiver(ok);
    const resolve = resolverOf({ 'receiver.example.vn': [['127.0.0.1']] });
    const answer = await callWebhook(
      `http://receiver.example.vn:${target.port}/hook`,
      '{"a":1}',
      { 'content-type': 'application/json' },
      options({ resolve, allow: loopbackAllowed }),
    );
    expect(answer).toEqual({ status: 204, bytesRead: 0, truncated: false });
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]!.headers.host).toBe(`receiver.example.vn:${target.port}`);
    expect(resolve.calls).toBe(1);
  });

  it('is not fooled by a name that answers a public address when checked and loopback afterwards', async () => {
    const target = await receiver(ok);
    const resolve = resolverOf({ 'rebind.example.vn': [['203.0.113.10'], ['127.0.0.1']] });
    const failure = await failureOf(
      callWebhook(`http://rebind.example.vn:${target.port}/`, '{}', {}, options({ resolve, timeoutMs: 1_000 })),
    );
    // It went to the documentation address it checked (nothing answers there), never to loopback.
    expect(['unreachable', 'timeout']).toContain(failure.category);
    expect(target.requests).toHaveLength(0);
    expect(resolve.calls).toBe(1);
  });

  it('does not follow a redirect', async () => {
    const inside = await receiver(ok);
    const redirecting = await receiver((_q, response) =>
      response.writeHead(302, { location: `http://127.0.0.1:${inside.port}/admin` }).end(),
    );
    const answer = await callWebhook(
      `http://127.0.0.1:${redirecting.port}/`,
      '{}',
      {},
      options({ allow: loopbackAllowed }),
    );
    expect(answerFailure(answer)?.category).toBe('redirect');
    expect(inside.requests).toHaveLength(0);
  });

  it('refuses a URL with credentials in it, sending nothing', async () => {
    const target = await receiver(ok);
    const failure = await failureOf(
      callWebhook(`http://u:p@127.0.0.1:${target.port}/`, '{}', {}, options({ allow: loopbackAllowed })),
    );
    expect(failure.category).toBe('bad-address');
    expect(target.requests).toHaveLength(0);
  });
});

describe("what an agency learns of a receiver's failure is a category", () => {
  it('tells 4xx, 5xx, a closed port and a silent receiver apart only as categories', async () => {
    const allow = loopbackAllowed;
    const five = await receiver((_q, response) => response.writeHead(503).end('busy'));
    const four = await receiver((_q, response) => response.writeHead(404).end());
    const silent = await receiver(() => {});
    const closed = await receiver(ok);
    await closed.close();
    const status = async (port: number) =>
      answerFailure(await callWebhook(`http://127.0.0.1:${port}/`, '{}', {}, options({ allow })))?.category;
    expect(await status(five.port)).toBe('http-5xx');
    expect(await status(four.port)).toBe('http-4xx');
    const refused = await failureOf(callWebhook(`http://127.0.0.1:${closed.port}/`, '{}', {}, options({ allow })));
    expect(refused.category).toBe('unreachable');
    expect(refused.detail).toBe('ECONNREFUSED');
    expect(refused.message).not.toContain('127.0.0.1');
    const late = await failureOf(
      callWebhook(`http://127.0.0.1:${silent.port}/`, '{}', {}, options({ allow, timeoutMs: 300 })),
    );
    expect(late.category).toBe('timeout');
  });
});

describe("a receiver's answer is read to at most 64 KiB", () => {
  it('drops the connection of a receiver that answers without end, having read at most one chunk past the limit', async () => {
    let written = 0;
    let cut = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const endless = await receiver((_q, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.on('close', () => {
        cut = true;
      });
      // Up to 400 MB, as fast as the client takes it: the size that took the process to 2 GB.
      const pump = () => {
        while (!cut && written < 400 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!cut) response.end();
      };
      pump();
    });
    const answer = await callWebhook(
      `http://127.0.0.1:${endless.port}/`,
      '{}',
      {},
      options({ allow: loopbackAllowed }),
    );
    expect(answer.status).toBe(200);
    expect(answer.truncated).toBe(true);
    expect(answer.bytesRead).toBeGreaterThan(MAX_ANSWER_BYTES);
    expect(answer.bytesRead).toBeLessThanOrEqual(MAX_ANSWER_BYTES + 64 * 1024);
    expect(answerFailure(answer)).toBeUndefined();
    await expect.poll(() => cut).toBe(true);
    // What the receiver got rid of before the cut is what the sockets' buffers held, not 400 MB.
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });
});
