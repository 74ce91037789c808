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

  const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers: coordinator });

  it.each([
    ['a NUL byte in the query', () => get('/v1/assignments?q=ab%00cd'), 'querystring:/q'],
    ['a NUL byte in an id', () => get('/v1/assignments/ab%00cd'), 'params:/id'],
    ['a NUL byte in a JSON body', () => post('/v1/tokens', { role: 'leadership', name: 'Văn\u0000phòng' }), '/name'],
    ['a NUL byte in a JSON key', () => post('/v1/notifications/read', { 'i\u0000ds': [1] }), '/i\\0ds'],
    [
      'an id beyond what the database holds',
      () => post('/v1/notifications/99999999999999999999/read', {}),
      'params:/id',
    ],
    ['ids beyond what the database holds', () => post('/v1/notifications/read', { ids: [1e20] }), '/ids/0'],
    [
      'a cursor beyond what the database holds',
      () => get(`/v1/notifications?cursor=${cursorOf([1e20])}`),
      'querystring:/cursor',
    ],
    ['a level out of range', () => get('/v1/escalations?level=1000000000000'), 'querystring:/level'],
  ])('answers %s with 400 naming the field, never 500', async (_what, send, field) => {
    const response = await send();
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('takes a large JSON body only for a plan import, and checks who sends it before reading it', async () => {
    // 2 MB of JSON: too much for anything but a plan.
    const big = { role: 'leadership', name: 'x', padding: 'x'.repeat(2 * 1024 * 1024) };
    expect((await post('/v1/tokens', big)).statusCode).toBe(413);
    // 21 MB: over even the plan limit; an agency is refused for who it is, before the size matters.
    const agency = bearer(await testTokens(ctx).agency('SNV'));
    const huge = app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: { ...agency, 'content-type': 'application/json' },
      payload: JSON.stringify({ padding: 'x'.repeat(21 * 1024 * 1024) }),
    });
    expect((await huge).statusCode).toBe(403);
  });

  it('refuses task texts longer than a workflow input should carry, naming the task', async () => {
    const response = await post('/v1/plans', {
      code: 'DAI/KH',
      title: 'Kế hoạch',
      province: 'Vĩnh Phúc',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      tasks: [{ number: '1', title: 'Rà soát '.repeat(1500), leads: ['Sở Nội vụ'], dueDate: '2026-06-30' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: '/tasks/0' })]);
  });
});
