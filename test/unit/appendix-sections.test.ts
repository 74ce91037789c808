import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { sectionKind, sectionNumeral } from '../../domain/appendix/cells.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';
import { taskKeys } from '../../domain/appendix/task-keys.ts';
import { planFromJson, type PlanMeta } from '../../services/plan-sources.ts';
import { Invalid } from '../../services/errors.ts';

const registry = registryFromJson({
  registry: 'tinh-thu',
  agencies: [
    { code: 'SNV', name: 'Sở Nội vụ', kind: 'department' },
    { code: 'STP', name: 'Sở Tư pháp', kind: 'department' },
    { code: 'SYT', name: 'Sở Y tế', kind: 'department' },
  ],
  groups: [],
});
const csv = (lines: string[]) => new TextEncoder().encode(lines.join('\n'));
const preview = (lines: string[]) => previewPlan({ bytes: csv(lines) }, { registry });
const HEADER = 'STT,Nội dung,Cơ quan chủ trì,Thời gian hoàn thành';

describe('numbering that restarts in each section', () => {
  const restarting = [
    HEADER,
    'I,CẢI CÁCH THỂ CHẾ,,',
    '1,Rà soát văn bản,Sở Tư pháp,2026',
    '2,Kiểm tra văn bản,Sở Tư pháp,2026',
    'II.,CẢI CÁCH THỦ TỤC HÀNH CHÍNH,,',
    '1,Công khai thủ tục,Sở Nội vụ,2026',
    '2,Số hóa hồ sơ,Sở Y tế,2026',
    '2.1,Số hóa hồ sơ cấp xã,Sở Y tế,2026',
  ];

  it('keys every task by section and number, and finds no duplicate', async () => {
    const result = await preview(restarting);
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => [t.row, t.number, t.section, t.key])).toEqual([
      [3, '1', 'I', 'I.1'],
      [4, '2', 'I', 'I.2'],
      [6, '1', 'II', 'II.1'],
      [7, '2', 'II', 'II.2'],
      [8, '2.1', 'II', 'II.2.1'],
    ]);
  });

  it('keeps the number as the key when numbers are unique across the table, sections or not', async () => {
    const result = await preview([
      HEADER,
      'I,CẢI CÁCH THỂ CHẾ,,',
      '1,Rà soát văn bản,Sở Tư pháp,2026',
      'II,CẢI CÁCH THỦ TỤC HÀNH CHÍNH,,',
      '2,Công khai thủ tục,Sở Nội vụ,2026',
      '2.1,Số hóa hồ sơ,Sở Y tế,2026',
    ]);
    expect(result.tasks.map((t) => [t.number, t.section, t.key])).toEqual([
      ['1', 'I', '1'],
      ['2', 'II', '2'],
      ['2.1', 'II', '2.1'],
    ]);
  });

  it('warns of a true duplicate within one section, naming its row, the earlier row and the section, and imports both', async () => {
    const result = await preview([...restarting, '2,Số hóa hồ sơ lần hai,Sở Y tế,2026']);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        row: 9,
        column: 'STT',
        field: 'number',
        message: 'Số thứ tự "2" ở dòng 9 trùng với dòng 7 (cùng mục II); cả hai đều được nhập, dòng 9 với mã II.2~2.',
      },
    ]);
    expect(result.tasks.map((t) => t.key)).toEqual(['I.1', 'I.2', 'II.1', 'II.2', 'II.2.1', 'II.2~2']);
  });

  it('warns of a duplicate before any section by number, and keys the second by its order', async () => {
    const result = await preview([HEADER, '1,Việc A,Sở Nội vụ,2026', '1,Việc B,Sở Y tế,2026']);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        row: 3,
        column: 'STT',
        field: 'number',
        message: 'Số thứ tự "1" ở dòng 3 trùng với dòng 2; cả hai đều được nhập, dòng 3 với mã 1~2.',
      },
    ]);
    expect(result.tasks.map((t) => t.key)).toEqual(['1', '1~2']);
  });

  it('decides the key for the whole plan: repeated numbers anywhere key every task by its section', () => {
    expect(
      taskKeys([
        { number: '1', section: null },
        { number: '1', section: 'A' },
        { number: '2', section: 'A' },
      ]),
    ).toEqual({ keys: ['1', 'A.1', 'A.2'], duplicates: [] });
    expect(taskKeys([{ number: '3', section: 'B' }])).toEqual({ keys: ['3'], duplicates: [] });
    expect(
      taskKeys([
        { number: '1', section: 'I' },
        { number: '1', section: 'I' },
      ]).duplicates,
    ).toEqual([{ index: 1, previous: 0 }]);
  });
});

