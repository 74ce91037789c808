import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { failedAuthenticationBudget } from '../../api/plugins/protection.ts';
import { createTestContext, quietLogger, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

let ctx: TestContext;
let app: FastifyInstance;
const budget = 3;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApp(ctx.deps, { logger: quietLogger(), requestsPerMinute: budget });
  apps.push(app);
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await ctx?.close();
});

const list = (headers: Record<string, string>, remoteAddress = '10.0.0.1', on = app) =>
  on.inject({ method: 'GET', url: '/v1/assignments', headers, remoteAddress });

const made = (i: number) => bearer(`dd_invented-${i}-${'x'.repeat(40)}`);

describe('request budget and security headers', () => {
  it('gives each valid token its own budget and answers 429 as a problem in Vietnamese once it is spent', async () => {
    const tokens = testTokens(ctx);
    const snv = bearer(await tokens.agency('SNV'));
    const syt = bearer(await tokens.agency('SYT'));
    for (let i = 0; i < budget; i += 1) expect((await list(snv)).statusCode).toBe(200);
    const refused = await list(snv);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json()).toMatchObject({ status: 429, detail: expect.stringContaining('Quá nhiều yêu cầu') });
    // Another agency behind the same address is not held back by the first one's requests.
    expect((await list(syt)).statusCode).toBe(200);
  });

  it('counts failed authentications on their own budget per address, so inventing tokens buys nothing', async () => {
    const failures = failedAuthenticationBudget(budget);
    const answers: number[] = [];
    for (let i = 0; i < failures + 2; i += 1) answers.push((await list(made(i), '10.0.0.2')).statusCode);
    expect(answers).toEqual([...Array<number>(failures).fill(401), 429, 429]);
    // Without any credentials it is the same budget.
    expect((await list({}, '10.0.0.2')).statusCode).toBe(429);
  });

  it("does not count the web app's own files, so loading pages never spends the budget of signing in", async () => {
    for (let i = 0; i < budget * 3; i += 1) {
      const file = await app.inject({ method: 'GET', url: '/app/app.js', remoteAddress: '10.0.0.6' });
      expect(file.statusCode).toBe(200);
    }
    const signIn = await app.inject({
      method: 'POST',
      url: '/v1/session',
      payload: { email: 'ai@snv.gov.vn', password: 'không phải mật khẩu' },
      remoteAddress: '10.0.0.6',
    });
    expect(signIn.statusCode).toBe(401);
  });

  it('sends the usual security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.0.0.3' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['strict-transport-security']).toBeDefined();
  });
});

describe('the interactive API documentation', () => {
  it('is not served unless DONDOC_API_DOCS=true, so no page of the site allows inline scripts', async () => {
    const docs = await app.inject({ method: 'GET', url: '/docs', remoteAddress: '10.0.0.4' });
    expect(docs.statusCode).toBe(404);
    expect(String(docs.headers['content-security-policy'])).not.toContain('unsafe-inline');
    expect((await app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '10.0.0.4' })).statusCode).toBe(200);
  });

  it('is served with its own policy when DONDOC_API_DOCS=true', async () => {
    const withDocs = await buildApp(ctx.deps, { logger: quietLogger(), apiDocs: true });
    apps.push(withDocs);
    const docs = await withDocs.inject({ method: 'GET', url: '/docs/', remoteAddress: '10.0.0.5' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
    expect(String(docs.headers['content-security-policy'])).toContain("script-src 'self' 'unsafe-inline'");
    const page = await withDocs.inject({ method: 'GET', url: '/', remoteAddress: '10.0.0.5' });
    expect(String(page.headers['content-security-policy'])).not.toContain('unsafe-inline');
  });
});

describe('a flood of random tokens from one address', () => {
  it('is refused, while valid callers behind the same address carry on', async () => {
    // The default budget: 600 requests a minute, 60 failed authentications.
    const shared = await buildApp(ctx.deps, { logger: quietLogger() });
    apps.push(shared);
    const address = '192.0.2.10';
    const coordinator = bearer(await testTokens(ctx).coordinator());
    // A person of the same office, signed in from the same address before the flood.
    const invited = await shared.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers: coordinator,
      payload: { email: 'hoa@snv.vinhphuc.gov.vn', name: 'Phạm Thị Hoa', role: 'leadership' },
      remoteAddress: '192.0.2.99',
    });
    const accepted = await shared.inject({
      method: 'POST',
      url: `/v1/invitations/${invited.json().token}/accept`,
      payload: { password: 'mật khẩu của Hoa 2026' },
      remoteAddress: address,
    });
    const cookie = String(accepted.headers['set-cookie']).split(';')[0]!;

    const statuses: number[] = [];
    for (let i = 0; i < 610; i += 1) statuses.push((await list(made(10_000 + i), address, shared)).statusCode);
    expect(statuses.slice(0, failedAuthenticationBudget(600))).toEqual(Array(60).fill(401));
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);

    // A token never used before (so it must be looked up), from the same address: served.
    const fresh = bearer(await testTokens(ctx).agency('SCT'));
    expect((await list(fresh, address, shared)).statusCode).toBe(200);
    expect((await list(coordinator, address, shared)).statusCode).toBe(200);
    // So is the person with a session, and the public pages (the sign-in page, the web app).
    expect((await list({ cookie }, address, shared)).statusCode).toBe(200);
    expect((await shared.inject({ method: 'GET', url: '/', remoteAddress: address })).statusCode).toBe(200);
  }, 120_000);
});

describe('TRUST_PROXY', () => {
  const throughProxy = (on: FastifyInstance, client: string, i: number) =>
    on.inject({
      method: 'GET',
      url: '/v1/assignments',
      headers: { ...made(20_000 + i), 'x-forwarded-for': client },
      remoteAddress: '10.1.1.1',
    });

  it('makes the budget per real client behind the named proxy', async () => {
    const behind = await buildApp(ctx.deps, {
      logger: quietLogger(),
      requestsPerMinute: budget,
      trustProxy: ['10.1.1.1'],
    });
    apps.push(behind);
    const failures = failedAuthenticationBudget(budget);
    for (let i = 0; i <= failures; i += 1) await throughProxy(behind, '203.0.113.7', i);
    expect((await throughProxy(behind, '203.0.113.7', 100)).statusCode).toBe(429);
    // Another client of the same proxy has its own budget.
    expect((await throughProxy(behind, '203.0.113.8', 101)).statusCode).toBe(401);
  });

  it('believes no X-Forwarded-For when it is not set: a client cannot claim a fresh address', async () => {
    const direct = await buildApp(ctx.deps, { logger: quietLogger(), requestsPerMinute: budget });
    apps.push(direct);
    const failures = failedAuthenticationBudget(budget);
    for (let i = 0; i <= failures; i += 1) await throughProxy(direct, `203.0.113.${i}`, 200 + i);
    expect((await throughProxy(direct, '198.51.100.1', 300)).statusCode).toBe(429);
  });
});
