import { fold, squish } from '../text.ts';
import { strayCellWarnings } from './limits.ts';
import type { ColumnMap, ColumnMeaning, Issue, RawRow, RawTable } from './types.ts';

/** How many cells up to the last one that holds something. */
function lastFilled(cells: readonly string[]): number {
  let width = cells.length;
  while (width > 0 && cells[width - 1]!.trim() === '') width--;
  return width;
}

// Columns are found by what their header means, on folded text so that
// "CƠ QUAN CHỦ TRÌ", "Co quan chu tri" and "Cơ quan chủ trì" are one header.

/** Header phrases and how sure each makes us; a phrase at the start of the header counts one more. */
const PHRASES: Record<ColumnMeaning, readonly (readonly [string, number])[]> = {
  number: [
    ['stt', 5],
    ['tt', 5],
    ['so tt', 5],
    ['so thu tu', 5],
    ['thu tu', 4],
  ],
  code: [
    ['ma nhiem vu', 5],
    ['ma so nhiem vu', 5],
    ['ma so', 4],
    ['ky hieu', 3],
    ['ma', 4],
  ],
  objective: [['muc tieu', 3]],
  task: [
    ['noi dung nhiem vu', 4],
    ['ten nhiem vu', 4],
    ['ten nhom nhiem vu', 4],
    ['nhiem vu giai phap', 4],
    ['noi dung cong viec', 4],
    ['noi dung', 3],
    ['nhiem vu', 3],
    ['cong viec', 2],
    ['de an', 1],
  ],
  deliverable: [
    ['san pham dau ra', 4],
    ['ket qua du kien', 4],
    ['san pham', 3],
    ['ket qua', 2],
    ['hinh thuc van ban', 2],
  ],
  lead: [
    ['co quan chu tri', 4],
    ['don vi chu tri', 4],
    ['chu tri', 3],
    ['don vi thuc hien', 2],
    ['co quan thuc hien', 2],
    ['co quan chiu trach nhiem', 2],
    ['don vi chiu trach nhiem', 2],
  ],
  collaborators: [
    ['co quan phoi hop', 4],
    ['don vi phoi hop', 4],
    ['phoi hop', 3],
  ],
  deadline: [
    ['thoi gian du kien hoan thanh', 4],
    ['thoi gian hoan thanh', 4],
    ['thoi han hoan thanh', 4],
    ['han hoan thanh', 3],
    ['thoi han', 3],
    ['thoi gian thuc hien', 3],
    ['thoi gian', 2],
    ['tien do', 2],
  ],
  duration: [
    ['so ngay du kien', 6],
    ['so ngay thuc hien', 6],
    ['thoi gian thuc hien ngay', 5],
    ['thoi gian hoan thanh ngay', 5],
    ['thoi han ngay', 5],
    ['thoi gian ngay', 5],
    ['so ngay', 5],
  ],
  status: [
    ['tinh hinh thuc hien', 5],
    ['ket qua thuc hien', 5],
    ['trang thai', 5],
    ['tinh trang', 4],
    ['ket qua trien khai', 4],
  ],
};

/** The seed's text extraction has no header; its fields come in this order. */
export const POSITIONAL_HEADERS: readonly { meaning: ColumnMeaning; header: string }[] = [
  { meaning: 'number', header: 'STT' },
  { meaning: 'objective', header: 'Mục tiêu' },
  { meaning: 'task', header: 'Nội dung/nhiệm vụ' },
  { meaning: 'deliverable', header: 'Sản phẩm' },
  { meaning: 'lead', header: 'Cơ quan chủ trì' },
  { meaning: 'collaborators', header: 'Cơ quan phối hợp' },
  { meaning: 'deadline', header: 'Thời gian hoàn thành' },
];

/** The standard Vietnamese name of each meaning, for messages about a missing column. */
export const MEANING_NAMES: Record<ColumnMeaning, string> = {
  ...(Object.fromEntries(POSITIONAL_HEADERS.map(({ meaning, header }) => [meaning, header])) as Record<
    ColumnMeaning,
    string
  >),
  code: 'Mã nhiệm vụ',
  duration: 'Số ngày thực hiện',
  status: 'Tình hình thực hiện',
};

const REQUIRED: readonly ColumnMeaning[] = ['number', 'task', 'lead'];
/** Headers are short; a long cell is data even when it mentions "nội dung". */
const MAX_HEADER_LENGTH = 60;
/** How far down a header may sit (titles, the decision's reference …). */
const HEADER_SEARCH_ROWS = 30;

