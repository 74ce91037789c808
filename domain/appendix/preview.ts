import { locateColumns, looksLikeHeader } from './columns.ts';
import { checkSize, decodeText } from './decode.ts';
import { interpretTable } from './interpret.ts';
import { proposeAgencies } from './proposed-agencies.ts';
import { isLegacyOffice, isZip, officeKind } from './office-kind.ts';
import { readCsvTable } from './read-csv.ts';
import { readDocxTable } from './read-docx.ts';
import { readTextTable } from './read-text.ts';
import { readXlsxTable } from './read-xlsx.ts';
import { AppendixReadError } from './types.ts';
import type { AppendixFormat, PlanPreview, PreviewInput, PreviewOptions, RawTable } from './types.ts';

/**
 * A Word document or a workbook, by the parts of the zip (or the old binary one's file name); a
 * zip holding neither is taken for a workbook, whose reader says what is wrong with it.
 */
function binaryFormat(bytes: Uint8Array, fileName?: string): 'docx' | 'xlsx' | undefined {
  if (isZip(bytes)) return officeKind(bytes) ?? 'xlsx';
  if (isLegacyOffice(bytes)) return fileName && /\.docx?$/i.test(fileName) ? 'docx' : 'xlsx';
  return undefined;
}

/** A line that is a whole header row, tab-separated: Excel's "Unicode Text" (UTF-16) export. */
function tabSeparatedHeader(text: string): boolean {
  return text
    .split(/\r\n|\n|\r/, 30)
    .some((line) => !/^[ \u00a0]*\t/.test(line) && looksLikeHeader({ row: 0, cells: line.split('\t') }));
}

/**
 * The input's format from its bytes: a zip is a Word document or a workbook by its parts; text
 * whose lines start with a tab is the PDF text extraction, unless a line holds a tab-separated
 * header; anything else is CSV. Decoding errors surface here, before reading.
 */
export function sniffFormat(bytes: Uint8Array, fileName?: string): AppendixFormat {
  const binary = binaryFormat(bytes, fileName);
  if (binary) return binary;
  const text = decodeText(bytes);
  if (tabSeparatedHeader(text)) return 'csv';
  if (/^[ \u00a0]*\t/m.test(text)) return 'text';
  if (fileName && /\.txt$/i.test(fileName)) return 'text';
  return 'csv';
}

const FORMAT_NAMES: Record<AppendixFormat, string> = {
  csv: 'CSV',
  text: 'văn bản',
  xlsx: 'bảng tính Excel',
  docx: 'văn bản Word',
};

async function readTable(input: PreviewInput, maxBytes: number | undefined): Promise<RawTable> {
  checkSize(input.bytes, maxBytes);
  const format = input.format ?? sniffFormat(input.bytes, input.fileName);
  const binary = binaryFormat(input.bytes, input.fileName);
  // An old binary .xls or .doc, or a zip that is neither, is refused by the Office reader chosen.
  const office = format === 'xlsx' || format === 'docx';
  const unsure = isLegacyOffice(input.bytes) || (isZip(input.bytes) && !officeKind(input.bytes));
  if (binary && binary !== format && !(office && unsure)) {
    throw new AppendixReadError({
      message: `Tệp là ${FORMAT_NAMES[binary]}, không phải ${FORMAT_NAMES[format]}; hãy chọn định dạng ${binary}.`,
    });
  }
  switch (format) {
    case 'xlsx':
      return readXlsxTable(input.bytes, maxBytes);
    case 'docx':
      return readDocxTable(input.bytes, maxBytes);
    case 'csv':
      return readCsvTable(input.bytes, maxBytes);
    case 'text':
      return readTextTable(input.bytes, maxBytes);
  }
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
  const preview: PlanPreview = {
    tasks: result.tasks,
    warnings: [...located.warnings, ...result.warnings],
    errors: result.errors,
  };
  return { ...preview, proposedAgencies: proposeAgencies(preview, options.registry) };
}
