import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';
import type { AppendixFormat } from '../../domain/appendix/types.ts';

const registry = registryFromJson(readFileSync(new URL('../../data/agencies/vinh-phuc.json', import.meta.url), 'utf8'));
const utf8 = (text: string) => new TextEncoder().encode(text);
const preview = (
  bytes: Uint8Array,
  extra: {
    format?: AppendixFormat;
    fileName?: string;
    periodStart?: string;
    periodEnd?: string;
    maxBytes?: number;
  } = {},
) =>
  previewPlan(
    {
      bytes,
      ...(extra.format ? { format: extra.format } : {}),
      ...(extra.fileName ? { fileName: extra.fileName } : {}),
    },
    {
      registry,
      ...(extra.periodStart ? { periodStart: extra.periodStart } : {}),
      ...(extra.periodEnd ? { periodEnd: extra.periodEnd } : {}),
      ...(extra.maxBytes ? { maxBytes: extra.maxBytes } : {}),
    },
  );

const HEADER = 'STT,Nội dung,Cơ quan chủ trì,Cơ quan phối hợp,Thời gian hoàn thành';

function utf16le(text: string, bom: boolean): Uint8Array {
  const bytes = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  let offset = 0;
  if (bom) {
    bytes.set([0xff, 0xfe]);
    offset = 2;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[offset + i * 2] = code & 0xff;
    bytes[offset + i * 2 + 1] = code >> 8;
  }
  return bytes;
}

describe('inputs that cannot be read', () => {
  it('refuses an empty file', async () => {
    for (const format of [undefined, 'csv', 'text', 'xlsx'] as const) {
      const result = await preview(new Uint8Array(0), format ? { format } : {});
      expect(result.errors).toEqual([{ message: expect.stringContaining('Tệp rỗng') }]);
      expect(result.tasks).toEqual([]);
    }
    expect((await preview(utf8('  \r\n \n'))).errors[0]!.message).toContain('Tệp rỗng');
  });

  it('refuses text mixing UTF-8 with Windows-1258, naming the line of the first bad byte', async () => {
    // "Sở Nội vụ" in Windows-1258 (ô is 0xF4, the dot below a combining 0xF2) after a UTF-8 header:
    // read as Windows-1258 the header's "ộ" becomes "á»™", so neither reading is Vietnamese.
    const header = utf8(`${HEADER}\n1,Việc A,`);
    const cp1258 = new Uint8Array([0x53, 0xfd, 0x20, 0x4e, 0xf4, 0xf2, 0x69, 0x20, 0x76, 0xf9, 0xf2]);
    const bytes = new Uint8Array([...header, ...cp1258, ...utf8(',,2022\n')]);
    const result = await preview(bytes);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.row).toBe(2);
    expect(result.errors[0]!.message).toContain('UTF-8');
    expect(result.errors[0]!.message).toContain('dòng 2');
    expect(result.errors[0]!.message).toContain('Windows-1258');
  });

  it('refuses UTF-16 without a byte-order mark, but reads it with one', async () => {
    const text = `${HEADER}\n1,Việc A,Sở Nội vụ,,2022\n`;
    const withoutBom = await preview(utf16le(text, false));
    expect(withoutBom.errors[0]!.message).toContain('UTF-16');
    const withBom = await preview(utf16le(text, true));
    expect(withBom.errors).toEqual([]);
    expect(withBom.tasks.map((t) => [t.number, t.leads[0]?.code])).toEqual([['1', 'SNV']]);
  });

  it('refuses a file over the size limit', async () => {
    const result = await preview(utf8(`${HEADER}\n1,Việc A,Sở Nội vụ,,2022\n`), { maxBytes: 20 });
    expect(result.errors).toEqual([{ message: expect.stringContaining('Tệp quá lớn') }]);
  });

  it('refuses a broken workbook and the old .xls format', async () => {
    const broken = await preview(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]));
    expect(broken.errors[0]!.message).toContain('.xlsx');
    const legacy = await preview(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), {
      fileName: 'phu-luc.xls',
    });
    expect(legacy.errors[0]!.message).toContain('.xls');
  });

  it('refuses a workbook read as CSV or text', async () => {
    const result = await preview(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), { format: 'csv' });
    expect(result.errors[0]!.message).toContain('xlsx');
  });

  it('refuses a CSV with a quote that is never closed, naming its line', async () => {
    const result = await preview(utf8(`${HEADER}\n1,Việc A,Sở Nội vụ,,2022\n2,"Việc B,Sở Nội vụ,,2022\n`));
    expect(result.errors).toEqual([{ row: 3, message: expect.stringContaining('dòng 3') }]);
  });

  it('refuses a text file without the appendix table', async () => {
    const result = await preview(utf8('QUYẾT ĐỊNH\nĐiều 1. Ban hành kế hoạch.\n'), { format: 'text' });
    expect(result.errors[0]!.message).toContain('Không tìm thấy bảng phụ lục');
  });
});