function headerWords(cell: string): string {
  return fold(cell)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The meaning a header cell names and how sure we are, or undefined. */
export function headerMeaning(cell: string): { meaning: ColumnMeaning; weight: number } | undefined {
  const words = headerWords(cell);
  if (!words || words.length > MAX_HEADER_LENGTH) return undefined;
  let best: { meaning: ColumnMeaning; weight: number } | undefined;
  for (const [meaning, phrases] of Object.entries(PHRASES) as [
    ColumnMeaning,
    readonly (readonly [string, number])[],
  ][]) {
    for (const [phrase, weight] of phrases) {
      const exact = words === phrase;
      const contains = ` ${words} `.includes(` ${phrase} `);
      // Number headers are so short ("TT", "Mã") that only an exact match is safe.
      if (meaning === 'number' || phrase === 'ma' ? !exact : !contains) continue;
      const score = weight + (words.startsWith(phrase) ? 1 : 0) + (exact ? 1 : 0);
      if (!best || score > best.weight) best = { meaning, weight: score };
    }
  }
  return best;
}

function recognised(row: RawRow): Set<ColumnMeaning> {
  const meanings = new Set<ColumnMeaning>();
  for (const cell of row.cells) {
    const found = headerMeaning(cell);
    if (found) meanings.add(found.meaning);
  }
  return meanings;
}

/** At least three known headers, one of them the task or the lead. */
export function looksLikeHeader(row: RawRow): boolean {
  const meanings = recognised(row);
  return meanings.size >= 3 && (meanings.has('task') || meanings.has('lead'));
}

/** A row such as "(1) (2) (3) …" or "1 2 3 4 …" that only numbers the columns. */
function isColumnNumbering(row: RawRow): boolean {
  const filled = row.cells.map((c) => c.trim()).filter((c) => c !== '');
  return filled.length >= 3 && filled.every((c) => /^\(?\d{1,2}\)?$/.test(c));
}

export interface LocatedColumns {
  map?: ColumnMap;
  errors: Issue[];
  warnings: Issue[];
}

/**
 * Finds the header row and maps columns by meaning; columns we do not know are kept as
 * metadata. A text extraction without a header is read positionally (see POSITIONAL_HEADERS);
 * CSV and XLSX must have a header.
 */
export function locateColumns(table: RawTable, options: { taskColumn?: number } = {}): LocatedColumns {
  const searched = table.rows.slice(0, HEADER_SEARCH_ROWS);
  const headerIndex = searched.findIndex(looksLikeHeader);
  if (headerIndex < 0) {
    if (table.format === 'text') return { map: positionalMap(table), errors: [], warnings: [] };
    return {
      errors: [
        {
          message:
            `Không tìm thấy dòng tiêu đề của bảng phụ lục trong ${HEADER_SEARCH_ROWS} dòng đầu. ` +
            'Cần ít nhất các cột STT, Nội dung/nhiệm vụ, Cơ quan chủ trì (có thể kèm Mục tiêu, Sản phẩm, Cơ quan phối hợp, Thời gian hoàn thành).',
        },
      ],
      warnings: [],
    };
  }

  const top = table.rows[headerIndex]!;
  let headerRow = top.row;
  let headers = top.cells.map(squish);
  let consumed = headerIndex + 1;
  // A two-row header: "Cơ quan thực hiện" above "Chủ trì" and "Phối hợp".
  const below = table.rows[consumed];
  if (below && !isColumnNumbering(below)) {
    const subMeanings = below.cells.map(headerMeaning);
    const subCount = subMeanings.filter(Boolean).length;
    const firstFilled = below.cells.find((c) => c.trim() !== '') ?? '';
    if (subCount >= 2 && !/^\d/.test(firstFilled.trim())) {
      const width = Math.max(headers.length, below.cells.length);
      headers = Array.from({ length: width }, (_, i) =>
        subMeanings[i] ? squish(below.cells[i]!) : headers[i] || squish(below.cells[i] ?? ''),
      );
      headerRow = below.row;
      consumed++;
    }
  }
  const skipRows: number[] = [];
  while (table.rows[consumed] && isColumnNumbering(table.rows[consumed]!)) {
    skipRows.push(table.rows[consumed]!.row);
    consumed++;
  }

  const claims = headers.map((h) => headerMeaning(h));
  const columns: Partial<Record<ColumnMeaning, number>> = {};
  claims.forEach((claim, index) => {
    if (!claim) return;
    const current = columns[claim.meaning];
    if (current === undefined || claims[current]!.weight < claim.weight) columns[claim.meaning] = index;
  });
  chooseTaskColumn(table, consumed, headers, claims, columns, options.taskColumn);
  const used = new Set(Object.values(columns));
  // The table is as wide as its header: a stray value further right is reported, not a column.
  const metadata: ColumnMap['metadata'] = [];
  const width = lastFilled(headers);
  for (let index = 0; index < width; index++) {
    if (used.has(index)) continue;
    const header = headers[index] || `Cột ${index + 1}`;
    metadata.push({ index, header });
  }

  const errors: Issue[] = [];
  for (const meaning of REQUIRED) {
    if (columns[meaning] === undefined) {
      errors.push({
        row: headerRow,
        field: meaning,
        message: `Dòng tiêu đề (dòng ${headerRow}) không có cột "${MEANING_NAMES[meaning]}".`,
      });
    }
  }
  // Objective, deliverable and collaborator columns are often absent; a missing deadline is not.
  const warnings = strayCellWarnings(table, width);
  if (columns.deadline === undefined && columns.duration === undefined) {
    warnings.push({
      row: headerRow,
      field: 'deadline',
      message: `Bảng không có cột "${MEANING_NAMES.deadline}": thời hạn của mọi nhiệm vụ để trống, điều phối viên cần đặt ngày.`,
    });
  }
  return { map: { headerRow, skipRows, columns, headers, metadata }, errors, warnings };
}

/** A cell that is a code, not prose: one word of letters, digits and punctuation with a digit or an underscore ("KH20_TT_N01.1.1"). */
export function looksLikeCode(text: string): boolean {
  const value = text.trim();
  return (
    value.length > 0 &&
    value.length <= 40 &&
    !/\s/.test(value) &&
    /[\d_]/.test(value) &&
    /^[\p{L}\p{N}_.\-/]+$/u.test(value)
  );
}

/** Of a column's filled cells (the first hundred rows of data), the share that are prose: several words, not a code. */
function proseShare(rows: readonly RawRow[], index: number): number {
  let filled = 0;
  let prose = 0;
  for (const row of rows.slice(0, 100)) {
    const cell = (row.cells[index] ?? '').trim();
    if (!cell) continue;
    filled++;
    if (!looksLikeCode(cell) && cell.split(/\s+/).length >= 2) prose++;
  }
  return filled === 0 ? 0 : prose / filled;
}

/**
 * The task is the column whose header means it ("Tên nhiệm vụ", "Nội dung", "Nhiệm vụ, giải pháp")
 * and whose cells are prose: a column of codes ("KH20_TT_N01.1.1") under such a header is the
 * task's code instead. The coordinator's choice, when given, wins.
 */
function chooseTaskColumn(
  table: RawTable,
  firstData: number,
  headers: readonly string[],
  claims: readonly ({ meaning: ColumnMeaning; weight: number } | undefined)[],
  columns: Partial<Record<ColumnMeaning, number>>,
  chosen: number | undefined,
): void {
  const rows = table.rows.slice(firstData);
  const release = (index: number) => {
    for (const meaning of Object.keys(columns) as ColumnMeaning[])
      if (columns[meaning] === index) delete columns[meaning];
  };
  if (chosen !== undefined) {
    if (
      columns.task !== undefined &&
      columns.task !== chosen &&
      looksLikeCodeColumn(rows, columns.task) &&
      columns.code === undefined
    )
      columns.code = columns.task;
    release(chosen);
    columns.task = chosen;
    return;
  }
  const candidates = headers.flatMap((header, index) => {
    const words = headerWords(header);
    const task = PHRASES.task.some(([phrase]) => ` ${words} `.includes(` ${phrase} `));
    return task && claims[index]?.meaning !== 'code' ? [index] : [];
  });
  if (candidates.length === 0) return;
  const scored = candidates.map((index) => ({
    index,
    prose: proseShare(rows, index),
    weight: claims[index]?.meaning === 'task' ? claims[index]!.weight : 0,
  }));
  const current = columns.task;
  const best = scored
    .filter((c) => c.prose >= 0.5)
    .sort((a, b) => b.weight - a.weight || b.prose - a.prose || a.index - b.index)[0];
  if (!best || best.index === current) return;
  // The column passed over is the task's code when it holds codes, else kept as metadata.
  if (current !== undefined) {
    delete columns.task;
    if (looksLikeCodeColumn(rows, current) && columns.code === undefined) columns.code = current;
  }
  release(best.index);
  columns.task = best.index;
}

function looksLikeCodeColumn(rows: readonly RawRow[], index: number): boolean {
  let filled = 0;
  let codes = 0;
  for (const row of rows.slice(0, 100)) {
    const cell = (row.cells[index] ?? '').trim();
    if (!cell) continue;
    filled++;
    if (looksLikeCode(cell)) codes++;
  }
  return filled > 0 && codes / filled >= 0.6;
}

function positionalMap(table: RawTable): ColumnMap {
  const columns: Partial<Record<ColumnMeaning, number>> = {};
  POSITIONAL_HEADERS.forEach(({ meaning }, index) => (columns[meaning] = index));
  let widest = 0;
  for (const row of table.rows) widest = Math.max(widest, row.cells.length);
  const metadata: ColumnMap['metadata'] = [];
  for (let index = POSITIONAL_HEADERS.length; index < widest; index++)
    metadata.push({ index, header: `Cột ${index + 1}` });
  return { skipRows: [], columns, headers: POSITIONAL_HEADERS.map((h) => h.header), metadata };
}
