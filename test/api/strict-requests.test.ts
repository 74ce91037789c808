import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createTestContext, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx);
  coordinator = bearer(await testTokens(ctx).coordinator());
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: coordinator });

describe('requests say exactly what they mean', () => {
  it('refuses an unknown query parameter, naming it, instead of returning the unfiltered list', async () => {
    const typo = await get('/v1/assignments?statsu=overdue');
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors).toEqual([expect.objectContaining({ field: 'querystring:/statsu' })]);
    expect((await get('/v1/assignments?status=assigned')).statusCode).toBe(200);
  });

  it.each([
    '/v1/notifications?unread=true&seen=1',
    '/v1/escalations?levle=2',
    '/v1/audit?who=x',
    '/v1/tokens?all=1',
    '/v1/assignments/nope:1:SNV?expand=1',
  ])('refuses %s', async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
