import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { officeKind } from '../../domain/appendix/office-kind.ts';
import { previewPlan, sniffFormat } from '../../domain/appendix/preview.ts';
import { readDocxTable } from '../../domain/appendix/read-docx.ts';
import { appendixDocx, documentXml, docxFile, tableXml, type DocxRow } from '../support/docx.ts';

// A province's registry after the 2025 merges, small enough to read.
const registry = registryFromJson({
  registry: 'tinh-thu',
  qualifiers: ['tỉnh'],
  agencies: [
    { code: 'SNV', name: 'Sở Nội vụ', kind: 'department' },
    { code: 'STP', name: 'Sở Tư pháp', kind: 'department' },
    { code: 'STC', name: 'Sở Tài chính', kind: 'department' },
    { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' },
    { code: 'SVHTTDL', name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'department' },
    { code: 'VPUBND', name: 'Văn phòng UBND tỉnh', kind: 'office', aliases: ['VP UBND tỉnh'] },
  ],
  groups: [],
});

const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const HEADER = ['STT', 'Nội dung nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'];
const NUMBERING = ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)'];

/** The appendix as a Word table: section rows merged across, a lead merged down two rows. */
const wordRows: DocxRow[] = [
  HEADER,
  NUMBERING,
  [{ text: 'I. CẢI CÁCH THỂ CHẾ', span: 6 }],
  [
    '1',
    'Rà soát văn bản\nquy phạm pháp luật',
    'Báo cáo',
    { text: 'Sở Tư pháp', vMerge: 'restart' },
    'Sở Nội vụ; Sở Tài chính',
    'Quý IV/2026',
  ],
  ['2', 'Kiểm tra văn bản', 'Kế hoạch, báo cáo', { vMerge: 'continue' }, '', '2026'],
  ['II', { text: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', span: 5 }],
  ['1', 'Công khai thủ tục hành chính', 'Quyết định', 'Sở Tư pháp và Sở Nội vụ', '', 'Tháng 6/2026'],
  ['2', 'Số hóa hồ sơ', 'Báo cáo', 'VP UBND tỉnh', 'Sở Văn hóa, Thể thao và Du lịch', 'Hằng năm'],
];

/** The same appendix as a worksheet, merged the same way, rows in the same places. */
async function workbookRows(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Phụ lục');
  sheet.getRow(1).values = HEADER;
  sheet.getRow(2).values = NUMBERING;
  sheet.getCell('A3').value = 'I. CẢI CÁCH THỂ CHẾ';
  sheet.mergeCells('A3:F3');
  sheet.getRow(4).values = [
    '1',
    'Rà soát văn bản\nquy phạm pháp luật',
    'Báo cáo',
    'Sở Tư pháp',
    'Sở Nội vụ; Sở Tài chính',
    'Quý IV/2026',
  ];
  sheet.getRow(5).values = ['2', 'Kiểm tra văn bản', 'Kế hoạch, báo cáo', null, '', '2026'];
  sheet.mergeCells('D4:D5');
  sheet.getRow(6).values = ['II', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH'];
  sheet.mergeCells('B6:F6');
  sheet.getRow(7).values = [
    '1',
    'Công khai thủ tục hành chính',
    'Quyết định',
    'Sở Tư pháp và Sở Nội vụ',
    '',
    'Tháng 6/2026',
  ];
  sheet.getRow(8).values = [
    '2',
    'Số hóa hồ sơ',
    'Báo cáo',
    'VP UBND tỉnh',
    'Sở Văn hóa, Thể thao và Du lịch',
    'Hằng năm',
  ];
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const options = { registry, periodStart: '2026-01-01', periodEnd: '2026-12-31' };

describe('Word (.docx) appendix', () => {
  it('reads the same tasks as the equivalent workbook: spans, vertical merges, runs and paragraphs', async () => {
    const word = await previewPlan({ bytes: await appendixDocx(wordRows) }, options);
    const excel = await previewPlan({ bytes: await workbookRows() }, options);
    expect(word.errors).toEqual([]);
    expect(excel.errors).toEqual([]);
    expect(word).toEqual(excel);
    expect(word.tasks.map((t) => [t.row, t.number, t.section, t.key, t.area])).toEqual([
      [4, '1', 'I', 'I.1', 'CẢI CÁCH THỂ CHẾ'],
      [5, '2', 'I', 'I.2', 'CẢI CÁCH THỂ CHẾ'],
      [7, '1', 'II', 'II.1', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH'],
      [8, '2', 'II', 'II.2', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH'],
    ]);
    const [first, second, third, fourth] = word.tasks;
    expect(first!.title).toBe('Rà soát văn bản\nquy phạm pháp luật');
    expect(first!.collaborators.map((c) => c.code)).toEqual(['SNV', 'STC']);
    expect(second!.leads.map((l) => l.code)).toEqual(['STP']);
    expect(second!.deliverables).toEqual(['Kế hoạch', 'Báo cáo']);
    expect(third!.leads.map((l) => l.code)).toEqual(['STP', 'SNV']);
    expect(fourth!.collaborators.map((c) => c.code)).toEqual(['SVHTTDL']);
  });

  it('picks the table holding the appendix header among the title and signature tables', async () => {
    const table = await readDocxTable(await appendixDocx(wordRows));
    expect(table).toMatchObject({ format: 'docx', table: 2 });
    expect(table.rows[0]!.cells).toEqual(HEADER);
    // A span repeats its text in every column it covers; a continued cell takes the one above.
    expect(table.rows[2]!.cells).toEqual(Array(6).fill('I. CẢI CÁCH THỂ CHẾ'));
    expect(table.rows[4]!.cells[3]).toBe('Sở Tư pháp');
  });

  it('reads rows that skip grid columns, nested tables, breaks and text split across runs', async () => {
    const nested = tableXml([['Sở Nội vụ'], ['Sở Tư pháp']]);
    const bytes = await appendixDocx([
      ['TT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời gian thực hiện'],
      ['1', { runs: ['Tuyên ', 'truyền ', 'CCHC'] }, { xml: `<w:p/>${nested}` }, '2026'],
      { gridBefore: 1, cells: ['Ghi chú'] },
      [
        '2',
        {
          xml:
            '<w:p><w:r><w:t>Đánh giá</w:t><w:br/><w:t>chỉ số</w:t><w:tab/><w:t>PAR</w:t></w:r>' +
            '<w:moveFrom><w:r><w:t> (chuyển đi)</w:t></w:r></w:moveFrom>' +
            `<mc:AlternateContent xmlns:mc="${MC}"><mc:Choice Requires="wps"><w:r><w:t> năm 2026</w:t></w:r></mc:Choice>` +
            '<mc:Fallback><w:r><w:t> năm 2026 (bản dự phòng)</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>',
        },
        'Sở Nội vụ',
        'Quý 4/2026',
      ],
    ]);
    const table = await readDocxTable(bytes);
    expect(table.rows[1]!.cells).toEqual(['1', 'Tuyên truyền CCHC', '\nSở Nội vụ\nSở Tư pháp', '2026']);
    expect(table.rows[2]!.cells).toEqual(['', 'Ghi chú']);
    // Text moved away and the fallback copy of a drawing are not what a reader sees.
    expect(table.rows[3]!.cells[1]).toBe('Đánh giá\nchỉ số PAR năm 2026');
    const preview = await previewPlan({ bytes }, options);
    expect(preview.tasks.map((t) => [t.key, t.title, t.leads.map((l) => l.code)])).toEqual([
      ['1', 'Tuyên truyền CCHC', ['SNV', 'STP']],
      ['2', 'Đánh giá\nchỉ số PAR năm 2026', ['SNV']],
    ]);
  });

  it('is told apart from a workbook by its parts, and refused when the wrong format is chosen', async () => {
    const word = await appendixDocx(wordRows);
    const excel = await workbookRows();
    expect(officeKind(word)).toBe('docx');
    expect(officeKind(excel)).toBe('xlsx');
    expect(sniffFormat(word)).toBe('docx');
    expect(sniffFormat(excel)).toBe('xlsx');
    const asXlsx = await previewPlan({ bytes: word, format: 'xlsx' }, options);
    expect(asXlsx.errors).toEqual([{ message: expect.stringContaining('hãy chọn định dạng docx') }]);
    const asDocx = await previewPlan({ bytes: excel, format: 'docx' }, options);
    expect(asDocx.errors).toEqual([{ message: expect.stringContaining('hãy chọn định dạng xlsx') }]);
    const asCsv = await previewPlan({ bytes: word, format: 'csv' }, options);
    expect(asCsv.errors[0]!.message).toContain('văn bản Word');
  });

  it('refuses an old .doc, a document without tables, and one without the appendix header', async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const legacy = await previewPlan({ bytes: ole, fileName: 'phu-luc.doc' }, options);
    expect(legacy.errors).toEqual([{ message: expect.stringContaining('.doc)') }]);
    const prose = await previewPlan(
      { bytes: await docxFile(documentXml('<w:p><w:r><w:t>Điều 1.</w:t></w:r></w:p>')) },
      options,
    );
    expect(prose.errors).toEqual([{ message: expect.stringContaining('không có bảng') }]);
    const other = await previewPlan({ bytes: await appendixDocx([['Số', 'Việc', 'Ai làm']]) }, options);
    expect(other.errors).toEqual([{ message: expect.stringContaining('Không tìm thấy dòng tiêu đề') }]);
  });

  it('never expands entities a DTD declares (nested "laughs") nor fetches external ones', async () => {
    const laughs =
      '<!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    const body = tableXml([HEADER, ['1', '&c;', 'Báo cáo', 'Sở Nội vụ', '', '2026']]).replace('&amp;c;', '&c;');
    const bomb = await previewPlan({ bytes: await docxFile(documentXml(body, laughs)) }, options);
    expect(bomb.tasks).toEqual([]);
    expect(bomb.errors).toEqual([{ message: expect.stringContaining('DTD') }]);
    const external = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>';
    const leak = await previewPlan(
      { bytes: await docxFile(documentXml(body.replace('&c;', '&x;'), external)) },
      options,
    );
    expect(leak.errors).toEqual([{ message: expect.stringContaining('DTD') }]);
    // Without a DTD an unknown entity is malformed XML, not an invitation.
    const undeclared = await previewPlan({ bytes: await docxFile(documentXml(body)) }, options);
    expect(undeclared.errors).toEqual([{ message: expect.stringContaining('(word/document.xml) bị hỏng') }]);
  });

  it('refuses a zip that is not a Word document and a broken one', async () => {
    const broken = await previewPlan(
      { bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), format: 'docx' },
      options,
    );
    expect(broken.errors[0]!.message).toContain('.docx');
  });
});
