import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { testTokens } from '../support/auth.ts';
import { createLogger } from '../../runtime/logger.ts';

let ctx: TestContext;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx?.close();
});

describe('API logs', () => {
  it('carry a request ID on every request line and never a token or an invitation link', async () => {
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
    // The processes' own logger, with its serializers and redaction.
    const logger = createLogger({ name: 'test', level: 'info', pretty: false, destination: sink });
    const app = await buildApp(ctx.deps, { logger });
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
    const invited = await app.inject({
      method: 'POST',
      url: '/v1/invitations',
      payload: { email: 'lan@snv.vinhphuc.gov.vn', name: 'Lê Thị Lan', role: 'leadership' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(invited.statusCode).toBe(201);
    const invitation = invited.json().token as string;
    expect(invitation).toMatch(/^inv_/);
    expect((await app.inject({ method: 'GET', url: `/v1/invitations/${invitation}` })).statusCode).toBe(200);
    const accepted = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${invitation}/accept`,
      payload: { password: 'mật khẩu đủ dài 2026' },
    });
    expect(accepted.statusCode).toBe(201);
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
    // The invitation link's secret is in the path: the request lines name the route, not the secret.
    expect(text).not.toContain(invitation);
    expect(text).not.toContain(invitation.slice(4));
    const urls = requestLines.map((l) => (l.req as { url?: string } | undefined)?.url).filter(Boolean);
    expect(urls).toContain('/v1/invitations/[redacted]');
    expect(urls).toContain('/v1/invitations/[redacted]/accept');
  });
});
