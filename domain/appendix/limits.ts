import { AppendixReadError } from './types.ts';
import type { Issue, RawRow, RawTable } from './types.ts';

// How much of an uploaded table we read. A real appendix has a few hundred rows of about ten
// columns; anything far beyond is a broken or hostile file, refused with the row and column named
// before it can cost the server memory or time.

export const TABLE_LIMITS = {
  /** Non-empty rows in the table. */
  rows: 10_000,
  /** Columns any reader keeps; cells further right are dropped and reported (Word allows 63). */
  columns: 64,
  /** Characters in one cell. */
  cellLength: 10_000,
  /** Characters in one lead or collaborator cell: a list of agencies, not prose. */
  agencyCellLength: 2_000,
  /** Errors and warnings listed one by one; the rest are counted. */
  issues: 500,
};

const thousands = (n: number) => n.toLocaleString('vi-VN');

/** The spreadsheet name of a column counted from 1: A … Z, AA … XFD. */
export function columnLetter(index: number): string {
  let name = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/**
 * Collects a reader's rows, keeping at most TABLE_LIMITS.columns cells per row and refusing a
 * table with too many rows as soon as it has them, so a stray cell in column XFD or two million
 * empty columns cost nothing, and a million rows are never all held.
 */
export class RowCollector {
  readonly rows: RawRow[] = [];
  /** Rows that held something right of the last kept column: row number → first such column (1-based). */
  readonly stray = new Map<number, number>();

  /** Adds a row unless it is empty; `cells` may be longer than kept. */
  add(row: RawRow): void {
    const { cells } = row;
    if (cells.length > TABLE_LIMITS.columns) {
      const beyond = cells.findIndex((c, i) => i >= TABLE_LIMITS.columns && c.trim() !== '');
      if (beyond >= 0) this.stray.set(row.row, beyond + 1);
      cells.length = TABLE_LIMITS.columns;
    }
    if (!cells.some((c) => c.trim() !== '')) return;
    if (this.rows.length >= TABLE_LIMITS.rows) {
      throw new AppendixReadError({
        row: row.row,
        message:
          `Tệp có hơn ${thousands(TABLE_LIMITS.rows)} dòng có dữ liệu (vượt giới hạn ở dòng ${thousands(row.row)}); ` +
          'phụ lục kế hoạch không dài như vậy. Hãy chỉ giữ bảng phụ lục rồi gửi lại.',
      });
    }
    this.rows.push(row);
  }
}

/** Refuses a cell longer than a person would write in an appendix, naming its row and column. */
export function checkCellLengths(table: RawTable): void {
  for (const { row, cells } of table.rows) {
    cells.forEach((cell, index) => {
      if (cell.length <= TABLE_LIMITS.cellLength) return;
      throw new AppendixReadError({
        row,
        column: columnLetter(index + 1),
        message:
          `Ô ở dòng ${row}, cột ${columnLetter(index + 1)} dài ${thousands(cell.length)} ký tự, ` +
          `quá giới hạn ${thousands(TABLE_LIMITS.cellLength)} ký tự của một ô.`,
      });
    });
  }
}

/**
 * Warnings for cells right of the table: its width is its header's, so a stray value far to the
 * right is reported and left out rather than widening every row.
 */
export function strayCellWarnings(table: RawTable, width: number): Issue[] {
  const warnings: Issue[] = [];
  for (const { row, cells } of table.rows) {
    let column = cells.findIndex((c, i) => i >= width && c.trim() !== '') + 1;
    if (column === 0) column = table.stray?.get(row) ?? 0;
    if (column === 0) continue;
    warnings.push({
      row,
      column: columnLetter(column),
      message: `Dòng ${row} có dữ liệu ở cột ${columnLetter(column)}, ngoài bảng (bảng rộng ${width} cột theo dòng tiêu đề); phần đó được bỏ qua.`,
    });
  }
  return warnings;
}

/** At most TABLE_LIMITS.issues issues, the last one saying how many more there were. */
export function capIssues(issues: Issue[], what: 'lỗi' | 'cảnh báo'): Issue[] {
  if (issues.length <= TABLE_LIMITS.issues) return issues;
  const kept = issues.slice(0, TABLE_LIMITS.issues);
  kept.push({ message: `… và ${thousands(issues.length - TABLE_LIMITS.issues)} ${what} khác không liệt kê.` });
  return kept;
}
