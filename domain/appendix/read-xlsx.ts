import ExcelJS from 'exceljs';
import { looksLikeHeader } from './columns.ts';
import { checkSize } from './decode.ts';
import { isLegacyOffice, isZip, zipUncompressedSize } from './office-kind.ts';
import { AppendixReadError } from './types.ts';
import type { RawRow, RawTable } from './types.ts';

/** What an appendix workbook may inflate to: a real one is a few megabytes. */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

// An .xlsx workbook, parsed in memory from the bytes we are given. Merged cells read as their
// master's value in every cell they cover, like the text extraction repeats section titles.

/** dd/mm/yyyy, as plans write dates; Excel dates arrive as UTC midnights. */
function formatDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
}

/** The text a person sees in the cell. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value)
    return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  return '';
}

function sheetRows(sheet: ExcelJS.Worksheet): RawRow[] {
  const rows: RawRow[] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= width; column++) cells.push(cellText(row.getCell(column).value));
    if (cells.some((c) => c.trim() !== '')) rows.push({ row: rowNumber, cells });
  });
  return rows;
}

/** Reads the first worksheet that holds a recognisable appendix header (else the first with data). */
export async function readXlsxTable(bytes: Uint8Array, maxBytes?: number): Promise<RawTable> {
  checkSize(bytes, maxBytes);
  if (isLegacyOffice(bytes)) {
    throw new AppendixReadError({
      message: 'Tệp Excel định dạng cũ (.xls) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx.',
    });
  }
  if (!isZip(bytes)) throw new AppendixReadError({ message: 'Tệp không phải bảng tính .xlsx hợp lệ.' });
  // A zip bomb is refused from what its directory declares, before anything is inflated.
  const unpacked = zipUncompressedSize(bytes);
  if (unpacked > MAX_UNPACKED_BYTES) {
    throw new AppendixReadError({
      message: `Tệp .xlsx khi giải nén lớn hơn ${MAX_UNPACKED_BYTES / 1024 / 1024} MB; bảng phụ lục không cần lớn như vậy (tệp có thể bị hỏng hoặc là tệp nén bất thường).`,
    });
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer,
    );
  } catch {
    // The library's own words ("Bug : uncompressed data size mismatch") mean nothing to a clerk.
    throw new AppendixReadError({
      message: 'Không đọc được tệp .xlsx: tệp hỏng hoặc không phải bảng tính.',
    });
  }
  let fallback: RawTable | undefined;
  for (const sheet of workbook.worksheets) {
    const rows = sheetRows(sheet);
    if (rows.length === 0) continue;
    const table: RawTable = { format: 'xlsx', rows, sheet: sheet.name };
    if (rows.slice(0, 30).some(looksLikeHeader)) return table;
    fallback ??= table;
  }
  if (!fallback) throw new AppendixReadError({ message: 'Bảng tính không có dữ liệu: mọi trang tính đều trống.' });
  return fallback;
}
