import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;
let slug: string;

const task = (number: string, lead: string) => ({
  number,
  title: `Nhiệm vụ ${number}`,
  leads: [lead],
  dueDate: '2027-06-30',
});

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  coordinator = bearer(await testTokens(ctx).coordinator());
  // Vĩnh Phúc's plan, issued before July 2025, still running.
  const imported = await app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: coordinator,
    payload: {
      code: '99/KH-UBND',
      title: 'Kế hoạch CCHC tỉnh Vĩnh Phúc',
      province: 'Vĩnh Phúc',
      periodStart: '2025-01-01',
      periodEnd: '2027-12-31',
      tasks: [
        task('1', 'Sở Nội vụ'),
        task('2', 'Sở Kế hoạch và Đầu tư'),
        task('3', 'Sở Giao thông vận tải'),
        task('4', 'UBND huyện Bình Xuyên'),
      ],
    },
  });
  expect(imported.statusCode).toBe(201);
  slug = imported.json().plan.slug;
  for (const code of ['1:SNV', '2:SKHDT', '3:SGTVT', '4:UBND-BX'])
    await eventually(async () =>
      (await app.inject({ method: 'GET', url: `/v1/assignments/${slug}:${code}`, headers: coordinator })).json()
        .version >= 1
        ? true
        : undefined,
    );
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('moving a pre-2025 plan to the registry of today', () => {
  it('sends open work to the successors, keeping history, and reports what has none', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/plans/move-registry',
      headers: coordinator,
      payload: { plan: '99/KH-UBND', to: 'phu-tho' },
    });
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result.plan).toMatchObject({ from: 'vinh-phuc', to: 'phu-tho' });
    expect(result.kept).toEqual([`${slug}:1:SNV`]);
    expect(result.moved).toEqual([
      { id: `${slug}:2:SKHDT`, from: 'SKHDT', to: 'STC' },
      { id: `${slug}:3:SGTVT`, from: 'SGTVT', to: 'SXD' },
    ]);
    expect(result.unmapped).toEqual([
      { id: `${slug}:4:UBND-BX`, agencyCode: 'UBND-BX', name: 'UBND huyện Bình Xuyên' },
    ]);
    // Each moved assignment keeps its id and its history, and now answers to Phú Thọ's department.
    const moved = (
      await app.inject({ method: 'GET', url: `/v1/assignments/${slug}:2:SKHDT`, headers: coordinator })
    ).json();
    expect(moved.agencyCode).toBe('STC');
    expect(moved.timeline.map((e: { action: string }) => e.action)).toEqual(['assign', 'reassign']);
    const plan = (await app.inject({ method: 'GET', url: '/v1/plans', headers: coordinator })).json().items[0];
    expect(plan.registry).toBe('phu-tho');
  });
});
