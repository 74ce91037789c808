import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { parseCsv } from '../../domain/appendix/read-csv.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';
import { readXlsxTable } from '../../domain/appendix/read-xlsx.ts';
import type { RawTable } from '../../domain/appendix/types.ts';
import { isIsoDate } from '../../domain/calendar.ts';
import { readDeadline } from '../../domain/deadline.ts';
import { squish } from '../../domain/text.ts';

// Random tables and random deadline texts, thrown at the readers: they never throw (a problem is
// an issue in the preview, not an exception), and they never read anything that was not written.

const registry = registryFromJson(readFileSync(new URL('../../data/agencies/vinh-phuc.json', import.meta.url), 'utf8'));

/** Cell text with what makes CSV and spreadsheets hard: delimiters, quotes, line breaks, tabs, Vietnamese. */
const cellText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.constantFrom(
          'Sở',
          'Tư pháp',
          'Nội vụ',
          'UBND',
          ';',
          ',',
          '"',
          '\n',
          '\r\n',
          '\t',
          ' ',
          'Quý IV/2025',
          '1.2',
          'và',
          '=',
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

const HEADER = ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'];
const table = fc.array(fc.array(cellText, { minLength: 1, maxLength: 7 }), { maxLength: 25 });
const withHeader = fc.tuple(fc.boolean(), table).map(([header, rows]) => (header ? [HEADER, ...rows] : rows));

/** CSV as a spreadsheet writes it: every cell quoted, quotes doubled. */
function toCsv(rows: string[][], delimiter: ';' | ','): Uint8Array {
  const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(delimiter)).join('\r\n');
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** Everything a cell said, space-squished, to look read text up in. */
const written = (rows: string[][]) => squish(rows.flat().join(' ').normalize('NFC'));

describe('the appendix readers on random tables', () => {
  it('read a quoted CSV back cell for cell, leaving out only empty rows', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(';' as const, ',' as const), (rows, delimiter) => {
        const read = parseCsv(Buffer.from(toCsv(rows, delimiter)).toString('utf8'), delimiter);
        const expected = rows
          .map((cells) => cells.map((c) => c.replace(/\r\n/g, '\r\n')))
          .filter((cells) => cells.some((c) => c.trim() !== ''));
        expect(read.map((r) => r.cells)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('preview any CSV without throwing, and every task read comes from the input', async () => {
    await fc.assert(
      fc.asyncProperty(withHeader, fc.constantFrom(';' as const, ',' as const), async (rows, delimiter) => {
        const preview = await previewPlan({ bytes: toCsv(rows, delimiter), format: 'csv' }, { registry });
        const input = written(rows);
        for (const task of preview.tasks) {
          expect(input).toContain(squish(task.title));
          expect(input).toContain(squish(task.leadsRaw));
          expect(input).toContain(squish(task.number));
          if (task.deadline.raw) expect(input).toContain(squish(task.deadline.raw));
        }
        for (const issue of [...preview.errors, ...preview.warnings]) expect(issue.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('preview any workbook without throwing, and every task read comes from the input', async () => {
    await fc.assert(
      fc.asyncProperty(withHeader, async (rows) => {
        const book = new ExcelJS.Workbook();
        const sheet = book.addWorksheet('Phụ lục');
        rows.forEach((cells, index) => (sheet.getRow(index + 1).values = cells));
        const bytes = new Uint8Array(await book.xlsx.writeBuffer());
        const read: RawTable | Error = await readXlsxTable(bytes).catch((error: Error) => error);
        const preview = await previewPlan({ bytes, format: 'xlsx' }, { registry });
        if (read instanceof Error) {
          // An empty workbook is the one thing the reader refuses, with our own error.
          expect(read.name).toBe('AppendixReadError');
          expect(preview.errors).toHaveLength(1);
          return;
        }
        const input = written(rows);
        for (const row of read.rows)
          for (const cell of row.cells) expect(input).toContain(squish(cell.normalize('NFC')));
        for (const task of preview.tasks) expect(input).toContain(squish(task.title.normalize('NFC')));
      }),
      { numRuns: 60 },
    );
  });
});

/** Deadline texts as plans write them, and noise around them. */
const deadlinePiece = fc.oneof(
  fc.integer({ min: 1990, max: 2100 }).map(String),
  fc.integer({ min: 1, max: 12 }).map((m) => `tháng ${m}`),
  fc.constantFrom('Quý I', 'Quý II', 'Quý III', 'Quý IV', 'Quí 2', 'quý 3', '6 tháng đầu năm', '6 tháng cuối năm'),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 14 })).map(([d, m]) => `${d}/${m}`),
  fc.constantFrom('trước', 'trước ngày', 'đến', 'chậm nhất', 'hằng năm', 'hàng năm', 'thường xuyên', 'năm', 'Từ'),
  fc.constantFrom('/', '-', ' - ', ',', ';', ' và ', '(', ')', ' '),
  fc.string({ maxLength: 6 }),
);
const deadlineText = fc.array(deadlinePiece, { maxLength: 9 }).map((parts) => parts.join(' '));

describe('the deadline reader on random texts', () => {
  it('never throws, keeps the text as written, and reads only years that were written', () => {
    fc.assert(
      fc.property(fc.oneof(deadlineText, fc.string({ maxLength: 60 })), (raw) => {
        const deadline = readDeadline(raw);
        expect(deadline.raw).toBe(raw);
        const years = new Set([...raw.matchAll(/\d{4}/g)].map((m) => Number(m[0])));
        const days = [deadline.due, deadline.start, ...(deadline.milestones ?? [])].filter((d) => d !== undefined);
        for (const day of days) {
          expect(isIsoDate(day)).toBe(true);
          // "trước năm 2025" is due 31/12/2024: the year written, or the one before it.
          const year = Number(day.slice(0, 4));
          expect(years.has(year) || years.has(year + 1)).toBe(true);
        }
        if (deadline.kind === 'unresolved') expect(days).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
