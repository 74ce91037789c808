import JSZip from 'jszip';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { looksLikeHeader } from './columns.ts';
import { checkSize } from './decode.ts';
import { isLegacyOffice, isZip, zipEntries, zipUncompressedSize } from './office-kind.ts';
import { RowCollector, TABLE_LIMITS } from './limits.ts';
import { AppendixReadError } from './types.ts';
import type { RawRow, RawTable } from './types.ts';

// A Word document's appendix table, read from word/document.xml as it streams out of the zip.
// Text is what the w:t elements hold, across runs; the paragraphs of a cell are its lines. A cell
// spanning columns (w:gridSpan) or continuing the one above (w:vMerge) reads as the value it
// shows, in every column and row it covers, as merged cells do in a workbook. Several tables may
// be there (a title block, signatures): the first whose top rows hold the appendix header is read.
// No DTD is accepted and nothing beyond XML's own five entities is expanded.

const W = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
]);
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
/** What a reader of the document does not see: the fallback copy of a drawing, text moved away. */
const unseen = (node: SaxesTagNS) =>
  (node.uri === MC && node.local === 'Fallback') || (W.has(node.uri) && node.local === 'moveFrom');
/** Word allows 63 columns; a larger span or count is cut there. */
const MAX_COLUMNS = TABLE_LIMITS.columns;
/** The inflated document may not exceed this (a zip bomb would). */
const MAX_DOCUMENT_BYTES = 128 * 1024 * 1024;

interface CellDraft {
  span: number;
  vMerge?: 'restart' | 'continue';
  hMergeContinue?: boolean;
  lines: string[];
  line: string;
}

interface RowDraft {
  before: number;
  cells: CellDraft[];
  /** Cells right of MAX_COLUMNS are not kept; this says one of them held text. */
  strayText?: boolean;
}

function attribute(node: SaxesTagNS, name: string): string | undefined {
  for (const attr of Object.values(node.attributes)) if (attr.local === name && W.has(attr.uri)) return attr.value;
  return undefined;
}

function count(node: SaxesTagNS): number {
  const value = Number.parseInt(attribute(node, 'val') ?? '1', 10);
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), MAX_COLUMNS) : 1;
}

/** Resolves spans and merges into the grid a person sees; empty rows are left out, not renumbered. */
function gridRows(drafts: readonly RowDraft[]): { rows: RawRow[]; stray: Map<number, number> } {
  const collector = new RowCollector();
  let above: string[] = [];
  drafts.forEach((draft, index) => {
    const cells: string[] = [];
    const continued: number[] = [];
    for (let i = 0; i < draft.before && cells.length < MAX_COLUMNS; i++) cells.push('');
    for (const cell of draft.cells) {
      const column = cells.length;
      let text = cell.lines.join('\n').normalize('NFC');
      const below = cell.vMerge === 'continue';
      if (below) text = above[column] ?? '';
      else if (cell.hMergeContinue) text = cells[column - 1] ?? '';
      for (let i = 0; i < Math.max(cell.span, 1) && cells.length < MAX_COLUMNS; i++) {
        if (below && text !== '') continued.push(cells.length);
        cells.push(text);
      }
    }
    above = cells;
    if (draft.strayText) collector.stray.set(index + 1, MAX_COLUMNS + 1);
    collector.add({ row: index + 1, cells, ...(continued.length > 0 ? { continued } : {}) });
  });
  return { rows: collector.rows, stray: collector.stray };
}

/** Collects the document's top-level tables as the parser walks it; nested tables are cell text. */
/** How much of the document's text before its table is kept, to find its date of issue. */
const PREAMBLE_LINES = 120;
const PREAMBLE_LINE_LENGTH = 500;

class TableCollector {
  chosen?: RawTable;
  fallback?: RawTable;
  /** The paragraphs and cells before the appendix table ("Phú Thọ, ngày 14 tháng 7 năm 2026"). */
  readonly preamble: string[] = [];
  /** A paragraph outside every table, as it is read. */
  private paragraph?: string;
  private tables = 0;
  private depth = 0;
  private skipped = 0;
  private inText = false;
  private inRun = false;
  private rows: RowDraft[] = [];
  private row?: RowDraft;
  private cell?: CellDraft;
  private overflow = false;

