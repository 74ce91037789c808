import ExcelJS from 'exceljs';
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

const upload = (key: string, payload: string | Buffer, type: string) =>
  app.inject({
    method: 'POST',
    url: `/v1/registries/${key}/agencies/import`,
    headers: { ...coordinator, 'content-type': type },
    payload,
  });

// Vĩnh Phúc's registry (plans issued before July 2025) lists no communes: they are loaded from a table.
const previewLead = async (lead: string) =>
  (
    await app.inject({
      method: 'POST',
      url: '/v1/plans/preview?format=csv&registry=vinh-phuc',
      headers: { ...coordinator, 'content-type': 'text/csv' },
      payload: `STT,Nội dung,Cơ quan chủ trì,Thời gian hoàn thành\n1,Rà soát thủ tục,${lead},Năm 2026\n`,
    })
  ).json();

describe("a registry's agencies as a table", () => {
  it('exports CSV and XLSX with one row per agency', async () => {
    const csv = await app.inject({
      method: 'GET',
      url: '/v1/registries/phu-tho/agencies/export',
      headers: coordinator,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Mã,Tên,Loại,Tên khác,Hợp nhất vào');
    expect(lines.some((l) => l.startsWith('SNV,Sở Nội vụ,department'))).toBe(true);
    const xlsx = await app.inject({
      method: 'GET',
      url: '/v1/registries/phu-tho/agencies/export?format=xlsx',
      headers: coordinator,
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(lines.length);
  });

  it('loads communes from an official-style list, after which "UBND cấp xã" is the group of them, asked about', async () => {
    const before = await previewLead('UBND cấp xã');
    expect(before.warnings.map((w: { message: string }) => w.message).join(' ')).toContain(
      'Các UBND cấp xã không có trong danh mục',
    );
    const loaded = await upload('vinh-phuc', 'Mã,Tên,Cấp\n,Xã Hy Cương,Xã\nPVT,Phường Việt Trì,Phường\n', 'text/csv');
    expect(loaded.statusCode).toBe(200);
    expect(loaded.json()).toEqual({ added: 2, updated: 0 });
    const after = await previewLead('UBND cấp xã');
    expect(after.tasks[0].leads).toEqual([{ code: null, name: 'UBND cấp xã', group: 'UBND cấp xã', members: 2 }]);
    expect(after.questions).toEqual([
      expect.objectContaining({
        kind: 'commune-group',
        row: 2,
        options: [expect.objectContaining({ value: 'each' }), expect.objectContaining({ value: 'group' })],
      }),
    ]);
    const trail = (
      await app.inject({ method: 'GET', url: '/v1/audit?entityType=registry&entityId=vinh-phuc', headers: coordinator })
    ).json().items;
    expect(trail).toEqual([expect.objectContaining({ action: 'registry-import', details: { added: 2, updated: 0 } })]);
  });

  it('refuses a table with problems, naming row and column, and changes nothing', async () => {
    const refused = await upload('dong-nai', 'Mã,Tên,Loại\nX1,Xã Một,xã\nX2,,xã\nX3,Xã Ba,tỉnh lỵ\n', 'text/csv');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ row: 3, column: 'Tên' }),
      expect.objectContaining({ row: 4, column: 'Loại' }),
    ]);
    const list = await app.inject({
      method: 'GET',
      url: '/v1/registries/dong-nai/agencies?q=X1',
      headers: coordinator,
    });
    expect(list.json().items).toEqual([]);
  });
});
