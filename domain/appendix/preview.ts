import { locateColumns, looksLikeHeader } from './columns.ts';
import { checkSize, decodeText } from './decode.ts';
import { fuzzyBudget } from '../agencies/nearest.ts';
import { interpretTable } from './interpret.ts';
import { capIssues, checkCellLengths, TABLE_LIMITS } from './limits.ts';
import { proposeAgencies } from './proposed-agencies.ts';
import { foreignKind, isLegacyOffice, isZip, officeKind } from './office-kind.ts';
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
    .some(
      (line) =>
        !/^[ \u00a0]*\t/.test(line) && looksLikeHeader({ row: 0, cells: line.split('\t', TABLE_LIMITS.columns) }),
    );
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

/**
 * The format from the bytes; a file named as a workbook or a Word document whose bytes are
 * neither, nor readable text, is named for what it claims to be and is not.
 */
function sniffNamed(bytes: Uint8Array, fileName?: string): AppendixFormat {
  try {
    return sniffFormat(bytes, fileName);
  } catch (error) {
    const claimed = /\.(xlsx?|docx?)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
    if (!(error instanceof AppendixReadError) || !claimed) throw error;
    const kind = claimed.startsWith('x') ? 'bảng tính Excel' : 'văn bản Word';
    throw new AppendixReadError({
      message: `Tệp có tên .${claimed} nhưng không phải ${kind}: nội dung là dữ liệu không đọc được (tệp hỏng hoặc không phải tệp Office).`,
    });
  }
}

const FORMAT_NAMES: Record<AppendixFormat, string> = {
  csv: 'CSV',
  text: 'văn bản',
  xlsx: 'bảng tính Excel',
  docx: 'văn bản Word',
};

async function readTable(input: PreviewInput, maxBytes: number | undefined): Promise<RawTable> {
  checkSize(input.bytes, maxBytes);
  const foreign = foreignKind(input.bytes);
  if (foreign) {
    throw new AppendixReadError({
      message: `Tệp là ${foreign}, không phải bảng phụ lục; hãy gửi tệp .xlsx, .docx, .csv hoặc văn bản (.txt).`,
    });
  }
  const format = input.format ?? sniffNamed(input.bytes, input.fileName);
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
    checkCellLengths(table);
  } catch (error) {
    if (error instanceof AppendixReadError) return { tasks: [], warnings: [], errors: [error.issue] };
    throw error;
  }
  if (table.rows.length === 0) {
    return { tasks: [], warnings: [], errors: [{ message: 'Tệp không có dòng dữ liệu nào.' }] };
  }
  const located = locateColumns(table);
  const readerWarnings = table.warnings ?? [];
  if (!located.map || located.errors.length > 0) {
    return {
      tasks: [],
      warnings: capIssues([...readerWarnings, ...located.warnings], 'cảnh báo'),
      errors: capIssues(located.errors, 'lỗi'),
    };
  }
  const fuzzy = fuzzyBudget();
  const result = interpretTable(table, located.map, {
    registry: options.registry,
    fuzzy,
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.periodStart !== undefined ? { periodStart: options.periodStart } : {}),
    ...(options.periodEnd !== undefined ? { periodEnd: options.periodEnd } : {}),
  });
  const warnings = [...readerWarnings, ...located.warnings, ...result.warnings];
  const preview: PlanPreview = { tasks: result.tasks, warnings, errors: result.errors };
  const proposedAgencies = proposeAgencies(preview, options.registry, fuzzy);
  if (fuzzy.exhausted) {
    // About the whole file, so it leads the list rather than drowning at its end.
    warnings.unshift({
      message:
        'Tệp có quá nhiều tên cơ quan chưa có trong danh mục nên không gợi ý tên gần giống cho tất cả; ' +
        'các tên đó vẫn được liệt kê để điều phối viên xử lý.',
    });
  }
  return {
    ...preview,
    warnings: capIssues(warnings, 'cảnh báo'),
    errors: capIssues(preview.errors, 'lỗi'),
    proposedAgencies,
  };
}