  open(node: SaxesTagNS): void {
    if (unseen(node)) this.skipped++;
    if (!W.has(node.uri) || this.skipped > 0) return;
    const top = this.depth === 1;
    switch (node.local) {
      case 'tbl':
        this.depth++;
        if (this.depth === 1) this.rows = [];
        break;
      case 'tr':
        if (top) {
          this.row = { before: 0, cells: [] };
          this.rows.push(this.row);
        }
        break;
      case 'gridBefore':
        if (top && this.row && !this.cell) this.row.before = count(node);
        break;
      case 'tc':
        if (top && this.row) {
          this.cell = { span: 1, lines: [], line: '' };
          // A row of two million cells keeps the first MAX_COLUMNS; the rest are read and dropped.
          if (this.row.cells.length < MAX_COLUMNS) this.row.cells.push(this.cell);
          else this.overflow = true;
        }
        break;
      case 'gridSpan':
        if (top && this.cell) this.cell.span = count(node);
        break;
      case 'vMerge':
        if (top && this.cell) this.cell.vMerge = attribute(node, 'val') === 'restart' ? 'restart' : 'continue';
        break;
      case 'hMerge':
        if (top && this.cell) this.cell.hMergeContinue = attribute(node, 'val') !== 'restart';
        break;
      case 'p':
        // A paragraph inside a paragraph (a text box) starts a line of its own.
        if (this.cell?.line) this.cell.lines.push(this.cell.line);
        if (this.cell) this.cell.line = '';
        if (this.depth === 0 && !this.chosen) this.paragraph = '';
        break;
      case 'r':
        this.inRun = true;
        break;
      case 't':
        this.inText = Boolean(this.cell);
        break;
      case 'tab':
        if (this.cell && this.inRun) this.cell.line += ' ';
        break;
      case 'br':
      case 'cr':
        if (this.cell && this.inRun) {
          this.cell.lines.push(this.cell.line);
          this.cell.line = '';
        }
        break;
    }
  }

  close(node: SaxesTagNS): void {
    if (unseen(node)) {
      this.skipped--;
      return;
    }
    if (!W.has(node.uri) || this.skipped > 0) return;
    switch (node.local) {
      case 't':
        this.inText = false;
        break;
      case 'r':
        this.inRun = false;
        break;
      case 'p':
        if (this.cell) {
          this.cell.lines.push(this.cell.line);
          this.cell.line = '';
        }
        if (this.depth === 0 && this.paragraph !== undefined) {
          this.keep(this.paragraph);
          this.paragraph = undefined;
        }
        break;
      case 'tc':
        if (this.depth === 1) {
          if (this.overflow && this.row && (this.cell?.line || this.cell?.lines.some(Boolean)))
            this.row.strayText = true;
          this.overflow = false;
          this.cell = undefined;
        }
        break;
      case 'tr':
        if (this.depth === 1) this.row = undefined;
        break;
      case 'tbl':
        this.depth--;
        if (this.depth === 0) this.finishTable();
        break;
    }
  }

  text(text: string): void {
    if (this.inText && this.cell && this.skipped === 0) this.cell.line += text;
    else if (
      this.inText &&
      this.paragraph !== undefined &&
      this.skipped === 0 &&
      this.paragraph.length < PREAMBLE_LINE_LENGTH
    )
      this.paragraph += text;
  }

  private keep(line: string): void {
    const text = line.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (text && this.preamble.length < PREAMBLE_LINES) this.preamble.push(text.slice(0, PREAMBLE_LINE_LENGTH));
  }

  private finishTable(): void {
    this.tables++;
    const { rows, stray } = gridRows(this.rows);
    this.rows = [];
    if (rows.length === 0) return;
    const table: RawTable = { format: 'docx', rows, table: this.tables, stray };
    if (rows.slice(0, 30).some(looksLikeHeader)) {
      this.chosen ??= table;
      return;
    }
    this.fallback ??= table;
    // A heading table ("ỦY BAN NHÂN DÂN TỈNH … | …, ngày 14 tháng 7 năm 2026") is part of the preamble.
    if (!this.chosen)
      for (const row of rows)
        for (const cell of new Set(row.cells)) for (const line of cell.split('\n')) this.keep(line);
  }
}

