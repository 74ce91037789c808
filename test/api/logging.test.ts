import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildApp } from '../../api/app.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { testTokens } from '../support/auth.ts';

let ctx: TestContext;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx?.close();
});

describe('API logs', () => {
  it('carry a request ID on every request line and never a token', async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(
          ...String(chunk)
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        );
        done();
      },
    });
    const app = await buildApp(ctx.deps, { logger: pino({ level: 'info' }, sink) });
    const token = await testTokens(ctx).coordinator();
    await app.inject({ method: 'GET', url: '/v1/assignments', headers: { authorization: `Bearer ${token}` } });
    await app.inject({
      method: 'GET',
      url: '/v1/assignments',
      headers: { authorization: 'Bearer dd_not-a-real-token' },
    });
    await app.inject({
      method: 'POST',
      url: '/v1/tokens',
      payload: { role: 'leadership', name: 'Chánh Văn phòng' },
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'trace-123' },
    });
    await app.close();

    const requestLines = lines.filter((l) => l.req || l.res);
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    expect(requestLines.every((l) => typeof l.requestId === 'string' && (l.requestId as string).length > 0)).toBe(true);
    expect(lines.some((l) => l.requestId === 'trace-123')).toBe(true);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(token);
    expect(text).not.toContain('dd_not-a-real-token');
    expect(text).not.toMatch(/authorization/i);
    expect(text).not.toContain('Chánh Văn phòng');
  });
});