describe('section rows', () => {
  it('recognises Roman numerals up to XII and beyond, and letters, with or without a dot or a dash', () => {
    for (const [cell, numeral, title] of [
      ['XII', 'XII', ''],
      ['IX.', 'IX', ''],
      ['IV. CẢI CÁCH TÀI CHÍNH CÔNG', 'IV', 'CẢI CÁCH TÀI CHÍNH CÔNG'],
      ['C.', 'C', ''],
      ['B - NHIỆM VỤ CỤ THỂ', 'B', 'NHIỆM VỤ CỤ THỂ'],
      ['XXI: CHUYỂN ĐỔI SỐ', 'XXI', 'CHUYỂN ĐỔI SỐ'],
    ] as const)
      expect(sectionNumeral(cell)).toEqual({ numeral, title });
    expect(sectionNumeral('Cải cách')).toBeUndefined();
    expect(sectionNumeral('1.2')).toBeUndefined();
    expect([sectionKind('XII'), sectionKind('V'), sectionKind('A'), sectionKind('C')]).toEqual([
      'roman',
      'roman',
      'letter',
      'letter',
    ]);
  });

  it('reads letter sections with numbering that restarts, and Roman sections nested in letters', async () => {
    const result = await preview([
      HEADER,
      'A.,NHIỆM VỤ TRỌNG TÂM,,',
      'I,CẢI CÁCH THỂ CHẾ,,',
      '1,Rà soát văn bản,Sở Tư pháp,2026',
      'II,CẢI CÁCH TỔ CHỨC BỘ MÁY,,',
      '1,Sắp xếp tổ chức,Sở Nội vụ,2026',
      'B.,NHIỆM VỤ THƯỜNG XUYÊN,,',
      '1,Tuyên truyền,Sở Nội vụ,Thường xuyên',
      'I,CẢI CÁCH THỂ CHẾ,,',
      '1,Theo dõi thi hành pháp luật,Sở Tư pháp,2026',
    ]);
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => [t.key, t.area])).toEqual([
      ['A.I.1', 'CẢI CÁCH THỂ CHẾ'],
      ['A.II.1', 'CẢI CÁCH TỔ CHỨC BỘ MÁY'],
      ['B.1', 'NHIỆM VỤ THƯỜNG XUYÊN'],
      ['B.I.1', 'CẢI CÁCH THỂ CHẾ'],
    ]);
  });

  it('reads section rows up to XII in a workbook, the title in a cell merged across the row', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Phụ lục');
    sheet.addRow(['TT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời gian thực hiện']);
    const numerals = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
    for (const [i, numeral] of numerals.entries()) {
      const row = sheet.addRow([`${numeral}. LĨNH VỰC ${i + 1}`]);
      sheet.mergeCells(row.number, 1, row.number, 4);
      sheet.addRow([1, `Nhiệm vụ thứ nhất của mục ${numeral}`, 'Sở Nội vụ', 2026]);
    }
    const result = await previewPlan({ bytes: new Uint8Array(await book.xlsx.writeBuffer()) }, { registry });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.tasks.map((t) => t.key)).toEqual(numerals.map((n) => `${n}.1`));
    expect(result.tasks.at(-1)).toMatchObject({ row: 25, number: '1', section: 'XII', area: 'LĨNH VỰC 12' });
  });
});

describe('the JSON form with sections', () => {
  const meta: PlanMeta = {
    code: '12/KH-UBND',
    title: 'Kế hoạch thử',
    province: 'Tỉnh thử',
    registry,
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    policy: {},
  };
  const task = (number: string, section?: string) => ({
    number,
    ...(section ? { section } : {}),
    title: `Nhiệm vụ ${section ?? ''} ${number}`,
    leads: ['Sở Nội vụ'],
    dueDate: '2026-12-31',
  });
  const body = (tasks: ReturnType<typeof task>[]) => ({ periodStart: '2026-01-01', periodEnd: '2026-12-31', tasks });

  it('keys tasks by section when numbers repeat, by number otherwise', () => {
    const restarting = planFromJson(body([task('1', 'I'), task('2', 'I'), task('1', 'II')]), meta);
    expect(restarting.plan.tasks.map((t) => [t.number, t.section, t.key])).toEqual([
      ['1', 'I', 'I.1'],
      ['2', 'I', 'I.2'],
      ['1', 'II', 'II.1'],
    ]);
    const unique = planFromJson(body([task('1', 'I'), task('2', 'II')]), meta);
    expect(unique.plan.tasks.map((t) => t.key)).toEqual(['1', '2']);
  });

  it('refuses a duplicate within one section, naming it by JSON pointer', () => {
    let error: unknown;
    try {
      planFromJson(body([task('1', 'I'), task('1', 'II'), task('1', 'II')]), meta);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).errors).toEqual([
      { field: '/tasks/2/number', message: 'Số thứ tự "1" trùng với /tasks/1 (cùng mục II).' },
    ]);
  });
});