function refuse(message: string): never {
  throw new AppendixReadError({ message });
}

async function openDocument(bytes: Uint8Array): Promise<JSZip.JSZipObject> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    // The library's own words ("End of data reached", "Corrupted zip") mean nothing to a clerk.
    refuse('Không đọc được tệp .docx: tệp hỏng hoặc không phải văn bản Word.');
  }
  const document = zip.file('word/document.xml');
  if (document) return document;
  if (zip.file('xl/workbook.xml')) refuse('Tệp là bảng tính Excel, không phải văn bản Word; hãy chọn định dạng xlsx.');
  refuse('Tệp không phải văn bản Word .docx hợp lệ: không có phần word/document.xml.');
}

/**
 * Inflates the part chunk by chunk into the parser, never holding the whole of it, and stops once
 * `done` says so, past MAX_DOCUMENT_BYTES, or past the size the zip's directory declared for it.
 */
function streamInto(
  part: JSZip.JSZipObject,
  declared: number,
  parser: SaxesParser<{ xmlns: true }>,
  done: () => boolean,
): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  const stream = part.nodeStream('nodebuffer');
  let inflated = 0;
  return new Promise((resolve, reject) => {
    const stop = (error?: unknown) => {
      stream.pause();
      stream.removeAllListeners('data');
      if (error) reject(error);
      else resolve();
    };
    stream.on('data', (chunk: Buffer) => {
      try {
        inflated += chunk.length;
        if (inflated > MAX_DOCUMENT_BYTES)
          refuse(`Nội dung tệp .docx giải nén vượt quá ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`);
        // A part that inflates past what the directory declared is damaged or built to deceive:
        // stopped at once, before the parser spends its time on it.
        if (inflated > declared)
          refuse(
            'Tệp .docx bị hỏng: phần văn bản (word/document.xml) giải nén ra nhiều hơn kích thước tệp tự khai báo.',
          );
        parser.write(decoder.decode(chunk, { stream: true }));
        if (done()) stop();
      } catch (error) {
        stop(error);
      }
    });
    stream.on('error', (error: Error) => stop(error));
    stream.on('end', () => {
      try {
        if (!done()) parser.write(decoder.decode()).close();
        resolve();
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Reads the appendix table of a .docx document (else its first table with data). */
export async function readDocxTable(bytes: Uint8Array, maxBytes?: number): Promise<RawTable> {
  checkSize(bytes, maxBytes);
  if (isLegacyOffice(bytes))
    refuse(
      'Tệp Word định dạng cũ (.doc), hoặc có đặt mật khẩu, không đọc được; hãy lưu lại dưới dạng .docx không mật khẩu.',
    );
  if (!isZip(bytes)) refuse('Tệp không phải văn bản Word .docx hợp lệ.');
  // A zip bomb is refused from what its directory declares, before anything is inflated.
  if (zipUncompressedSize(bytes) > MAX_DOCUMENT_BYTES)
    refuse(
      `Tệp .docx khi giải nén lớn hơn ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; văn bản phụ lục không cần lớn như vậy (tệp có thể bị hỏng hoặc là tệp nén bất thường).`,
    );
  const document = await openDocument(bytes);

  const collector = new TableCollector();
  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('doctype', () => refuse('Tệp .docx có khai báo DTD trong word/document.xml; Word không tạo ra như vậy.'));
  parser.on('opentag', (node) => collector.open(node));
  parser.on('closetag', (node) => collector.close(node));
  parser.on('text', (text) => collector.text(text));

  try {
    const declared = zipEntries(bytes).find((e) => e.name === 'word/document.xml')?.uncompressedSize ?? Infinity;
    await streamInto(document, declared, parser, () => collector.chosen !== undefined);
  } catch (error) {
    if (error instanceof AppendixReadError) throw error;
    refuse('Không đọc được nội dung tệp .docx: phần văn bản (word/document.xml) bị hỏng.');
  }
  const table = collector.chosen ?? collector.fallback;
  if (!table) refuse('Văn bản Word không có bảng nào có dữ liệu; phụ lục cần ở dạng bảng.');
  return collector.preamble.length > 0 ? { ...table, preamble: collector.preamble } : table;
}
