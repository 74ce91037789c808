import { describe, expect, it } from 'vitest';
import { cleanCell, sectionNumeral, splitDeliverables } from '../../domain/appendix/cells.ts';
import { headerMeaning, locateColumns } from '../../domain/appendix/columns.ts';
import { sniffFormat } from '../../domain/appendix/preview.ts';

const meaningOf = (header: string) => headerMeaning(header)?.meaning;

describe('header matching', () => {
  it('knows every header variant of a plan appendix, with or without accents, in any case', () => {
    const variants: Record<string, string[]> = {
      number: ['STT', 'TT', 'Số TT', 'stt'],
      objective: ['Mục tiêu', 'MUC TIEU'],
      task: ['Nội dung', 'Nhiệm vụ', 'Tên nhiệm vụ', 'Nội dung/nhiệm vụ', 'Nhiệm vụ, giải pháp', 'Noi dung'],
      deliverable: ['Sản phẩm', 'Kết quả', 'Kết quả dự kiến', 'Sản phẩm đầu ra', 'SAN PHAM'],
      lead: ['Cơ quan chủ trì', 'Đơn vị chủ trì', 'Đơn vị thực hiện', 'Chủ trì', 'CO QUAN CHU TRI'],
      collaborators: ['Cơ quan phối hợp', 'Đơn vị phối hợp', 'Phối hợp', 'co quan phoi hop'],
      deadline: [
        'Thời gian hoàn thành',
        'Thời gian thực hiện',
        'Thời gian dự kiến hoàn thành',
        'Thời gian',
        'THOI GIAN HOAN THANH',
      ],
    };
    for (const [meaning, headers] of Object.entries(variants)) {
      for (const header of headers) expect(meaningOf(header), header).toBe(meaning);
    }
  });

  it('leaves other columns unrecognised, to be kept as metadata', () => {
    expect(meaningOf('Kinh phí')).toBeUndefined();
    expect(meaningOf('Ghi chú')).toBeUndefined();
    expect(
      meaningOf('Tổ chức thực hiện nội dung cải cách hành chính theo kế hoạch của tỉnh trong giai đoạn tới'),
    ).toBeUndefined();
  });

  it('maps columns by meaning whatever their order, keeping the rest under their header', () => {
    const located = locateColumns({
      format: 'csv',
      rows: [
        { row: 1, cells: ['Thời gian', 'Chủ trì', 'TT', 'Kinh phí', 'Nhiệm vụ'] },
        { row: 2, cells: ['2022', 'Sở Y tế', '1', '5 tỷ', 'Việc A'] },
      ],
    });
    expect(located.errors).toEqual([]);
    expect(located.map?.columns).toEqual({ deadline: 0, lead: 1, number: 2, task: 4 });
    expect(located.map?.metadata).toEqual([{ index: 3, header: 'Kinh phí' }]);
    expect(located.map?.headerRow).toBe(1);
  });

  it('reads a text extraction without a header positionally', () => {
    const located = locateColumns({
      format: 'text',
      rows: [{ row: 5, cells: ['1', '', 'Việc', 'Báo cáo', 'Sở Y tế', '', '2022'] }],
    });
    expect(located.map?.columns).toEqual({
      number: 0,
      objective: 1,
      task: 2,
      deliverable: 3,
      lead: 4,
      collaborators: 5,
      deadline: 6,
    });
    expect(located.map?.headers[4]).toBe('Cơ quan chủ trì');
  });
});

describe('cells', () => {
  it('splits deliverables on ; and , keeping each item as written but for its first letter', () => {
    expect(splitDeliverables('Kế hoạch; báo cáo ')).toEqual(['Kế hoạch', 'Báo cáo']);
    expect(splitDeliverables('Kế hoạch, Báo cáo, QĐ xử lý')).toEqual(['Kế hoạch', 'Báo cáo', 'QĐ xử lý']);
    expect(splitDeliverables('đề án')).toEqual(['Đề án']);
    expect(splitDeliverables('- Quyết định.\n- văn bản hướng dẫn')).toEqual(['Quyết định', 'Văn bản hướng dẫn']);
    expect(splitDeliverables('')).toEqual([]);
  });

  it('recognises section numerals', () => {
    expect(sectionNumeral('II')).toEqual({ numeral: 'II', title: '' });
    expect(sectionNumeral('VI. XÂY DỰNG CHÍNH PHỦ SỐ')).toEqual({ numeral: 'VI', title: 'XÂY DỰNG CHÍNH PHỦ SỐ' });
    expect(sectionNumeral('B')).toEqual({ numeral: 'B', title: '' });
    expect(sectionNumeral('12')).toBeUndefined();
    expect(sectionNumeral('XÂY DỰNG')).toBeUndefined();
    expect(sectionNumeral('Báo cáo')).toBeUndefined();
  });

  it('cleans cell text: spaces squished, empty lines dropped, line breaks kept', () => {
    expect(cleanCell('  a  b \n\n  - c ')).toBe('a b\n- c');
  });
});

describe('format sniffing', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  it('tells a workbook, the text extraction and CSV apart from their bytes', () => {
    expect(sniffFormat(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBe('xlsx');
    expect(sniffFormat(utf8('PHỤ LỤC\n\t1\n\tViệc'))).toBe('text');
    expect(sniffFormat(utf8('STT;Nội dung\n1;Việc'))).toBe('csv');
  });
});
