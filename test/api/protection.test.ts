import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { createTestContext, quietLogger, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

let ctx: TestContext;
let app: FastifyInstance;
const budget = 3;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApp(ctx.deps, { logger: quietLogger(), requestsPerMinute: budget });
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const list = (headers: Record<string, string>, remoteAddress = '10.0.0.1') =>
  app.inject({ method: 'GET', url: '/v1/assignments', headers, remoteAddress });

describe('request budget and security headers', () => {
  it('gives each valid token its own budget and answers 429 as a problem in Vietnamese once it is spent', async () => {
    const tokens = testTokens(ctx);
    const snv = bearer(await tokens.agency('SNV'));
    const syt = bearer(await tokens.agency('SYT'));
    for (let i = 0; i < budget; i += 1) expect((await list(snv)).statusCode).toBe(200);
    const refused = await list(snv);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 429, detail: expect.stringContaining('Quá nhiều yêu cầu') });
    // Another agency behind the same address is not held back by the first one's requests.
    expect((await list(syt)).statusCode).toBe(200);
  });

  it('counts made-up tokens against the address, so inventing them buys no extra requests', async () => {
    const answers: number[] = [];
    for (let i = 0; i < budget + 2; i += 1)
      answers.push((await list(bearer(`dd_invented-${i}`), '10.0.0.2')).statusCode);
    expect(answers).toEqual([401, 401, 401, 429, 429]);
  });

  it('sends the usual security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.0.0.3' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['strict-transport-security']).toBeDefined();
  });
});
