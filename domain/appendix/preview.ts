import { locateColumns } from './columns.ts';
import { checkSize, decodeText } from './decode.ts';
import { interpretTable } from './interpret.ts';
import { readCsvTable } from './read-csv.ts';
import { readTextTable } from './read-text.ts';
import { isLegacyExcel, isZip, readXlsxTable } from './read-xlsx.ts';
import { AppendixReadError } from './types.ts';
import type { AppendixFormat, PlanPreview, PreviewInput, PreviewOptions, RawTable } from './types.ts';

/**
 * The input's format from its bytes: a zip is a workbook; text whose lines start with a tab is
 * the PDF text extraction; anything else is CSV. Decoding errors surface here, before reading.
 */
export function sniffFormat(bytes: Uint8Array, fileName?: string): AppendixFormat {
  if (isZip(bytes) || isLegacyExcel(bytes)) return 'xlsx';
  const text = decodeText(bytes);
  if (/^[ \u00a0]*\t/m.test(text)) return 'text';
  if (fileName && /\.txt$/i.test(fileName)) return 'text';
  return 'csv';
}

async function readTable(input: PreviewInput, maxBytes: number | undefined): Promise<RawTable> {
  checkSize(input.bytes, maxBytes);
  const format = input.format ?? sniffFormat(input.bytes, input.fileName);
  if (format !== 'xlsx' && (isZip(input.bytes) || isLegacyExcel(input.bytes))) {
    throw new AppendixReadError({
      message: `Tệp là bảng tính Excel, không phải ${format === 'csv' ? 'CSV' : 'văn bản'}; hãy chọn định dạng xlsx.`,
    });
  }
  if (format === 'xlsx') return readXlsxTable(input.bytes, maxBytes);
  if (format === 'csv') return readCsvTable(input.bytes, maxBytes);
  return readTextTable(input.bytes, maxBytes);
}

/**
 * Reads an appendix table and says what importing it would create, without creating anything:
 * the tasks with their areas, leads, collaborators and deadlines, and every warning and error.
 * Errors stop the import; warnings do not.
 */
export async function previewPlan(input: PreviewInput, options: PreviewOptions): Promise<PlanPreview> {
  let table: RawTable;
  try {
    table = await readTable(input, options.maxBytes);
  } catch (error) {
    if (error instanceof AppendixReadError) return { tasks: [], warnings: [], errors: [error.issue] };
    throw error;
  }
  if (table.rows.length === 0) {
    return { tasks: [], warnings: [], errors: [{ message: 'Tệp không có dòng dữ liệu nào.' }] };
  }
  const located = locateColumns(table);
  if (!located.map || located.errors.length > 0) {
    return { tasks: [], warnings: located.warnings, errors: located.errors };
  }
  const result = interpretTable(table, located.map, {
    registry: options.registry,
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.periodStart !== undefined ? { periodStart: options.periodStart } : {}),
    ...(options.periodEnd !== undefined ? { periodEnd: options.periodEnd } : {}),
  });
  return { tasks: result.tasks, warnings: [...located.warnings, ...result.warnings], errors: result.errors };
}
