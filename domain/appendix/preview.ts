import { locateColumns, looksLikeHeader } from './columns.ts';
import { issueDateOf } from './issue-date.ts';
import { checkSize, decodeText } from './decode.ts';
import { fuzzyBudget } from '../agencies/nearest.ts';
import { interpretTable } from './interpret.ts';
import { capIssues, checkCellLengths, columnLetter, TABLE_LIMITS } from './limits.ts';
import { proposeAgencies } from './proposed-agencies.ts';
import { foreignKind, isLegacyOffice, isZip, officeKind } from './office-kind.ts';
import { readCsvTable } from './read-csv.ts';
import { readDocxTable } from './read-docx.ts';
import { readTextTable } from './read-text.ts';
import { readXlsxTable } from './read-xlsx.ts';
import { AppendixReadError } from './types.ts';
import type {
  AppendixFormat,
  ColumnMap,
  ColumnMeaning,
  PlanPreview,
  PreviewColumn,
  PreviewInput,
  PreviewOptions,
  PreviewTask,
  Question,
  RawTable,
} from './types.ts';

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

/** Reads the file into its table, or throws AppendixReadError naming what is wrong with it. */
export async function readTable(input: PreviewInput, maxBytes: number | undefined): Promise<RawTable> {
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
 * Reads the file into its table and interprets it: the table comes back too, to be kept (a draft)
 * and interpreted again with the coordinator's edits without reading the file again.
 */
export async function readAndPreview(
  input: PreviewInput,
  options: PreviewOptions,
): Promise<{ preview: PlanPreview; table?: RawTable }> {
  let table: RawTable;
  try {
    table = await readTable(input, options.maxBytes);
    checkCellLengths(table);
  } catch (error) {
    if (error instanceof AppendixReadError) return { preview: { tasks: [], warnings: [], errors: [error.issue] } };
    throw error;
  }
  return { preview: previewTable(table, options), table };
}

/**
 * Reads an appendix table and says what importing it would create, without creating anything:
 * the tasks with their areas, leads, collaborators and deadlines, and every warning and error.
 * Errors stop the import; warnings do not; questions are for the coordinator to answer.
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
  return previewTable(table, options);
}

/** The lines before the table: a document's preamble, a sheet's or CSV's rows above the header. */
function preambleLines(table: RawTable, map: ColumnMap | undefined): string[] {
  const above =
    map?.headerRow === undefined
      ? []
      : table.rows
          .filter((row) => row.row < map.headerRow!)
          .map((row) => [...new Set(row.cells.map((c) => c.trim()).filter(Boolean))].join(' '));
  return [...(table.preamble ?? []), ...above];
}

function columnsOf(map: ColumnMap): PreviewColumn[] {
  const meaningAt = new Map<number, ColumnMeaning>();
  for (const [meaning, index] of Object.entries(map.columns) as [ColumnMeaning, number][])
    meaningAt.set(index, meaning);
  return map.headers.flatMap((header, index) =>
    header.trim() === '' && !meaningAt.has(index)
      ? []
      : [{ index, letter: columnLetter(index + 1), header, meaning: meaningAt.get(index) ?? null }],
  );
}

/** The plan's own leads, most named first: what a loose group in a lead cell is likely to mean. */
function planDefaults(tasks: readonly PreviewTask[]): { value: string; label: string }[] {
  const counts = new Map<string, { name: string; n: number }>();
  for (const task of tasks)
    for (const lead of task.leads) {
      if (lead.code === null || lead.group) continue;
      const entry = counts.get(lead.code) ?? { name: lead.name, n: 0 };
      entry.n++;
      counts.set(lead.code, entry);
    }
  return [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n || a[1].name.localeCompare(b[1].name, 'vi'))
    .slice(0, 8)
    .map(([code, { name }]) => ({ value: code, label: name }));
}

/** A table already read (an upload, or a draft's stored table) interpreted with the options' choices and edits. */
export function previewTable(table: RawTable, options: PreviewOptions): PlanPreview {
  if (table.rows.length === 0) {
    return { tasks: [], warnings: [], errors: [{ message: 'Tệp không có dòng dữ liệu nào.' }] };
  }
  const located = locateColumns(table, options.taskColumn !== undefined ? { taskColumn: options.taskColumn } : {});
  const readerWarnings = table.warnings ?? [];
  const issued = issueDateOf(preambleLines(table, located.map));
  if (!located.map || located.errors.length > 0) {
    return {
      tasks: [],
      warnings: capIssues([...readerWarnings, ...located.warnings], 'cảnh báo'),
      errors: capIssues(located.errors, 'lỗi'),
      ...(located.map ? { columns: columnsOf(located.map) } : {}),
      ...(issued ? { issued } : {}),
    };
  }
  const issuedOn = options.issuedOn ?? issued?.date;
  const fuzzy = fuzzyBudget();
  const result = interpretTable(table, located.map, {
    registry: options.registry,
    fuzzy,
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.periodStart !== undefined ? { periodStart: options.periodStart } : {}),
    ...(options.periodEnd !== undefined ? { periodEnd: options.periodEnd } : {}),
    ...(issuedOn !== undefined ? { issuedOn } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const warnings = [...readerWarnings, ...located.warnings, ...result.warnings];
  const preview: PlanPreview = { tasks: result.tasks, warnings, errors: result.errors };
  const proposedAgencies = proposeAgencies(preview, options.registry, fuzzy);
  const rejected = new Set(options.rejectedProposals ?? []);
  if (fuzzy.exhausted) {
    // About the whole file, so it leads the list rather than drowning at its end.
    warnings.unshift({
      message:
        'Tệp có quá nhiều tên cơ quan chưa có trong danh mục nên không gợi ý tên gần giống cho tất cả; ' +
        'các tên đó vẫn được liệt kê để điều phối viên xử lý.',
    });
  }
  // A loose group in a lead cell offers the plan's own leads; each proposal is a question of its own.
  const defaults = planDefaults(result.tasks);
  for (const task of result.tasks)
    for (const question of task.questions) if (question.kind === 'vague-group') question.options = defaults;
  const questions: Question[] = [];
  if (result.needsIssueDate)
    questions.push({
      kind: 'issued-on',
      text: 'Có thời hạn tính từ ngày ban hành kế hoạch nhưng tệp không ghi ngày ban hành; hãy nhập ngày ban hành.',
      options: [],
    });
  // A proposal the coordinator rejected is no longer asked about; its cells stay unknown.
  for (const proposal of proposedAgencies.filter((p) => !rejected.has(p.name)))
    questions.push({
      kind: 'proposal',
      ...(proposal.rows[0] !== undefined ? { row: proposal.rows[0] } : {}),
      text: `"${proposal.name}" chưa có trong danh mục (dòng ${proposal.rows.join(', ')}): thêm vào danh mục với mã ${proposal.code}?${proposal.nearest.length > 0 ? ` Tên gần giống: ${proposal.nearest.join('; ')}.` : ''}`,
      options: [
        { value: 'accept', label: `Thêm "${proposal.name}" vào danh mục` },
        { value: 'reject', label: 'Không thêm' },
      ],
    });
  for (const task of result.tasks) if (!task.excluded) for (const question of task.questions) questions.push(question);
  return {
    ...preview,
    warnings: capIssues(warnings, 'cảnh báo'),
    errors: capIssues(preview.errors, 'lỗi'),
    proposedAgencies,
    questions,
    columns: columnsOf(located.map),
    ...(issued ? { issued } : {}),
  };
}
