import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { zipEntries, zipUncompressedSize } from '../../domain/appendix/office-kind.ts';
import { readXlsxTable } from '../../domain/appendix/read-xlsx.ts';

async function workbook(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Phụ lục');
  sheet.getRow(1).values = ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Thời gian hoàn thành'];
  sheet.getRow(2).values = [1, 'Rà soát thủ tục', 'Sở Tư pháp', 'Năm 2026'];
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** The same zip, its directory declaring that one entry inflates to `size` bytes (a zip bomb's tell). */
function declaring(bytes: Uint8Array, size: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  const view = new DataView(copy.buffer);
  for (let at = 0; at + 4 <= copy.length; at++) {
    if (view.getUint32(at, true) === 0x02014b50) {
      view.setUint32(at + 24, size, true);
      return copy;
    }
  }
  throw new Error('no central directory entry');
}

describe('the size a workbook inflates to', () => {
  it('is read from the zip directory without inflating anything', async () => {
    const bytes = await workbook();
    expect(zipEntries(bytes).map((e) => e.name)).toContain('xl/workbook.xml');
    expect(zipUncompressedSize(bytes)).toBeGreaterThan(bytes.length);
  });

  it('refuses a workbook that declares more than 100 MB, with a Vietnamese message and no library text', async () => {
    const bomb = declaring(await workbook(), 200 * 1024 * 1024);
    await expect(readXlsxTable(bomb)).rejects.toMatchObject({
      issue: { message: expect.stringMatching(/^Tệp \.xlsx khi giải nén lớn hơn 100 MB/) },
    });
  });

  it('names a broken workbook without the library’s words', async () => {
    const bytes = await workbook();
    const broken = bytes.slice(0, Math.floor(bytes.length / 2));
    await expect(readXlsxTable(broken)).rejects.toMatchObject({
      issue: { message: expect.stringMatching(/^(Không đọc được tệp \.xlsx: tệp hỏng|Tệp không phải)/) },
    });
  });
});
