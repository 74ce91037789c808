import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createToken, revokeToken } from '../../services/tokens.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer } from '../support/auth.ts';
import { samplePlan } from '../support/plans.ts';

let ctx: TestContext;
let app: FastifyInstance;
const headers: Record<string, Record<string, string>> = {};
let slug: string;

type Who = 'coordinator' | 'lead' | 'collaborator' | 'otherAgency' | 'leadership' | 'noToken' | 'revoked';
const everyone: Who[] = ['noToken', 'revoked', 'otherAgency', 'leadership', 'collaborator', 'lead', 'coordinator'];

const commands = [
  { path: 'acknowledge', body: {}, by: 'lead' },
  { path: 'reports', body: { period: '2026-Q1', summary: 'Đã triển khai' }, by: 'lead' },
  { path: 'deliverables', body: { type: 'Kế hoạch', documentNumber: '1/KH-SNV', date: '2026-01-15' }, by: 'lead' },
  { path: 'extension-requests', body: { until: '2026-12-31', reason: 'Chờ hướng dẫn' }, by: 'lead' },
  { path: 'contributions', body: { text: 'Góp ý dự thảo' }, by: 'collaborator' },
  { path: 'accept', body: {}, by: 'coordinator' },
  { path: 'return', body: { reason: 'Thiếu phụ lục' }, by: 'coordinator' },
  { path: 'extension-requests/approve', body: {}, by: 'coordinator' },
  { path: 'extension-requests/deny', body: { reason: 'Không đủ căn cứ' }, by: 'coordinator' },
  { path: 'reassign', body: { toAgency: 'STP', reason: 'Điều chỉnh phân công' }, by: 'coordinator' },
  { path: 'cancel', body: { reason: 'Không còn phù hợp' }, by: 'coordinator' },
  { path: 'deadline', body: { due: '2026-11-30' }, by: 'coordinator' },
] as const;

