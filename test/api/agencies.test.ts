import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { bearer, testTokens } from '../support/auth.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { samplePlan } from '../support/plans.ts';

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;

/** Requests as the coordinator, who keeps the registry. */
const inject = (options: InjectOptions) =>
  app.inject({ ...options, headers: { ...(options.headers as Record<string, string> | undefined), ...coordinator } });

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx);
  coordinator = bearer(await testTokens(ctx).coordinator());
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const base = '/v1/registries/vinh-phuc/agencies';

async function get(url: string) {
  const response = await inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json(), type: response.headers['content-type'] };
}

async function put(code: string, payload: unknown, registry = 'vinh-phuc') {
  const response = await inject({
    method: 'PUT',
    url: `/v1/registries/${registry}/agencies/${encodeURIComponent(code)}`,
    payload: payload as object,
  });
  return { status: response.statusCode, body: response.json(), type: response.headers['content-type'] };
}

async function merge(code: string, payload: unknown) {
  const response = await inject({
    method: 'POST',
    url: `${base}/${encodeURIComponent(code)}/merge`,
    payload: payload as object,
  });
  return { status: response.statusCode, body: response.json(), type: response.headers['content-type'] };
}

const codes = (items: { code: string }[]) => items.map((a) => a.code);

describe('reading registries and agencies', () => {
  it('documents every route under the agencies tag, with problem responses', async () => {
    const openapi = (await get('/openapi.json')).body;
    const paths = [
      '/v1/registries',
      '/v1/registries/{key}/agencies',
      '/v1/registries/{key}/agencies/{code}',
      '/v1/registries/{key}/agencies/{code}/merge',
    ];
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(paths));
    expect(openapi.paths['/v1/registries/{key}/agencies/{code}'].put).toMatchObject({
      tags: ['agencies'],
      responses: { 201: expect.anything(), 422: expect.anything() },
    });
    expect(openapi.paths['/v1/registries/{key}/agencies/{code}/merge'].post.tags).toEqual(['agencies']);
  });

  it('lists the registries with their counts', async () => {
    const { status, body } = await get('/v1/registries');
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    const vinhPhuc = body.items.find((r: { key: string }) => r.key === 'vinh-phuc');
    expect(vinhPhuc).toMatchObject({
      key: 'vinh-phuc',
      agencies: expect.any(Number),
      groups: expect.any(Number),
      updatedAt: expect.any(String),
    });
    expect(vinhPhuc.agencies).toBeGreaterThan(20);
    expect(vinhPhuc.groups).toBeGreaterThan(0);
  });

  it('searches names, codes and aliases regardless of case and diacritics', async () => {
    expect(codes((await get(`${base}?q=${encodeURIComponent('so noi vu')}`)).body.items)).toEqual(['SNV']);
    expect(codes((await get(`${base}?q=${encodeURIComponent('SỞ NỘI VỤ')}`)).body.items)).toEqual(['SNV']);
    expect(codes((await get(`${base}?q=${encodeURIComponent('sở kh&đt')}`)).body.items)).toEqual(['SKHDT']);
    expect(codes((await get(`${base}?q=stc`)).body.items)).toEqual(['STC']);
    const snv = (await get(`${base}?q=noi%20vu`)).body.items[0];
    expect(snv).toMatchObject({
      code: 'SNV',
      name: 'Sở Nội vụ',
      kind: 'department',
      aliases: expect.arrayContaining(['Sở NV']),
    });
    expect(snv).not.toHaveProperty('mergedInto');
  });

  it('filters by kind', async () => {
    const { body } = await get(`${base}?kind=district&limit=500`);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((a: { kind: string }) => a.kind === 'district')).toBe(true);
    const bad = await get(`${base}?kind=ministry`);
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/^application\/problem\+json/);
  });

  it('pages by code with a cursor', async () => {
    const all = (await get(`${base}?limit=500`)).body;
    expect(all.nextCursor).toBeNull();
    const sorted = [...codes(all.items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(codes(all.items)).toEqual(sorted);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { code: string }[]; nextCursor: string | null } = (
        await get(`${base}?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...codes(page.items));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(sorted);
    expect(pages).toBe(Math.ceil(sorted.length / 7));

    expect((await get(`${base}?cursor=not-a-cursor`)).status).toBe(400);
    expect((await get(`${base}?limit=501`)).status).toBe(400);
  });

  it('shows one agency, and answers 404 problems for unknown agencies and registries', async () => {
    const snv = await get(`${base}/SNV`);
    expect(snv.status).toBe(200);
    expect(snv.body).toMatchObject({ code: 'SNV', name: 'Sở Nội vụ' });

    for (const url of [`${base}/NOPE`, '/v1/registries/atlantis/agencies', '/v1/registries/atlantis/agencies/SNV']) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.type).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 404, title: 'Not Found' });
    }
    expect((await get(`${base}/NOPE`)).body.detail).toContain('NOPE');
    expect((await get('/v1/registries/atlantis/agencies')).body.detail).toContain('atlantis');
  });
});

describe('editing agencies', () => {
  it('creates an agency (201), then replaces it (200)', async () => {
    const before = (await get('/v1/registries')).body.items.find((r: { key: string }) => r.key === 'vinh-phuc');
    const created = await put('SKHCNMOI', {
      name: 'Sở Khoa học, Công nghệ và Đổi mới sáng tạo',
      kind: 'department',
      aliases: ['Sở KHCN&ĐMST'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      code: 'SKHCNMOI',
      name: 'Sở Khoa học, Công nghệ và Đổi mới sáng tạo',
      shortName: 'Sở Khoa học, Công nghệ và Đổi mới sáng tạo',
      kind: 'department',
      aliases: ['Sở KHCN&ĐMST'],
    });
    expect((await get(`${base}/SKHCNMOI`)).body).toEqual(created.body);
    expect(codes((await get(`${base}?q=${encodeURIComponent('doi moi sang tao')}`)).body.items)).toEqual(['SKHCNMOI']);

    const after = (await get('/v1/registries')).body.items.find((r: { key: string }) => r.key === 'vinh-phuc');
    expect(after.agencies).toBe(before.agencies + 1);
    expect(after.updatedAt > before.updatedAt).toBe(true);

    const replaced = await put('SKHCNMOI', { code: 'SKHCNMOI', name: 'Sở Khoa học và Đổi mới', kind: 'department' });
    expect(replaced.status).toBe(200);
    // Aliases left out are gone: PUT replaces.
    expect(replaced.body).toEqual({
      code: 'SKHCNMOI',
      name: 'Sở Khoa học và Đổi mới',
      shortName: 'Sở Khoa học và Đổi mới',
      kind: 'department',
    });
    expect((await get(`${base}/SKHCNMOI`)).body.name).toBe('Sở Khoa học và Đổi mới');
    expect((await get(`${base}?q=${encodeURIComponent('doi moi sang tao')}`)).body.items).toEqual([]);

    // Both edits are in the audit trail, with what the agency was before and after.
    const trail = (await get('/v1/audit?entityType=agency&entityId=vinh-phuc%3ASKHCNMOI')).body.items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['agency-update', 'agency-create']);
    expect(trail[0].details).toMatchObject({
      before: { name: 'Sở Khoa học, Công nghệ và Đổi mới sáng tạo' },
      after: { name: 'Sở Khoa học và Đổi mới' },
    });
  });

  it('refuses a body whose code differs from the path with 400', async () => {
    const response = await put('SKHCNMOI', { code: 'KHAC', name: 'Sở khác', kind: 'department' });
    expect(response.status).toBe(400);
    expect(response.type).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: '/code' })]);
  });

  it('refuses bad shapes with 400 naming the field', async () => {
    const fieldsOf = async (payload: unknown) => {
      const response = await put('SMOI', payload);
      expect(response.status).toBe(400);
      expect(response.type).toMatch(/^application\/problem\+json/);
      return response.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await fieldsOf({ name: 'Sở mới', kind: 'ministry' })).toContain('/kind');
    expect(await fieldsOf({ kind: 'department' })).toContain('/name');
    expect(await fieldsOf({ name: 'Sở mới', kind: 'department', mergedInto: 'SNV' })).toContain('/mergedInto');
    expect((await get(`${base}/SMOI`)).status).toBe(404);
  });

  it('refuses an alias that already stands for another agency with 422 naming the alias', async () => {
    const response = await put('SNVMOI', { name: 'Sở Nội vụ mới', kind: 'department', aliases: ['SNVM', 'Sở NV'] });
    expect(response.status).toBe(422);
    expect(response.type).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([{ field: '/aliases/1', message: expect.stringContaining('Sở NV') }]);
    expect(response.body.errors[0].message).toContain('SNV');
    expect((await get(`${base}/SNVMOI`)).status).toBe(404);
  });

  it('refuses a name taken by another agency, and a malformed code, with 422 and fields', async () => {
    const name = await put('STC2', { name: 'Sở Tài chính', kind: 'department' });
    expect(name.status).toBe(422);
    expect(name.body.errors).toEqual([{ field: '/name', message: expect.stringContaining('Sở Tài chính') }]);

    const code = await put('stc-moi', { name: 'Sở Tài chính mới', kind: 'department' });
    expect(code.status).toBe(422);
    expect(code.body.errors).toEqual([{ field: 'params:/code', message: expect.stringContaining('stc-moi') }]);
  });

  it('answers 404 when the registry does not exist', async () => {
    const response = await put('SNV', { name: 'Sở Nội vụ', kind: 'department' }, 'atlantis');
    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('atlantis');
  });

  it('keeps every one of many concurrent edits (the row is locked while it is rewritten)', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `SONG-${i}`);
    const results = await Promise.all(
      many.map((code, i) => put(code, { name: `Ban thử nghiệm số ${i}`, kind: 'board' })),
    );
    expect(results.map((r) => r.status)).toEqual(many.map(() => 201));
    const listed = codes((await get(`${base}?q=thu%20nghiem&limit=500`)).body.items);
    expect(listed.sort()).toEqual([...many].sort());
  });
});

describe('merging agencies', () => {
  it('refuses unknown agencies, unknown or own successors and cycles', async () => {
    expect((await merge('NOPE', { into: 'STC' })).status).toBe(404);

    const unknown = await merge('SONG-0', { into: 'NOPE', reassignOpenWork: false });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: '/into', message: expect.stringContaining('NOPE') }]);

    const itself = await merge('SONG-0', { into: 'SONG-0' });
    expect(itself.status).toBe(422);
    expect(itself.body.errors[0]).toMatchObject({ field: '/into' });

    const first = await merge('SONG-1', { into: 'SONG-2', reassignOpenWork: false });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      agency: {
        code: 'SONG-1',
        name: 'Ban thử nghiệm số 1',
        shortName: 'Ban thử nghiệm số 1',
        kind: 'board',
        mergedInto: 'SONG-2',
        successor: { code: 'SONG-2', name: 'Ban thử nghiệm số 2' },
      },
      successor: { code: 'SONG-2', name: 'Ban thử nghiệm số 2', shortName: 'Ban thử nghiệm số 2', kind: 'board' },
      reassigned: [],
      refused: [],
    });
    const cycle = await merge('SONG-2', { into: 'SONG-1' });
    expect(cycle.status).toBe(422);
    expect(cycle.body.errors[0]).toMatchObject({ field: '/into', message: expect.stringContaining('vòng lặp') });
    expect((await get(`${base}/SONG-2`)).body).not.toHaveProperty('mergedInto');

    // Merged agencies leave the default list but stay reachable.
    expect(codes((await get(`${base}?q=thu%20nghiem&limit=500`)).body.items)).not.toContain('SONG-1');
    expect(codes((await get(`${base}?q=thu%20nghiem&limit=500&includeMerged=true`)).body.items)).toContain('SONG-1');

    // A merger into an agency that merged in turn names the end of the chain as successor.
    const chained = await merge('SONG-3', { into: 'SONG-1', reassignOpenWork: false });
    expect(chained.status).toBe(200);
    expect(chained.body.agency).toMatchObject({ mergedInto: 'SONG-1', successor: { code: 'SONG-2' } });
    expect(chained.body.successor.code).toBe('SONG-2');
  });

  it('keeps a merger when the agency is replaced', async () => {
    const replaced = await put('SONG-1', { name: 'Ban thử nghiệm số một', kind: 'board' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: 'Ban thử nghiệm số một', mergedInto: 'SONG-2' });
  });

  describe('with open work', () => {
    let slug: string;
    const ids = { plan1: '', plan2: '', vu: '' };

    // Stopped by ctx.close().
    beforeAll(async () => {
      await ctx.startWorker();
    });

    it('moves every open assignment of the merged agency to its successor, once', async () => {
      const imported = await inject({
        method: 'POST',
        url: '/v1/plans',
        payload: samplePlan({
          code: '77/KH-UBND',
          tasks: [
            {
              number: '1',
              title: 'Xây dựng kế hoạch đầu tư công trung hạn',
              leads: ['Sở Kế hoạch và Đầu tư'],
              dueDate: '2025-12-31',
            },
            { number: '2', title: 'Cải cách thủ tục đăng ký doanh nghiệp', leads: ['Sở KH&ĐT'], dueDate: '2025-10-31' },
            {
              number: '3',
              title: 'Ban hành kế hoạch cải cách hành chính',
              leads: ['Sở Nội vụ'],
              dueDate: '2025-11-30',
            },
          ],
        }),
      });
      expect(imported.statusCode).toBe(201);
      slug = imported.json().plan.slug;
      Object.assign(ids, { plan1: `${slug}:1:SKHDT`, plan2: `${slug}:2:SKHDT`, vu: `${slug}:3:SNV` });
      for (const id of Object.values(ids)) {
        await eventually(
          async () => {
            const { body } = await get(`/v1/assignments/${encodeURIComponent(id)}`);
            return body.version >= 1 ? body : undefined;
          },
          20_000,
          `the projection of ${id}`,
        );
      }

      const merged = await merge('SKHDT', { into: 'STC' });
      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({
        agency: { code: 'SKHDT', mergedInto: 'STC', successor: { code: 'STC', name: 'Sở Tài chính' } },
        successor: { code: 'STC', name: 'Sở Tài chính' },
        refused: [],
      });
      expect(merged.body.reassigned).toEqual([ids.plan1, ids.plan2].sort());

      for (const id of [ids.plan1, ids.plan2]) {
        const { body } = await get(`/v1/assignments/${encodeURIComponent(id)}`);
        expect(body.agencyCode).toBe('STC');
        expect(body.status).toBe('assigned');
        expect(body.agencyHistory[0]).toMatchObject({
          from: 'SKHDT',
          to: 'STC',
          reason: expect.stringContaining('Hợp nhất'),
        });
        expect(body.timeline.map((e: { action: string }) => e.action)).toEqual(['assign', 'reassign']);
      }
      const untouched = (await get(`/v1/assignments/${encodeURIComponent(ids.vu)}`)).body;
      expect(untouched).toMatchObject({ agencyCode: 'SNV', agencyHistory: [] });

      const again = await merge('SKHDT', { into: 'STC', reason: 'Chạy lại' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ reassigned: [], refused: [] });
      expect((await get(`/v1/assignments/${encodeURIComponent(ids.plan1)}`)).body.agencyHistory).toHaveLength(1);
    });

    it('lists the merged agency only with includeMerged, pointing at its successor', async () => {
      expect(codes((await get(`${base}?q=ke%20hoach`)).body.items)).not.toContain('SKHDT');
      const listed = (await get(`${base}?q=ke%20hoach&includeMerged=true`)).body.items;
      expect(listed.find((a: { code: string }) => a.code === 'SKHDT')).toMatchObject({
        mergedInto: 'STC',
        successor: { code: 'STC' },
      });
    });

    // splitAgencies returns the agency as named; the import's resolveAgencyCell replaces a merged one by its successor.
    it('gives new work naming the merged agency to its successor', async () => {
      const imported = await inject({
        method: 'POST',
        url: '/v1/plans',
        payload: samplePlan({
          code: '78/KH-UBND',
          tasks: [
            {
              number: '1',
              title: 'Tổng hợp báo cáo đầu tư công',
              leads: ['Sở Kế hoạch và Đầu tư'],
              dueDate: '2026-06-30',
            },
          ],
        }),
      });
      expect(imported.statusCode).toBe(201);
      const newSlug = imported.json().plan.slug;
      const list = (await get('/v1/assignments?limit=500')).body.items as { id: string; agencyCode: string }[];
      const mine = list.filter((a) => a.id.startsWith(`${newSlug}:`));
      expect(mine.map((a) => a.agencyCode)).toEqual(['STC']);
    });
  });
});