describe('tables that cannot be understood', () => {
  it('refuses a CSV without a recognisable header', async () => {
    const result = await preview(utf8('Số,Việc,Ai làm\n1,Việc A,Sở Nội vụ\n'));
    expect(result.errors).toEqual([{ message: expect.stringContaining('Không tìm thấy dòng tiêu đề') }]);
  });

  it('refuses a header without a lead column, naming the header row and the missing column', async () => {
    const result = await preview(
      utf8('Kế hoạch năm 2022\nSTT,Nội dung,Sản phẩm,Cơ quan phối hợp,Thời gian\n1,Việc A,Báo cáo,Sở Nội vụ,2022\n'),
    );
    expect(result.errors).toEqual([{ row: 2, field: 'lead', message: expect.stringContaining('"Cơ quan chủ trì"') }]);
  });
});

describe('rows with problems', () => {
  it('stops on a row without a lead, naming the row and the column', async () => {
    const result = await preview(utf8(`${HEADER}\n1,Việc A,Sở Nội vụ,,2022\n2,Việc B,,Sở Nội vụ,2022\n`));
    expect(result.errors).toEqual([
      {
        row: 3,
        column: 'Cơ quan chủ trì',
        field: 'lead',
        message: expect.stringContaining('không có cơ quan chủ trì'),
      },
    ]);
    expect(result.tasks).toHaveLength(2);
  });

  it('stops on a row without a task', async () => {
    const result = await preview(utf8(`${HEADER}\n1,,Sở Nội vụ,,2022\n`));
    expect(result.errors).toEqual([
      { row: 2, column: 'Nội dung', field: 'task', message: expect.stringContaining('không có nội dung') },
    ]);
  });

  it('warns of a duplicated number, naming both rows, and imports both under distinct keys', async () => {
    const result = await preview(
      utf8(`${HEADER}\n1,Việc A,Sở Nội vụ,,2022\n2,Việc B,Sở Y tế,,2022\n2.,Việc C,Sở Y tế,,2023\n`),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      { row: 4, column: 'STT', field: 'number', message: expect.stringMatching(/"2".*dòng 4.*dòng 3/) },
    ]);
    expect(result.tasks.map((t) => [t.row, t.key, t.title])).toEqual([
      [2, '1', 'Việc A'],
      [3, '2', 'Việc B'],
      [4, '2~2', 'Việc C'],
    ]);
  });

  it('warns about a deadline outside the plan period, naming the row and the column', async () => {
    const result = await preview(
      utf8(`${HEADER}\n1,Việc A,Sở Nội vụ,,2026\n2,Việc B,Sở Nội vụ,,2019-2022\n3,Việc C,Sở Nội vụ,,2021-2025\n`),
      {
        periodStart: '2021-01-01',
        periodEnd: '2025-12-31',
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.row, w.column, w.field])).toEqual([
      [2, 'Thời gian hoàn thành', 'deadline'],
      [3, 'Thời gian hoàn thành', 'deadline'],
    ]);
    expect(result.warnings[0]!.message).toContain('31/12/2026');
    expect(result.warnings[0]!.message).toContain('01/01/2021–31/12/2025');
    expect(result.tasks[0]!.warnings).toEqual([result.warnings[0]]);
  });

  it('warns about a deadline it cannot read or that is missing, and never guesses one', async () => {
    const result = await preview(utf8(`${HEADER}\n1,Việc A,Sở Nội vụ,,khi có chỉ đạo\n2,Việc B,Sở Nội vụ,,\n`));
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => t.deadline)).toEqual([
      { kind: 'unresolved', raw: 'khi có chỉ đạo' },
      { kind: 'unresolved', raw: '' },
    ]);
    expect(result.warnings.map((w) => [w.row, w.field])).toEqual([
      [2, 'deadline'],
      [3, 'deadline'],
    ]);
  });

  it('skips a row without a number (a footnote) with a warning', async () => {
    const result = await preview(utf8(`${HEADER}\n1,Việc A,Sở Nội vụ,,2022\nGhi chú: các sở tự bố trí kinh phí,,,,\n`));
    expect(result.errors).toEqual([]);
    expect(result.tasks).toHaveLength(1);
    expect(result.warnings).toEqual([
      { row: 3, column: 'STT', field: 'number', message: expect.stringContaining('không được nhập') },
    ]);
  });

  it('says so when the table has a header but no task', async () => {
    const result = await preview(utf8(`${HEADER}\nI,CẢI CÁCH THỂ CHẾ,,,\n`));
    expect(result.errors).toEqual([{ message: expect.stringContaining('Không tìm thấy nhiệm vụ nào') }]);
  });
});
