import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

// A periodic report with its structured parts (issue 23), filed through the API and the real
// workflow, read back from the assignment and quoted by the narrative report the agency downloads.

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;
let snv: Record<string, string>;
const ID = 'parts-1-kh:1:SNV';

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  const tokens = testTokens(ctx);
  coordinator = bearer(await tokens.coordinator());
  snv = bearer(await tokens.agency('SNV'));
  const response = await app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: coordinator,
    payload: {
      code: 'PARTS-1/KH',
      title: 'Kế hoạch cải cách hành chính năm 2026',
      province: 'Vĩnh Phúc',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      tasks: [
        {
          number: '1',
          title: 'Ban hành Kế hoạch tuyên truyền CCHC năm 2026',
          deliverables: ['Kế hoạch'],
          leads: ['Sở Nội vụ'],
          dueDate: '2026-12-31',
        },
      ],
    },
  });
  expect(response.statusCode).toBe(201);
  await eventually(async () => {
    const r = await app.inject({ method: 'GET', url: `/v1/assignments/${encodeURIComponent(ID)}`, headers: snv });
    return r.statusCode === 200 && r.json().version >= 1 ? true : undefined;
  });
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const file = (payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/v1/assignments/${encodeURIComponent(ID)}/reports`, headers: snv, payload });

const document = {
  kind: 'Kế hoạch',
  number: '32/KH-SNV',
  date: '2026-01-17',
  title: 'Thông tin, tuyên truyền CCHC năm 2026',
};

describe('a report’s structured parts through the API', () => {
  it('refuses, in Vietnamese and naming the place, a document whose file is not the assignment’s, and too many documents', async () => {
    const foreign = await file({
      period: '2026-Q3',
      summary: 'Đã ban hành kế hoạch.',
      documents: [document, { ...document, file: '6f1c1a52-7a8e-4c7a-9b1e-2a0f3c4d5e6f' }],
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().detail).toBe('Tệp của văn bản thứ 2 không thuộc nhiệm vụ này.');
    const many = await file({
      period: '2026-Q3',
      summary: 'Đã ban hành kế hoạch.',
      documents: Array.from({ length: 21 }, (_, i) => ({ ...document, number: `${i + 1}/KH-SNV` })),
    });
    expect(many.statusCode).toBe(422);
    expect(many.json().detail).toContain('Báo cáo liệt kê 21 văn bản, quá giới hạn 20 văn bản một kỳ');
  });

  it('files the parts with the report, keeps them on the assignment, and the narrative report quotes them', async () => {
    const filed = await file({
      period: '2026-Q3',
      summary: 'Đã ban hành và triển khai kế hoạch tuyên truyền.',
      documents: [document],
      difficulties: 'Kinh phí tuyên truyền còn hạn chế.',
      causes: 'Dự toán được giao muộn.',
      proposals: 'Đề nghị bổ sung kinh phí năm 2027.',
    });
    expect(filed.statusCode).toBeLessThan(300);
    const assignment = await eventually(async () => {
      const r = await app.inject({ method: 'GET', url: `/v1/assignments/${encodeURIComponent(ID)}`, headers: snv });
      const body = r.json() as { reports?: Record<string, unknown>[] };
      return body.reports?.length === 1 ? body : undefined;
    });
    expect(assignment.reports![0]).toMatchObject({
      period: '2026-Q3',
      documents: [document],
      difficulties: 'Kinh phí tuyên truyền còn hạn chế.',
      causes: 'Dự toán được giao muộn.',
      proposals: 'Đề nghị bổ sung kinh phí năm 2027.',
    });

    const draft = await app.inject({
      method: 'GET',
      url: '/v1/plans/parts-1-kh/reports/narrative?period=2026-Q3&agency=SNV',
      headers: snv,
    });
    expect(draft.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(draft.rawPayload)).file('word/document.xml')!.async('string');
    const text = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) =>
      [...m[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    );
    expect(text).toContain('- Kế hoạch số 32/KH-SNV ngày 17/01/2026 về việc Thông tin, tuyên truyền CCHC năm 2026.');
    expect(text).toContain('- Nhiệm vụ 1: Kinh phí tuyên truyền còn hạn chế. Nguyên nhân: Dự toán được giao muộn.');
    expect(text).toContain('- Nhiệm vụ 1: Đề nghị bổ sung kinh phí năm 2027.');
  });
});