/** What each caller gets for an assignment command, given who may do it. */
function expected(who: Who, by: 'lead' | 'collaborator' | 'coordinator'): 'allowed' | 401 | 403 | 404 {
  if (who === 'noToken' || who === 'revoked') return 401;
  if (who === 'otherAgency') return 404;
  return who === by ? 'allowed' : 403;
}

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  const make = async (role: 'coordinator' | 'agency' | 'leadership', agencyCode?: string) =>
    await createToken(ctx.database.db, {
      name: `${role} ${agencyCode ?? ''}`,
      role,
      ...(agencyCode ? { agencyCode } : {}),
      createdBy: 'test',
    });
  headers.coordinator = bearer((await make('coordinator')).token);
  headers.leadership = bearer((await make('leadership')).token);
  headers.lead = bearer((await make('agency', 'SNV')).token);
  headers.collaborator = bearer((await make('agency', 'STC')).token);
  headers.otherAgency = bearer((await make('agency', 'SYT')).token);
  const revoked = await make('coordinator');
  await revokeToken(ctx.database.db, revoked.id, { role: 'coordinator', name: 'test' });
  headers.revoked = bearer(revoked.token);
  headers.noToken = {};

  // One assignment per command, led by Sở Nội vụ with Sở Tài chính collaborating.
  const plan = samplePlan({
    code: '90/KH-UBND',
    tasks: commands.map((_, i) => ({
      number: String(i + 1),
      title: `Nhiệm vụ ${i + 1}`,
      leads: ['Sở Nội vụ'],
      collaborators: ['Sở Tài chính'],
      dueDate: '2026-06-30',
    })),
  });
  plan.periodStart = '2026-01-01';
  plan.periodEnd = '2026-12-31';
  const imported = await app.inject({ method: 'POST', url: '/v1/plans', payload: plan, headers: headers.coordinator });
  expect(imported.statusCode).toBe(201);
  slug = imported.json().plan.slug;
  await eventually(
    async () => {
      const list = (
        await app.inject({ method: 'GET', url: '/v1/assignments?limit=100', headers: headers.coordinator })
      ).json();
      return list.items.filter((a: { version: number }) => a.version >= 1).length === commands.length
        ? list
        : undefined;
    },
    30_000,
    'every assignment projected',
  );
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('every assignment command with every role', () => {
  const cases = commands.flatMap((command, i) =>
    everyone.map((who) => ({ who, i, command, expect: expected(who, command.by) })),
  );

  it.each(cases)('$command.path by $who → $expect', async ({ who, i, command, expect: want }) => {
    const id = `${slug}:${i + 1}:SNV`;
    const response = await app.inject({
      method: 'POST',
      url: `/v1/assignments/${id}/${command.path}`,
      payload: command.body,
      headers: headers[who],
    });
    if (want === 'allowed') {
      // Past authorization: the workflow answers (done, or refused for its state: 409/422).
      expect([200, 409, 422]).toContain(response.statusCode);
    } else {
      expect(response.statusCode).toBe(want);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (want === 401) expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });
});

describe('every other operation with every role', () => {
  const coordinatorOnly = ['coordinator'];
  const readers = ['coordinator', 'leadership', 'lead', 'collaborator', 'otherAgency'];
  const operations: {
    name: string;
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    url: () => string;
    body?: unknown;
    allowed: string[];
    hiddenFrom?: string[];
  }[] = [
    {
      name: 'import a plan',
      method: 'POST',
      url: () => '/v1/plans',
      body: samplePlan({ code: '91/KH-UBND' }),
      allowed: coordinatorOnly,
    },
    {
      name: 'preview a plan file',
      method: 'POST',
      url: () => '/v1/plans/preview',
      body: undefined,
      allowed: coordinatorOnly,
    },
    { name: 'list plans', method: 'GET', url: () => '/v1/plans', allowed: readers },
    { name: 'list assignments', method: 'GET', url: () => '/v1/assignments', allowed: readers },
    {
      name: 'read an assignment',
      method: 'GET',
      url: () => `/v1/assignments/${slug}:1:SNV`,
      allowed: ['coordinator', 'leadership', 'lead', 'collaborator'],
      hiddenFrom: ['otherAgency'],
    },
    {
      name: 'move all work of an agency',
      method: 'POST',
      url: () => '/v1/assignments/reassign-agency',
      body: { from: 'SXD', to: 'STP', reason: 'Hợp nhất', registry: 'vinh-phuc' },
      allowed: coordinatorOnly,
    },
    {
      name: 'edit an agency',
      method: 'PUT',
      url: () => '/v1/registries/vinh-phuc/agencies/SNV',
      body: { name: 'Sở Nội vụ', kind: 'department', aliases: ['SNV', 'Sở NV'] },
      allowed: coordinatorOnly,
    },
    {
      name: 'merge an agency',
      method: 'POST',
      url: () => '/v1/registries/vinh-phuc/agencies/SLDTBXH/merge',
      body: { into: 'SNV', reassignOpenWork: false },
      allowed: coordinatorOnly,
    },
    { name: 'read the agencies', method: 'GET', url: () => '/v1/registries/vinh-phuc/agencies', allowed: readers },
    {
      name: 'create a token',
      method: 'POST',
      url: () => '/v1/tokens',
      body: { role: 'leadership', name: 'Văn phòng UBND tỉnh' },
      allowed: coordinatorOnly,
    },
    { name: 'list tokens', method: 'GET', url: () => '/v1/tokens', allowed: coordinatorOnly },
    {
      name: 'revoke a token',
      method: 'DELETE',
      url: () => '/v1/tokens/00000000-0000-0000-0000-000000000000',
      allowed: coordinatorOnly,
    },
    { name: 'read the audit trail', method: 'GET', url: () => '/v1/audit', allowed: coordinatorOnly },
    { name: 'list escalations', method: 'GET', url: () => '/v1/escalations', allowed: readers },
    { name: 'read my notifications', method: 'GET', url: () => '/v1/notifications', allowed: readers },
    {
      name: 'read the periodic report',
      method: 'GET',
      url: () => '/v1/reports/periodic?period=2026-Q1',
      allowed: readers,
    },
    { name: 'read agency statistics', method: 'GET', url: () => '/v1/stats/agencies', allowed: readers },
    { name: 'read the dashboard', method: 'GET', url: () => '/v1/dashboard?period=2026-Q1', allowed: readers },
  ];
  const cases = operations.flatMap((op) => everyone.map((who) => ({ who, op })));

  it.each(cases)('$op.name by $who', async ({ who, op }) => {
    const payload =
      op.name === 'preview a plan file' ? Buffer.from('STT,Nội dung,Cơ quan chủ trì\n1,Nhiệm vụ,Sở Nội vụ\n') : op.body;
    const contentType = op.name === 'preview a plan file' ? { 'content-type': 'text/csv' } : {};
    const response = await app.inject({
      method: op.method,
      url: op.url(),
      ...(payload !== undefined ? { payload: payload as object } : {}),
      headers: { ...contentType, ...headers[who] },
    });
    if (who === 'noToken' || who === 'revoked') expect(response.statusCode).toBe(401);
    else if (op.hiddenFrom?.includes(who)) expect(response.statusCode).toBe(404);
    else if (op.allowed.includes(who)) expect([200, 201, 404]).toContain(response.statusCode);
    else expect(response.statusCode).toBe(403);
  });

  it('an agency lists only what it leads or collaborates on; leadership and the coordinator see all', async () => {
    const count = async (who: Who) =>
      (await app.inject({ method: 'GET', url: '/v1/assignments?limit=500', headers: headers[who] })).json().items
        .length;
    const all = await count('coordinator');
    expect(await count('leadership')).toBe(all);
    expect(await count('lead')).toBeGreaterThan(0);
    expect(await count('collaborator')).toBeGreaterThan(0);
    expect(await count('otherAgency')).toBeLessThan(all);
    const others = (
      await app.inject({ method: 'GET', url: '/v1/assignments?limit=500', headers: headers.otherAgency })
    ).json().items;
    expect(others.every((a: { agencyCode: string }) => a.agencyCode === 'SYT')).toBe(true);
  });

  it('applies a command retried with the same Idempotency-Key once, and answers the retry as the first', async () => {
    const id = `${slug}:${commands.findIndex((c) => c.path === 'contributions') + 1}:SNV`;
    const contribute = (key: string, text: string) =>
      app.inject({
        method: 'POST',
        url: `/v1/assignments/${encodeURIComponent(id)}/contributions`,
        headers: { ...headers.collaborator, 'idempotency-key': key },
        payload: { text },
      });
    const contributions = async () =>
      (
        await app.inject({
          method: 'GET',
          url: `/v1/assignments/${encodeURIComponent(id)}`,
          headers: headers.coordinator,
        })
      )
        .json()
        .timeline.filter((entry: { action: string }) => entry.action === 'addContribution').length;
    const before = await contributions();
    const first = await contribute('retry-7f3a', 'Góp ý lần đầu');
    expect(first.statusCode).toBe(200);
    const retry = await contribute('retry-7f3a', 'Góp ý lần đầu');
    expect(retry.statusCode).toBe(200);
    expect(retry.json().version).toBe(first.json().version);
    const other = await contribute('retry-9c1d', 'Góp ý lần hai');
    expect(other.json().version).toBe(first.json().version + 1);
    await eventually(async () => ((await contributions()) === before + 2 ? true : undefined));
    const bad = await contribute('khóa có dấu', 'x');
    expect(bad.statusCode).toBe(400);
  });
});
