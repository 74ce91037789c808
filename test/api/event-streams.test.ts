import { get as httpGet, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { MAX_STREAMS_PER_PRINCIPAL } from '../../api/routes/events.ts';
import { setAccountDisabled } from '../../services/accounts.ts';
import { acceptInvitation, invite } from '../../services/invitations.ts';
import { ChangeFeed } from '../../services/change-feed.ts';
import { createToken } from '../../services/tokens.ts';
import type { Principal } from '../../domain/permissions.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { importSimulatedPlan, quietPolicy } from '../support/assignments.ts';

/**
 * GET /v1/events (issue 20, item 6): streams bounded per caller and per process, fed by one poller
 * for all of them, and ended as soon as the caller loses its right to listen. Streams are real
 * HTTP connections to a listening server, as a browser's EventSource opens them.
 */

let ctx: TestContext;
let app: FastifyInstance;
let base: string;
let as: Record<'coordinator' | 'SYT' | 'STP', Record<string, string>>;
const streams: Stream[] = [];

interface Stream {
  status: number;
  headers: IncomingMessage['headers'];
  /** The events' names so far ("ready", "assignments", "revoked"). */
  events: string[];
  /** The answer's body when it is not a stream (a problem). */
  body: () => string;
  ended: boolean;
  close(): void;
}

/** Opens GET /v1/events and resolves once the answer's head is in. */
function open(target: string, headers: Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = httpGet(
      `${target}/v1/events`,
      { headers: { accept: 'text/event-stream', ...headers } },
      (response) => {
        let text = '';
        const stream: Stream = {
          status: response.statusCode ?? 0,
          headers: response.headers,
          events: [],
          body: () => text,
          ended: false,
          close: () => request.destroy(),
        };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          stream.events = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]!);
        });
        response.on('end', () => (stream.ended = true));
        response.on('close', () => (stream.ended = true));
        streams.push(stream);
        resolve(stream);
      },
    );
    request.on('error', reject);
  });
}

const until = <T>(probe: () => T | undefined, what: string, timeoutMs = 10_000) =>
  eventually(async () => probe(), timeoutMs, what);

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx, { maxEventStreams: 8 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const tokens = testTokens(ctx);
  as = {
    coordinator: bearer(await tokens.coordinator()),
    SYT: bearer(await tokens.agency('SYT')),
    STP: bearer(await tokens.agency('STP')),
  };
  // Work for SYT only; no worker runs, so nothing changes it but the test.
  await importSimulatedPlan(ctx, {
    virtualStart: '2026-03-19T08:00:00+07:00',
    secondsPerDay: 86_400,
    policy: quietPolicy,
    tasks: [{ leads: ['SYT'], deadline: { kind: 'date', due: '2026-12-31', raw: 'Năm 2026' } }],
  });
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  await app?.close();
  await ctx?.close();
});

/** Closes the streams the test opened, and waits until the server has let go of them. */
async function closeAll(): Promise<void> {
  for (const stream of streams.splice(0)) stream.close();
  await new Promise((r) => setTimeout(r, 200));
}

/** What the projection does when an assignment changes: a new version and updated_at. */
const touchSytWork = () =>
  ctx.database.db.execute(
    sql`update assignments set version = version + 1, updated_at = now() where agency_code = 'SYT'`,
  );

