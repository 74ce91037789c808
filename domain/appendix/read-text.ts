import { fold } from '../text.ts';
import { looksLikeHeader, POSITIONAL_HEADERS } from './columns.ts';
import { checkSize, decodeText } from './decode.ts';
import { RowCollector, TABLE_LIMITS } from './limits.ts';
import { AppendixReadError } from './types.ts';
import type { RawTable } from './types.ts';

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

/** The lines of the text with their numbers, one at a time: a file of blank lines is never all held. */
function* numberedLines(text: string, from = 1): Generator<[string, number]> {
  const breaks = /\r\n|\n|\r/g;
  let start = 0;
  let number = 1;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    if (number >= from) yield [text.slice(start, match.index), number];
    start = match.index + match[0].length;
    number++;
  }
  if (number >= from) yield [text.slice(start), number];
}

/** The appendix starts after its "PHỤ LỤC" title; the decision's prose before it is skipped. */
function appendixStart(text: string): number {
  for (const [line, number] of numberedLines(text)) {
    if (line.length <= 200 && /^phu luc\b/.test(fold(line)) && fold(line).length <= 40) return number + 1;
  }
  return 1;
}

/** Fields a text table may hold in all: as many rows as allowed, each as wide as allowed. */
const MAX_FIELDS = TABLE_LIMITS.rows * TABLE_LIMITS.columns;

function collectRecords(text: string): { records: TextRecord[]; endedAt?: number } {
  const records: TextRecord[] = [];
  let current: TextRecord | undefined;
  let blankBefore = false;
  let fields = 0;
  for (const [line, lineNumber] of numberedLines(text, appendixStart(text))) {
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
      for (const field of line.replace(FIELD_LINE, '').replace(/\t+$/, '').split('\t', MAX_FIELDS)) {
        if (++fields > MAX_FIELDS) {
          throw new AppendixReadError({
            row: lineNumber,
            message: `Tệp văn bản có hơn ${MAX_FIELDS.toLocaleString('vi-VN')} ô (vượt giới hạn ở dòng ${lineNumber}); phụ lục kế hoạch không lớn như vậy.`,
          });
        }
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
 * row number, so a fragment glued before a whole record stays a fragment. Worked on index ranges
 * with a stack, not by recursion, so a record of a million fields costs one pass.
 */
function unglue(record: TextRecord, width: number, emit: (piece: TextRecord, afterGap: boolean) => void): void {
  const pending: [number, number][] = [[0, record.fields.length]];
  let first = true;
  while (pending.length > 0) {
    const [from, to] = pending.pop()!;
    if (to - from > width) {
      const tail = to - from - width;
      const cut = from + (looksLikeNumber(record.fields[from + tail]) ? tail : width);
      // The head comes out first; what follows a page break may have lost a row (a section header).
      pending.push([cut, to], [from, cut]);
      continue;
    }
    emit({ fields: record.fields.slice(from, to), lines: record.lines.slice(from, to) }, !first);
    first = false;
  }
}

/** The decision's lines before its appendix, where its date of issue is written (a few, not the whole text). */
function preambleOf(text: string): string[] {
  const lines: string[] = [];
  for (const [line] of numberedLines(text)) {
    if (lines.length >= 200) break;
    if (FIELD_LINE.test(line)) break;
    const squished = line.replace(/\s+/g, ' ').trim();
    if (squished) lines.push(squished.slice(0, 500));
  }
  return lines;
}

/** Reads the text extraction into rows, one per record, numbered by the line it starts on. */
export function readTextTable(bytes: Uint8Array, maxBytes?: number): RawTable {
  checkSize(bytes, maxBytes);
  const text = decodeText(bytes);
  const { records } = collectRecords(text);
  if (records.length === 0) {
    throw new AppendixReadError({
      message:
        'Không tìm thấy bảng phụ lục trong tệp văn bản: không có dòng nào bắt đầu bằng dấu tab (mỗi ô một dòng).',
    });
  }
  const header = records.slice(0, 10).find((r) => looksLikeHeader({ row: 0, cells: r.fields }));
  const width = Math.min(header ? header.fields.length : POSITIONAL_HEADERS.length, TABLE_LIMITS.columns);
  const collector = new RowCollector();
  for (const record of records) {
    unglue(record, width, (piece, afterGap) =>
      collector.add({ row: piece.lines[0]!, cells: piece.fields, ...(afterGap ? { afterGap: true } : {}) }),
    );
  }
  return { format: 'text', rows: collector.rows, stray: collector.stray, preamble: preambleOf(text) };
}
