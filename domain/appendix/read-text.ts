import { fold } from '../text.ts';
import { looksLikeHeader, POSITIONAL_HEADERS } from './columns.ts';
import { checkSize, decodeText } from './decode.ts';
import { AppendixReadError } from './types.ts';
import type { RawRow, RawTable } from './types.ts';

// The seed's text extraction of a PDF table: one field per line, each led by a tab; a line
// without the tab continues the field above (paragraphs inside a cell, blank lines included);
// records are separated by blank lines, except at a page break, where the next record follows
// straight on and whatever sat on the page boundary (a section row) may be gone.

const FIELD_LINE = /^[ \u00a0]*\t/;

interface TextRecord {
  fields: string[];
  /** The line on which each field starts. */
  lines: number[];
}

function isBlank(line: string): boolean {
  return line.replace(/[\s\u00a0\u200b\ufeff]/g, '') === '';
}

/** The appendix starts after its "PHỤ LỤC" title; the decision's prose before it is skipped. */
function appendixStart(lines: string[]): number {
  const index = lines.findIndex((line) => /^phu luc\b/.test(fold(line)) && fold(line).length <= 40);
  return index < 0 ? 0 : index + 1;
}

function collectRecords(lines: string[]): { records: TextRecord[]; endedAt?: number } {
  const records: TextRecord[] = [];
  let current: TextRecord | undefined;
  let blankBefore = false;
  for (let index = appendixStart(lines); index < lines.length; index++) {
    const line = lines[index]!;
    const lineNumber = index + 1;
    // A lone tab is an empty field, not a blank line.
    if (!FIELD_LINE.test(line) && isBlank(line)) {
      blankBefore = true;
      continue;
    }
    if (FIELD_LINE.test(line)) {
      if (!current || blankBefore) {
        current = { fields: [], lines: [] };
        records.push(current);
      }
      // A line may also hold several tab-separated fields; a stray trailing tab is not one.
      for (const field of line.replace(FIELD_LINE, '').replace(/\t+$/, '').split('\t')) {
        current.fields.push(field);
        current.lines.push(lineNumber);
      }
    } else if (current) {
      // Prose after a finished record, past a blank line, is the end of the table (signatures …).
      if (blankBefore && current.fields.length >= POSITIONAL_HEADERS.length) return { records, endedAt: lineNumber };
      const last = current.fields.length - 1;
      current.fields[last] += (blankBefore ? '\n\n' : '\n') + line;
    }
    blankBefore = false;
  }
  return { records };
}

function looksLikeNumber(field: string | undefined): boolean {
  return field !== undefined && /^\s*(\d+(\.\d+)*\.?|[IVXL]+)\s*$/.test(field);
}

/**
 * Cuts records that a page break glued together. The tail is cut first when it starts with a
 * row number, so a fragment glued before a whole record stays a fragment.
 */
function unglue(record: TextRecord, width: number): { record: TextRecord; afterGap: boolean }[] {
  const pieces: { record: TextRecord; afterGap: boolean }[] = [];
  let rest = record;
  while (rest.fields.length > width) {
    const tail = rest.fields.length - width;
    const cut = looksLikeNumber(rest.fields[tail]) ? tail : width;
    const later = { fields: rest.fields.slice(cut), lines: rest.lines.slice(cut) };
    rest = { fields: rest.fields.slice(0, cut), lines: rest.lines.slice(0, cut) };
    // What follows a page break may have lost a row (a section header) on the way.
    pieces.unshift(...unglue(later, width).map((piece) => ({ ...piece, afterGap: true })));
  }
  pieces.unshift({ record: rest, afterGap: false });
  return pieces;
}

/** Reads the text extraction into rows, one per record, numbered by the line it starts on. */
export function readTextTable(bytes: Uint8Array, maxBytes?: number): RawTable {
  checkSize(bytes, maxBytes);
  const text = decodeText(bytes);
  const lines = text.split(/\r\n|\n|\r/);
  const { records } = collectRecords(lines);
  if (records.length === 0) {
    throw new AppendixReadError({
      message:
        'Không tìm thấy bảng phụ lục trong tệp văn bản: không có dòng nào bắt đầu bằng dấu tab (mỗi ô một dòng).',
    });
  }
  const header = records.slice(0, 10).find((r) => looksLikeHeader({ row: 0, cells: r.fields }));
  const width = header ? header.fields.length : POSITIONAL_HEADERS.length;
  const rows: RawRow[] = [];
  for (const record of records) {
    for (const piece of unglue(record, width)) {
      rows.push({
        row: piece.record.lines[0]!,
        cells: piece.record.fields,
        ...(piece.afterGap ? { afterGap: true } : {}),
      });
    }
  }
  return { format: 'text', rows };
}