describe('event streams', () => {
  it('tells the streams whose scope changed, and only those', async () => {
    const syt = await open(base, as.SYT);
    const coordinator = await open(base, as.coordinator);
    const stp = await open(base, as.STP);
    for (const s of [syt, coordinator, stp]) await until(() => s.events.includes('ready') || undefined, 'ready');
    await touchSytWork();
    await until(() => syt.events.includes('assignments') || undefined, "SYT's event");
    await until(() => coordinator.events.includes('assignments') || undefined, "the coordinator's event");
    // STP sees none of that work; by now the poller has looked at its scope at least once since.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(stp.events).toEqual(['ready']);
    await closeAll();
  });

  it(`refuses a ${MAX_STREAMS_PER_PRINCIPAL + 1}th stream of one token with 429, and takes it once one closed`, async () => {
    const first = [];
    for (let i = 0; i < MAX_STREAMS_PER_PRINCIPAL; i++) first.push(await open(base, as.SYT));
    expect(first.map((s) => s.status)).toEqual([200, 200, 200]);
    const fourth = await open(base, as.SYT);
    await until(() => fourth.ended || undefined, 'the refusal');
    expect(fourth.status).toBe(429);
    expect(fourth.headers['retry-after']).toBe('30');
    expect(fourth.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(fourth.body()).detail).toBe(
      'Đã mở đủ 3 luồng cập nhật trực tiếp cho cùng một tài khoản hoặc mã truy cập; hãy đóng bớt trang đang mở.',
    );
    // Another caller is not held back by SYT's streams.
    expect((await open(base, as.STP)).status).toBe(200);
    first[0]!.close();
    const again = await eventually(
      async () => {
        const s = await open(base, as.SYT);
        if (s.status === 200) return s;
        s.close();
        return undefined;
      },
      10_000,
      'a stream after one closed',
    );
    expect(again.status).toBe(200);
    await closeAll();
  });

  it('refuses streams past the process ceiling with 503 and Retry-After', async () => {
    const small = await buildTestApp(ctx, { maxEventStreams: 2 });
    await small.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = small.server.address();
      const target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      expect((await open(target, as.SYT)).status).toBe(200);
      expect((await open(target, as.STP)).status).toBe(200);
      const third = await open(target, as.coordinator);
      await until(() => third.ended || undefined, 'the refusal');
      expect(third.status).toBe(503);
      expect(third.headers['retry-after']).toBe('30');
      expect(JSON.parse(third.body()).detail).toBe(
        'Máy chủ đang phục vụ quá nhiều luồng cập nhật trực tiếp; vui lòng thử lại sau.',
      );
    } finally {
      await closeAll();
      await small.close();
    }
  });

  it("ends a token's stream when the token is revoked", async () => {
    const machine = await createToken(ctx.database.db, {
      name: 'hệ thống một cửa',
      role: 'agency',
      agencyCode: 'SYT',
      registry: 'vinh-phuc',
      createdBy: 'test',
    });
    const stream = await open(base, bearer(machine.token));
    await until(() => stream.events.includes('ready') || undefined, 'ready');
    const revoked = await app.inject({ method: 'DELETE', url: `/v1/tokens/${machine.id}`, headers: as.coordinator });
    expect(revoked.statusCode).toBe(200);
    await until(() => stream.ended || undefined, 'the stream to end', 5_000);
    expect(stream.events).toEqual(['ready', 'revoked']);
    // And it cannot open another.
    const after = await open(base, bearer(machine.token));
    expect(after.status).toBe(401);
    await closeAll();
  });

  it("ends a person's stream when they sign out, and when their account is disabled", async () => {
    const by = { role: 'coordinator' as const, name: 'test' };
    const person = async (email: string) => {
      const invitation = await invite(ctx.database.db, {
        email,
        name: 'Nguyễn Văn An',
        role: 'agency',
        agency: 'SYT',
        registry: 'vinh-phuc',
        by,
      });
      return acceptInvitation(ctx.database.db, invitation.token, 'mật khẩu đủ dài');
    };
    const an = await person('an@syt.vinhphuc.gov.vn');
    const binh = await person('binh@syt.vinhphuc.gov.vn');
    const cookie = (id: string) => ({ cookie: `dondoc_session=${id}` });
    const anStream = await open(base, cookie(an.session.id));
    const binhStream = await open(base, cookie(binh.session.id));
    for (const s of [anStream, binhStream]) await until(() => s.events.includes('ready') || undefined, 'ready');

    const signOut = await app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { ...cookie(an.session.id), 'x-csrf-token': an.session.csrfToken },
    });
    expect(signOut.statusCode).toBe(204);
    await until(() => anStream.ended || undefined, "An's stream to end", 5_000);
    expect(anStream.events).toEqual(['ready', 'revoked']);
    expect(binhStream.ended).toBe(false);

    await setAccountDisabled(ctx.database.db, binh.account.id, true, by);
    await until(() => binhStream.ended || undefined, "Bình's stream to end", 5_000);
    expect(binhStream.events).toEqual(['ready', 'revoked']);
    await closeAll();
  });
});

describe('one poller for every stream', () => {
  it('asks the database twice a round, however many streams and callers are open', async () => {
    let queries = 0;
    const counted = new Proxy(ctx.database.db, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property !== 'execute' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          queries += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Database;
    const feed = new ChangeFeed(counted, { intervalMs: 3_600_000, maxStreams: 100, maxPerPrincipal: 3 });
    const told: string[] = [];
    // Real tokens, so that each round also checks that every one of them is still valid.
    const principals: Principal[] = [];
    for (const [i, agency] of ['SYT', 'SYT', 'STP', 'SGD', 'SYT', 'STP'].entries()) {
      const token = await createToken(ctx.database.db, {
        name: `p${i}`,
        role: 'agency',
        agencyCode: agency,
        registry: 'vinh-phuc',
        createdBy: 'test',
      });
      principals.push({ role: 'agency', agencyCode: agency, registry: 'vinh-phuc', name: `p${i}`, tokenId: token.id });
    }
    const coordinatorToken = await createToken(ctx.database.db, { name: 'c', role: 'coordinator', createdBy: 'test' });
    principals.push({ role: 'coordinator', name: 'c', tokenId: coordinatorToken.id });
    for (const principal of principals) {
      const opened = await feed.open(principal, undefined, {
        changed: () => told.push(principal.name),
        revoked: () => told.push(`revoked ${principal.name}`),
      });
      expect(opened.ok).toBe(true);
    }
    queries = 0;
    await feed.tick();
    expect(queries).toBe(2);
    await touchSytWork();
    queries = 0;
    await feed.tick();
    expect(queries).toBe(2);
    expect(told.sort()).toEqual(['c', 'p0', 'p1', 'p4']);
    feed.stop();
  });
});
