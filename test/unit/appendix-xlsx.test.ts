import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';
import { readXlsxTable } from '../../domain/appendix/read-xlsx.ts';

const registry = registryFromJson(readFileSync(new URL('../../data/agencies/vinh-phuc.json', import.meta.url), 'utf8'));

async function toBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** An appendix laid out as provinces lay it out in Excel: titles, merged cells, typed values. */
async function appendixWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Quyết định').getCell('A1').value = 'QUYẾT ĐỊNH ban hành kế hoạch';
  const sheet = workbook.addWorksheet('Phụ lục');
  sheet.getCell('A1').value = 'PHỤ LỤC';
  sheet.mergeCells('A1:H1');
  sheet.getCell('A2').value = 'KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022';
  sheet.mergeCells('A2:H2');
  sheet.getRow(4).values = [
    'STT',
    'Mục tiêu',
    'Nội dung',
    'Sản phẩm',
    'Cơ quan chủ trì',
    'Cơ quan phối hợp',
    'Thời gian hoàn thành',
    'Nguồn kinh phí',
  ];
  sheet.getRow(5).values = ['I', 'CẢI CÁCH THỂ CHẾ'];
  sheet.mergeCells('B5:H5');
  sheet.getRow(6).values = [
    1,
    'Nâng cao chất lượng văn bản',
    'Rà soát văn bản quy phạm',
    'Báo cáo',
    'Sở Tư pháp',
    'Các sở, ban, ngành',
    2022,
    'Ngân sách tỉnh',
  ];
  sheet.getRow(7).values = [
    2,
    null,
    'Kiểm tra văn bản',
    'Kế hoạch, Báo cáo',
    'Sở Tư pháp',
    null,
    new Date(Date.UTC(2022, 5, 30)),
  ];
  sheet.getRow(8).values = [
    3,
    null,
    { richText: [{ text: 'Tập huấn ' }, { font: { bold: true }, text: 'pháp luật' }] },
    'Kế hoạch',
    'Sở Tư pháp',
    null,
    'Quý 4/2022',
  ];
  sheet.mergeCells('B6:B8');
  sheet.getRow(9).values = ['II', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH'];
  sheet.mergeCells('B9:H9');
  sheet.getRow(10).values = [4, 'Một cửa liên thông', 'Số hóa hồ sơ', 'Quyết định', 'VP UBND tỉnh', null, 'Hàng năm'];
  sheet.getRow(11).values = [4.1, null, 'Số hóa cấp huyện', 'Báo cáo', 'UBND cấp huyện', null, 2023];
  return toBytes(workbook);
}

describe('XLSX appendix', () => {
  it('reads the sheet holding the appendix, numbering rows as the worksheet does', async () => {
    const table = await readXlsxTable(await appendixWorkbook());
    expect(table.sheet).toBe('Phụ lục');
    expect(table.rows.map((r) => r.row)).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('finds the header below the titles and reads merged objectives, typed numbers, dates and rich text', async () => {
    const preview = await previewPlan(
      { bytes: await appendixWorkbook() },
      { registry, periodStart: '2021-01-01', periodEnd: '2025-12-31' },
    );
    expect(preview.errors).toEqual([]);
    expect(preview.warnings).toEqual([]);
    expect(preview.tasks.map((t) => [t.row, t.number, t.area, t.objective])).toEqual([
      [6, '1', 'CẢI CÁCH THỂ CHẾ', 'Nâng cao chất lượng văn bản'],
      [7, '2', 'CẢI CÁCH THỂ CHẾ', 'Nâng cao chất lượng văn bản'],
      [8, '3', 'CẢI CÁCH THỂ CHẾ', 'Nâng cao chất lượng văn bản'],
      [10, '4', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', 'Một cửa liên thông'],
      [11, '4.1', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', 'Một cửa liên thông'],
    ]);
    const [first, second, third, , fifth] = preview.tasks;
    expect(first!.deadline).toEqual({ kind: 'date', due: '2022-12-31', raw: '2022' });
    expect(first!.metadata).toEqual({ 'Nguồn kinh phí': 'Ngân sách tỉnh' });
    expect(first!.collaborators.length).toBeGreaterThanOrEqual(16);
    expect(second!.deadline).toMatchObject({ kind: 'date', due: '2022-06-30', raw: '30/06/2022' });
    expect(second!.deliverables).toEqual(['Kế hoạch', 'Báo cáo']);
    expect(third!.title).toBe('Tập huấn pháp luật');
    expect(third!.deadline).toMatchObject({ kind: 'date', due: '2022-12-31' });
    expect(fifth!.leads).toHaveLength(9);
    expect(fifth!.leads.every((l) => l.group === 'UBND cấp huyện')).toBe(true);
  });

  it('refuses a workbook without a recognisable header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['Số', 'Việc', 'Ai làm']);
    sheet.addRow([1, 'Việc A', 'Sở Nội vụ']);
    const preview = await previewPlan({ bytes: await toBytes(workbook) }, { registry });
    expect(preview.tasks).toEqual([]);
    expect(preview.errors).toEqual([{ message: expect.stringContaining('Không tìm thấy dòng tiêu đề') }]);
  });
});
