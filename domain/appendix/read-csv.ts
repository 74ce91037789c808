import { headerMeaning, looksLikeHeader } from './columns.ts';
import { checkSize, decodeText } from './decode.ts';
import { RowCollector, TABLE_LIMITS } from './limits.ts';
import { AppendixReadError } from './types.ts';
import type { RawRow, RawTable } from './types.ts';

// CSV as spreadsheets write it: comma or semicolon (Excel in a Vietnamese locale uses ";"),
// fields in double quotes may hold delimiters and line breaks, "" is a quote. Each record is
// numbered by the line it starts on, which is what a person sees in an editor.

export type CsvDelimiter = ',' | ';' | '\t';

/**
 * Parses CSV text; an unclosed quote is an error naming the line it opened on. Cells right of
 * TABLE_LIMITS.columns are dropped as they are read (`collector.stray` remembers a non-empty one).
 */
export function parseCsv(text: string, delimiter: CsvDelimiter, collector = new RowCollector()): RawRow[] {
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= text.length) {
            throw new AppendixReadError({
              row: quoteLine,
              message: `Dấu ngoặc kép mở ở dòng ${quoteLine} không được đóng; kiểm tra lại ô đó trong tệp CSV.`,
            });
          }
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          cell += ch;
          i++;
        }
      }
      // Unquoted text, or whatever follows a closing quote up to the delimiter.
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
        cell += text[i];
        i++;
      }
      if (cells.length < TABLE_LIMITS.columns) cells.push(cell);
      else if (cell.trim() !== '' && !collector.stray.has(startLine)) collector.stray.set(startLine, cells.length + 1);
      cell = '';
      if (i >= text.length) {
        endOfRecord = true;
      } else if (text[i] === delimiter) {
        i++;
      } else {
        if (text[i] === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        endOfRecord = true;
      }
    }
    collector.add({ row: startLine, cells });
  }
  return collector.rows;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}

/**
 * The delimiter whose reading gives a recognisable header with the most known columns;
 * without one, the delimiter used most on the first non-empty line.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const candidates: CsvDelimiter[] = [';', ',', '\t'];
  let best: { delimiter: CsvDelimiter; score: number } | undefined;
  for (const delimiter of candidates) {
    let rows: RawRow[];
    try {
      rows = parseCsv(text.slice(0, 200_000), delimiter);
    } catch {
      continue;
    }
    const header = rows.slice(0, 30).find(looksLikeHeader);
    if (!header) continue;
    const score = header.cells.filter((c) => headerMeaning(c)).length;
    if (!best || score > best.score) best = { delimiter, score };
  }
  if (best) return best.delimiter;
  const first =
    text
      .slice(0, 200_000)
      .split(/\r?\n/, 1_000)
      .find((l) => l.trim() !== '') ?? '';
  const counts = candidates.map((d) => ({ d, n: countOutsideQuotes(first, d) })).sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ',';
}

export function readCsvTable(bytes: Uint8Array, maxBytes?: number): RawTable {
  checkSize(bytes, maxBytes);
  const text = decodeText(bytes);
  if (text.trim() === '') throw new AppendixReadError({ message: 'Tệp rỗng: không có dữ liệu để nhập.' });
  const collector = new RowCollector();
  parseCsv(text, detectDelimiter(text), collector);
  return { format: 'csv', rows: collector.rows, stray: collector.stray };
}
