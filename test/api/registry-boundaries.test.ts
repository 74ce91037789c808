import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

// Hà Nội and Phú Thọ: both have a Sở Nội vụ coded SNV, and both issue a decision numbered
// 123/QĐ-UBND. Neither province's coordinator can rewrite, move or read the other's plan.
let ctx: TestContext;
let app: FastifyInstance;
let admin: Record<string, string>;
const as: Record<string, Record<string, string>> = {};
let haNoiSlug = '';

const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
  app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

const planOf = (code: string, province: string, title: string, leads: string[]) => ({
  code,
  title,
  province,
  periodStart: '2026-01-01',
  periodEnd: '2027-12-31',
  tasks: leads.map((lead, i) => ({
    number: String(i + 1),
    title: `Nhiệm vụ ${i + 1} của ${province}`,
    leads: [lead],
    dueDate: '2027-06-30',
  })),
});

const assignmentsOf = async (who: Record<string, string>, query = '') =>
  (await call('GET', `/v1/assignments${query}`, who)).json().items as {
    id: string;
    status: string;
    agencyCode: string;
    plan: { code: string };
  }[];

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  admin = bearer(await testTokens(ctx).coordinator());
  for (const registry of ['ha-noi', 'phu-tho']) {
    const coordinator = await call('POST', '/v1/tokens', admin, { role: 'coordinator', registry, name: registry });
    expect(coordinator.statusCode).toBe(201);
    as[`coordinator@${registry}`] = bearer(coordinator.json().token);
    const agency = await call('POST', '/v1/tokens', admin, { role: 'agency', agency: 'SNV', registry, name: registry });
    expect(agency.statusCode).toBe(201);
    as[`SNV@${registry}`] = bearer(agency.json().token);
  }
  const haNoi = await call(
    'POST',
    '/v1/plans',
    as['coordinator@ha-noi']!,
    planOf('123/QĐ-UBND', 'Hà Nội', 'Kế hoạch CCHC Thành phố Hà Nội', ['Sở Nội vụ', 'Sở Tư pháp', 'Sở Y tế']),
  );
  expect(haNoi.statusCode).toBe(201);
  haNoiSlug = haNoi.json().plan.slug;
  await eventually(
    async () => ((await assignmentsOf(as['coordinator@ha-noi']!)).length === 3 ? true : undefined),
    30_000,
    "Hà Nội's three assignments",
  );
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('a plan belongs to its registry', () => {
  it("importing the same decision number in Phú Thọ makes Phú Thọ's plan and leaves Hà Nội's alone", async () => {
    const phuTho = await call(
      'POST',
      '/v1/plans',
      as['coordinator@phu-tho']!,
      planOf('123/QĐ-UBND', 'Phú Thọ', 'Kế hoạch CCHC tỉnh Phú Thọ', ['Sở Nội vụ']),
    );
    expect(phuTho.statusCode).toBe(201);
    expect(phuTho.json()).toMatchObject({ outcome: 'created', plan: { code: '123/QĐ-UBND', registry: 'phu-tho' } });
    expect(phuTho.json().plan.slug).not.toBe(haNoiSlug);

    // Hà Nội's plan keeps its title and its three open assignments; nothing was cancelled or moved.
    const plans = (await call('GET', '/v1/plans', as['coordinator@ha-noi']!)).json().items;
    expect(plans).toEqual([
      expect.objectContaining({ code: '123/QĐ-UBND', title: 'Kế hoạch CCHC Thành phố Hà Nội', registry: 'ha-noi' }),
    ]);
    const haNoi = await assignmentsOf(as['coordinator@ha-noi']!);
    expect(haNoi.map((a) => [a.agencyCode, a.status]).sort()).toEqual([
      ['SNV', 'assigned'],
      ['STP', 'assigned'],
      ['SYT', 'assigned'],
    ]);
    // Each province's Sở Nội vụ sees its own assignment only.
    await eventually(
      async () => ((await assignmentsOf(as['SNV@phu-tho']!)).length === 1 ? true : undefined),
      30_000,
      "Phú Thọ's assignment",
    );
    const [mine] = await assignmentsOf(as['SNV@phu-tho']!);
    expect(mine!.id.startsWith(phuTho.json().plan.slug)).toBe(true);
    expect((await assignmentsOf(as['SNV@ha-noi']!)).map((a) => a.id)).toEqual([`${haNoiSlug}:1:SNV`]);
  });

  it("refuses a province's coordinator importing into another province", async () => {
    const response = await call(
      'POST',
      '/v1/plans',
      as['coordinator@phu-tho']!,
      planOf('123/QĐ-UBND', 'Hà Nội', 'Đổi tên kế hoạch của Hà Nội', ['Sở Nội vụ']),
    );
    expect(response.statusCode).toBe(403);
    const plans = (await call('GET', '/v1/plans', as['coordinator@ha-noi']!)).json().items;
    expect(plans[0].title).toBe('Kế hoạch CCHC Thành phố Hà Nội');
  });

  it('reads a plan by its number within the reader’s registry, and asks the deployment to say which', async () => {
    expect((await assignmentsOf(as['coordinator@ha-noi']!, '?plan=123/QĐ-UBND')).length).toBe(3);
    expect((await assignmentsOf(as['coordinator@phu-tho']!, '?plan=123/QĐ-UBND')).length).toBe(1);
    const ambiguous = await call('GET', '/v1/assignments?plan=123/QĐ-UBND', admin);
    expect(ambiguous.statusCode).toBe(422);
    expect(ambiguous.json().detail).toContain('nhiều danh mục');
    expect((await assignmentsOf(admin, `?plan=${haNoiSlug}`)).length).toBe(3);
    const dashboard = await call(
      'GET',
      `/v1/dashboard?plan=${encodeURIComponent('123/QĐ-UBND')}`,
      as['coordinator@ha-noi']!,
    );
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.json().total.total).toBe(3);
  });
});

