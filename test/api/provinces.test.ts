import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

// Two provinces whose registries both have a Sở Nội vụ coded SNV: one deployment, no leaks.
let ctx: TestContext;
let app: FastifyInstance;
let admin: Record<string, string>;
const as: Record<string, Record<string, string>> = {};
const ids = { phuTho: '', dongNai: '' };

const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
  app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

/**
 * A plan whose one task, led by Sở Nội vụ, is overdue: on a simulated clock (150 times real time)
 * its escalation comes at 08:00, sixteen real seconds after the import starts, so a slow first
 * import on a busy machine still starts its workflow before 08:00 (after it, the catch-up waits a
 * day). Six seconds, as before, were not enough once on a busy two-core machine.
 */
const planOf = (code: string, province: string) => ({
  code,
  title: `Kế hoạch cải cách hành chính ${province}`,
  province,
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  policy: {
    dueReminderWorkingDays: [],
    reportReminderWorkingDays: [],
    reports: [],
    ackChaseWorkingDays: 30,
    escalation: [{ level: 1, afterWorkingDays: 1 }],
    clock: { secondsPerDay: 576, virtualStart: '2026-03-19T07:20:00+07:00', realStart: new Date().toISOString() },
  },
  tasks: [{ number: '1', title: 'Rà soát thủ tục hành chính', leads: ['Sở Nội vụ'], dueDate: '2026-03-10' }],
});

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  admin = bearer(await testTokens(ctx).coordinator());
  for (const [key, code, province] of [
    ['phuTho', 'PT-1/KH', 'Phú Thọ'],
    ['dongNai', 'DN-1/KH', 'Đồng Nai'],
  ] as const) {
    const imported = await call('POST', '/v1/plans', admin, planOf(code, province));
    expect(imported.statusCode).toBe(201);
    ids[key] = `${imported.json().plan.slug}:1:SNV`;
  }
  for (const registry of ['phu-tho', 'dong-nai']) {
    const made = await call('POST', '/v1/tokens', admin, { role: 'agency', agency: 'SNV', registry, name: registry });
    expect(made.statusCode).toBe(201);
    as[`SNV@${registry}`] = bearer(made.json().token);
    const coordinator = await call('POST', '/v1/tokens', admin, { role: 'coordinator', registry, name: registry });
    as[`coordinator@${registry}`] = bearer(coordinator.json().token);
  }
  // Both escalate (the late import's catch-up at 08:00 plan time).
  await eventually(
    async () => ((await call('GET', '/v1/escalations', admin)).json().items.length === 2 ? true : undefined),
    // On a loaded machine the dev server takes its time with two imports.
    90_000,
    'both escalations',
  );
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('one deployment, two provinces, both with an SNV', () => {
  it('needs the registry to issue a token for an agency code several registries know', async () => {
    const response = await call('POST', '/v1/tokens', admin, { role: 'agency', agency: 'SNV', name: 'x' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: '/registry' })]);
  });

  it('shows each SNV its own assignment, notifications, escalations and figures only', async () => {
    for (const [registry, own, other] of [
      ['phu-tho', ids.phuTho, ids.dongNai],
      ['dong-nai', ids.dongNai, ids.phuTho],
    ] as const) {
      const me = as[`SNV@${registry}`]!;
      expect((await call('GET', '/v1/assignments', me)).json().items.map((a: { id: string }) => a.id)).toEqual([own]);
      expect((await call('GET', `/v1/assignments/${encodeURIComponent(other)}`, me)).statusCode).toBe(404);
      expect(
        (await call('GET', '/v1/escalations', me)).json().items.map((e: { assignmentId: string }) => e.assignmentId),
      ).toEqual([own]);
      const notices = (await call('GET', '/v1/notifications', me)).json().items as { assignmentId: string }[];
      expect(notices.every((n) => n.assignmentId === own)).toBe(true);
      const stats = (await call('GET', '/v1/stats/agencies', me)).json();
      expect(stats.total.total).toBe(1);
    }
  });

  it('lets neither SNV act on the other province’s work', async () => {
    const refused = await call(
      'POST',
      `/v1/assignments/${encodeURIComponent(ids.dongNai)}/acknowledge`,
      as['SNV@phu-tho']!,
      {},
    );
    expect(refused.statusCode).toBe(404);
    const own = await call(
      'POST',
      `/v1/assignments/${encodeURIComponent(ids.phuTho)}/acknowledge`,
      as['SNV@phu-tho']!,
      {},
    );
    expect(own.statusCode).toBe(200);
    expect((await call('GET', `/v1/assignments/${encodeURIComponent(ids.dongNai)}`, admin)).json().status).toBe(
      'assigned',
    );
  });

  it('keeps a province’s coordinator to its own plans, tokens and imports', async () => {
    const dongNai = as['coordinator@dong-nai']!;
    expect((await call('GET', '/v1/assignments', dongNai)).json().items.map((a: { id: string }) => a.id)).toEqual([
      ids.dongNai,
    ]);
    expect((await call('GET', '/v1/plans', dongNai)).json().items.map((p: { registry: string }) => p.registry)).toEqual(
      ['dong-nai'],
    );
    expect(
      (await call('GET', '/v1/tokens', dongNai))
        .json()
        .items.every((t: { registry: string }) => t.registry === 'dong-nai'),
    ).toBe(true);
    const elsewhere = await call('POST', '/v1/plans', dongNai, planOf('PT-2/KH', 'Phú Thọ'));
    expect(elsewhere.statusCode).toBe(403);
    const edit = await app.inject({
      method: 'PUT',
      url: '/v1/registries/phu-tho/agencies/SNV',
      headers: dongNai,
      payload: { name: 'Sở Nội vụ', kind: 'department' },
    });
    expect(edit.statusCode).toBe(403);
    const cancel = await call('POST', `/v1/assignments/${encodeURIComponent(ids.phuTho)}/cancel`, dongNai, {
      reason: 'thử',
    });
    expect(cancel.statusCode).toBe(404);
  });

  it('shows a province’s coordinator the audit trail of its own province only', async () => {
    // An agency edited in Phú Thọ's registry by the deployment's coordinator.
    const edit = await app.inject({
      method: 'PUT',
      url: '/v1/registries/phu-tho/agencies/SNV',
      headers: admin,
      payload: { name: 'Sở Nội vụ', kind: 'department', aliases: ['Sở Nội vụ tỉnh Phú Thọ'] },
    });
    expect(edit.statusCode).toBe(200);
    type Entry = { entityType: string; entityId: string };
    const trail = async (who: Record<string, string>) =>
      (await call('GET', '/v1/audit?limit=200', who)).json().items as Entry[];
    const everything = await trail(admin);
    const dongNai = await trail(as['coordinator@dong-nai']!);
    const phuTho = await trail(as['coordinator@phu-tho']!);
    const of = (entries: Entry[], type: string) => entries.filter((e) => e.entityType === type).map((e) => e.entityId);
    // The deployment's coordinator sees both provinces' assignments; each province's, its own.
    expect(new Set(of(everything, 'assignment'))).toEqual(new Set([ids.phuTho, ids.dongNai]));
    expect(new Set(of(dongNai, 'assignment'))).toEqual(new Set([ids.dongNai]));
    expect(new Set(of(phuTho, 'assignment'))).toEqual(new Set([ids.phuTho]));
    expect(of(everything, 'agency')).toContain('phu-tho:SNV');
    expect(of(phuTho, 'agency')).toContain('phu-tho:SNV');
    expect(of(dongNai, 'agency')).toEqual([]);
    // Tokens: each province sees the creation of its own, never the other's.
    expect(of(dongNai, 'token').length).toBeGreaterThan(0);
    expect(of(dongNai, 'token').some((id) => of(phuTho, 'token').includes(id))).toBe(false);
    expect(of(everything, 'token')).toEqual(expect.arrayContaining([...of(dongNai, 'token'), ...of(phuTho, 'token')]));
  });
});
