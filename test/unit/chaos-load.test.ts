import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runClient, send, type PlannedCommand, type SentCommand } from '../../chaos/load.ts';

// The cluster's chaos run sends the agencies' commands to two APIs in turn: a command whose API
// gives no answer is retried on the other, with the same Idempotency-Key, so one API going away
// costs a retry, not a command.

interface Seen {
  server: string;
  key: string | undefined;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function api(name: string, status: number, seen: Seen[]): Promise<string> {
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ server: name, key: req.headers['idempotency-key'] as string | undefined });
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const command = (n: number): PlannedCommand => ({
  kind: 'acknowledge',
  assignmentId: `a${n}`,
  agency: 'SYT',
  path: `/v1/assignments/a${n}/acknowledge`,
  body: {},
});

describe('the chaos load on several APIs', () => {
  it('retries a command the first API could not answer on the other, with the same Idempotency-Key', async () => {
    const seen: Seen[] = [];
    const down = await api('down', 503, seen);
    const up = await api('up', 200, seen);
    const sent = await send([down, up], 'token', command(1), 0);
    expect(sent.outcome).toBe('answered-after-retry');
    expect(seen.map((s) => s.server)).toEqual(['down', 'up']);
    expect(seen[0]!.key).toBe(sent.requestId);
    expect(seen[1]!.key).toBe(sent.requestId);
  });

  it('sends one client’s commands to the APIs in turn', async () => {
    const seen: Seen[] = [];
    const urls = [await api('first', 200, seen), await api('second', 200, seen)];
    const recorded: SentCommand[] = [];
    await runClient({
      apiUrl: urls,
      token: 'token',
      commands: [1, 2, 3, 4].map(command),
      paceMs: 0,
      until: Date.now() + 60_000,
      record: (c) => recorded.push(c),
    });
    expect(recorded.map((c) => c.outcome)).toEqual(['answered', 'answered', 'answered', 'answered']);
    expect(seen.map((s) => s.server)).toEqual(['first', 'second', 'first', 'second']);
  });
});