describe('moving a plan between registries needs the source’s authority', () => {
  it("refuses Phú Thọ's coordinator pulling Hà Nội's plan away", async () => {
    const imported = await call(
      'POST',
      '/v1/plans',
      as['coordinator@ha-noi']!,
      planOf('456/KH-UBND', 'Hà Nội', 'Kế hoạch 456 của Hà Nội', ['Sở Nội vụ']),
    );
    expect(imported.statusCode).toBe(201);
    const response = await call('POST', '/v1/plans/move-registry', as['coordinator@phu-tho']!, {
      plan: '456/KH-UBND',
      to: 'phu-tho',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toContain('không thuộc danh mục "phu-tho"');
    // Hà Nội's agency still reaches its own work.
    await eventually(
      async () =>
        (await call('GET', `/v1/assignments/${imported.json().plan.slug}:1:SNV`, as['SNV@ha-noi']!)).statusCode === 200
          ? true
          : undefined,
      30_000,
      "Hà Nội's SNV reading its assignment",
    );
  });

  it("lets the source registry's coordinator move it, naming both registries, and audits it", async () => {
    const response = await call('POST', '/v1/plans/move-registry', as['coordinator@ha-noi']!, {
      plan: '456/KH-UBND',
      to: 'phu-tho',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().plan).toMatchObject({
      code: '456/KH-UBND',
      from: 'ha-noi',
      to: 'phu-tho',
      fromName: 'Thành phố Hà Nội',
      toName: 'Phú Thọ',
    });
    const audit = (await call('GET', '/v1/audit?action=plan-move-registry', admin)).json().items;
    expect(audit).toEqual([expect.objectContaining({ action: 'plan-move-registry', from: 'ha-noi', to: 'phu-tho' })]);
  });

  it('refuses moving a plan into a registry that already has one of that number', async () => {
    const response = await call('POST', '/v1/plans/move-registry', admin, { plan: haNoiSlug, to: 'phu-tho' });
    expect(response.statusCode).toBe(409);
    expect(
      (await call('GET', '/v1/plans', as['coordinator@ha-noi']!)).json().items.map((p: { code: string }) => p.code),
    ).toEqual(['123/QĐ-UBND']);
  });
});
