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

const csv = [
  'STT,Nội dung,Cơ quan chủ trì,Cơ quan phối hợp,Thời gian hoàn thành',
  '1,Số hóa hồ sơ đất đai,Trung tâm Phát triển quỹ đất,Sở Nông nghiệp và Môi trường,Năm 2026',
  '2,Rà soát thủ tục về đất đai,Sở Tư pháp,"TT Phát triển quỹ đất, Sở Tài chính",Năm 2026',
].join('\n');

const fields = (extra: Record<string, string> = {}) =>
  new URLSearchParams({
    format: 'csv',
    province: 'Phú Thọ',
    code: 'QD-DAT/KH',
    title: 'Kế hoạch số hóa đất đai',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    ...extra,
  }).toString();

const send = (path: string, query: string, payload = csv) =>
  app.inject({
    method: 'POST',
    url: `${path}?${query}`,
    headers: { ...coordinator, 'content-type': 'text/csv' },
    payload,
  });

describe('a plan naming agencies its province has not listed yet', () => {
  it('previews them as proposed agencies, normalised, deduplicated, with their rows', async () => {
    const preview = await send('/v1/plans/preview', fields());
    expect(preview.statusCode).toBe(200);
    expect(preview.json().proposedAgencies).toEqual([
      expect.objectContaining({
        name: 'Trung tâm Phát triển quỹ đất',
        kind: 'other',
        rows: [2, 3],
        written: ['TT Phát triển quỹ đất'],
      }),
    ]);
  });

  it('refuses the import until the coordinator accepts them, and in strict mode', async () => {
    expect((await send('/v1/plans', fields())).statusCode).toBe(422);
    expect((await send('/v1/plans', fields({ acceptProposedAgencies: 'true', strict: 'true' }))).statusCode).toBe(422);
  });

  it('adds them to the registry (audited) and imports in one step when accepted', async () => {
    const imported = await send('/v1/plans', fields({ acceptProposedAgencies: 'true' }));
    expect(imported.statusCode).toBe(201);
    const code = (
      await app.inject({ method: 'GET', url: '/v1/registries/phu-tho/agencies?q=quy%20dat', headers: coordinator })
    )
      .json()
      .items.map((a: { code: string }) => a.code);
    expect(code).toHaveLength(1);
    const slug = imported.json().plan.slug;
    const lead = await app.inject({ method: 'GET', url: `/v1/assignments/${slug}:1:${code[0]}`, headers: coordinator });
    expect(lead.statusCode).toBe(200);
    const trail = (
      await app.inject({
        method: 'GET',
        url: `/v1/audit?entityType=agency&entityId=phu-tho%3A${code[0]}`,
        headers: coordinator,
      })
    ).json().items;
    expect(trail).toEqual([
      expect.objectContaining({
        action: 'agency-create',
        details: expect.objectContaining({ plan: 'QD-DAT/KH', rows: [2, 3] }),
      }),
    ]);
    const imports = (
      await app.inject({ method: 'GET', url: '/v1/audit?entityType=plan&action=plan-import', headers: coordinator })
    ).json().items;
    expect(imports).toEqual([
      expect.objectContaining({
        actor: expect.stringMatching(/^coordinator:/),
        details: expect.objectContaining({ code: 'QD-DAT/KH', registry: 'phu-tho' }),
      }),
    ]);
  });

  it('leaves the registry as it was when the import that accepted them fails', async () => {
    // The plan is there now: importing it again with a new name, accepted, but without confirming
    // the revision is refused — and the name must not have joined the registry on the way.
    const revised = `${csv}\n3,Chỉnh lý tài liệu lưu trữ về đất đai,Trung tâm Lưu trữ lịch sử,,Năm 2026`;
    const refused = await send('/v1/plans', fields({ acceptProposedAgencies: 'true' }), revised);
    expect(refused.statusCode).toBe(409);
    const found = await app.inject({
      method: 'GET',
      url: '/v1/registries/phu-tho/agencies?q=luu%20tru%20lich%20su',
      headers: coordinator,
    });
    expect(found.json().items).toEqual([]);
    const confirmed = await send('/v1/plans', fields({ acceptProposedAgencies: 'true', revise: 'true' }), revised);
    expect(confirmed.statusCode).toBe(200);
    const joined = await app.inject({
      method: 'GET',
      url: '/v1/registries/phu-tho/agencies?q=luu%20tru%20lich%20su',
      headers: coordinator,
    });
    expect(joined.json().items).toEqual([expect.objectContaining({ name: 'Trung tâm Lưu trữ lịch sử' })]);
  });
});
