import type ExcelJS from 'exceljs';
import { formatDateCell, isDateFormat } from './cell-format.ts';
import { looksLikeHeader } from './columns.ts';
import { checkSize } from './decode.ts';
import { isLegacyOffice, isZip, zipUncompressedSize } from './office-kind.ts';
import { columnLetter, RowCollector, TABLE_LIMITS } from './limits.ts';
import { AppendixReadError } from './types.ts';
import type { Issue, RawTable } from './types.ts';

/** What an appendix workbook may inflate to: a real one is a few megabytes. */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

// An .xlsx workbook, parsed in memory from the bytes we are given. Merged cells read as their
// master's value in every cell they cover, like the text extraction repeats section titles. A date
// reads as its number format shows it (cell-format.ts): a month is a month, not its first day.

const MS_PER_DAY = 86_400_000;
/** Day 0 of the 1900 date system as Excel counts it (it takes 1900 for a leap year). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** The text a person sees in the cell, through its number format. */
export function cellText(value: ExcelJS.CellValue, numFmt?: string, date1904 = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // A serial whose format shows a date, which the library left as a number.
    if (isDateFormat(numFmt) && Number.isFinite(value) && value > 0 && value < 2_958_466)
      return formatDateCell(new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + Math.floor(value) * MS_PER_DAY), numFmt);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : formatDateCell(value, numFmt);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value)
    return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue, numFmt, date1904);
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt, date1904);
  return '';
}

/**
 * The rows of a sheet, cell by cell as stored: a value in column XFD costs one cell, not a row of
 * sixteen thousand. Formulas whose value was never saved (a file written by a program, not by
 * Excel) read as empty and are reported.
 */
function sheetRows(sheet: ExcelJS.Worksheet, date1904: boolean): RawTable {
  const collector = new RowCollector();
  const warnings: Issue[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const continued: number[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (column > TABLE_LIMITS.columns) {
        if (cellText(cell.value, cell.numFmt, date1904).trim() !== '' && !collector.stray.has(rowNumber))
          collector.stray.set(rowNumber, column);
        return;
      }
      const value = cell.value;
      if (value && typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
        const result = (value as ExcelJS.CellFormulaValue).result;
        if (result === undefined || result === null) {
          warnings.push({
            row: rowNumber,
            column: columnLetter(column),
            message: `Ô ${columnLetter(column)}${rowNumber} là công thức chưa có giá trị lưu trong tệp nên được đọc là ô trống; hãy mở tệp bằng Excel, lưu lại rồi gửi lại.`,
          });
        }
      }
      while (cells.length < column - 1) cells.push('');
      // A merged cell's format is its master's, as is its value.
      const master = cell.isMerged ? cell.master : cell;
      const format = master !== cell ? master.numFmt : cell.numFmt;
      const text = cellText(value, format, date1904);
      // A merge over several rows: the rows below the first continue its value.
      if (master !== cell && Number(master.row) < rowNumber && text.trim() !== '') continued.push(column - 1);
      cells.push(text);
    });
    collector.add({ row: rowNumber, cells, ...(continued.length > 0 ? { continued } : {}) });
  });
  return { format: 'xlsx', rows: collector.rows, sheet: sheet.name, stray: collector.stray, warnings };
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
  // Loaded here, not at the top: the library takes a second to load, and most reads (CSV, Word, a
  // draft's table read again after an edit) never need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
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
  const date1904 = Boolean((workbook.properties as { date1904?: boolean } | undefined)?.date1904);
  for (const sheet of workbook.worksheets) {
    const table = sheetRows(sheet, date1904);
    if (table.rows.length === 0) continue;
    if (table.rows.slice(0, 30).some(looksLikeHeader)) return table;
    fallback ??= table;
  }
  if (!fallback) throw new AppendixReadError({ message: 'Bảng tính không có dữ liệu: mọi trang tính đều trống.' });
  return fallback;
}
