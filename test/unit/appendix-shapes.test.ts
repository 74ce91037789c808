import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedRegistries } from '../../db/seed.ts';
import { formatDateCell } from '../../domain/appendix/cell-format.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';
import type { PlanPreview, PreviewOptions, PreviewTask } from '../../domain/appendix/types.ts';
import { documentXml, docxFile, tableXml, type DocxCell, type DocxRow } from '../support/docx.ts';

// The shapes real 2025–2026 appendices take, each in the formats provinces send: CSV, a workbook
// with real number formats, a Word document with real merged cells.

const registry = (await shippedRegistries()).find((r) => r.id === 'phu-tho')!;
const options: PreviewOptions = { registry, periodStart: '2026-01-01', periodEnd: '2026-12-31' };

const csvOf = (rows: string[][]) =>
  new TextEncoder().encode(rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n'));
const previewCsv = (rows: string[][], extra: Partial<PreviewOptions> = {}) =>
  previewPlan({ bytes: csvOf(rows), format: 'csv' }, { ...options, ...extra });

/** The same table as a workbook: each cell a string, a number, or a date with its number format. */
type BookCell = string | number | { date: Date; numFmt: string };
async function workbook(rows: BookCell[][], merges: string[] = []): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Phụ lục');
  rows.forEach((cells, r) =>
    cells.forEach((value, c) => {
      const cell = sheet.getCell(r + 1, c + 1);
      if (typeof value === 'object') {
        cell.value = value.date;
        cell.numFmt = value.numFmt;
      } else if (value !== '') cell.value = value;
    }),
  );
  for (const range of merges) sheet.mergeCells(range);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** What two readings of one table must agree on: each task's identity, text, leads and deadline. */
const essence = (preview: PlanPreview) =>
  preview.tasks.map((t: PreviewTask) => ({
    key: t.key,
    parent: t.parent,
    title: t.title,
    leads: t.leads.map((l) => l.code ?? l.name),
    due: t.deadline.due,
    kind: t.deadline.kind,
  }));

const HEADER = ['STT', 'Tên nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'];
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

describe('workbook dates read as the person sees them', () => {
  it('reads a date cell formatted to show a month as that month, and says so beside it', async () => {
    const bytes = await workbook([
      HEADER,
      ['1', 'Số hóa hồ sơ', 'Sở Nội vụ', '', { date: day(2026, 6, 1), numFmt: 'mm/yyyy' }],
      [
        '2',
        'Cấp phiếu lý lịch tư pháp trực tuyến',
        'Sở Tư pháp',
        '',
        { date: day(2026, 12, 1), numFmt: '"Tháng "m/yyyy' },
      ],
      ['3', 'Tập huấn', 'Sở Nội vụ', '', { date: day(2026, 3, 15), numFmt: 'dd/mm/yyyy' }],
      ['4', 'Tổng kết', 'Sở Nội vụ', '', { date: day(2026, 1, 1), numFmt: 'yyyy' }],
      ['5', 'Báo cáo', 'Sở Nội vụ', '', { date: day(2026, 9, 30), numFmt: 'mm-dd-yy' }],
    ]);
    const preview = await previewPlan({ bytes }, options);
    expect(preview.errors).toEqual([]);
    expect(preview.tasks.map((t) => [t.deadline.raw, t.deadline.due, t.deadlineNote])).toEqual([
      ['06/2026', '2026-06-30', 'cuối tháng 6/2026 → 30/06/2026'],
      ['Tháng 12/2026', '2026-12-31', 'cuối tháng 12/2026 → 31/12/2026'],
      // A Sunday: the reader says the last day moves (the calendar knows to which day).
      ['15/03/2026', '2026-03-15', '15/03/2026 là Chủ nhật: hạn dời sang ngày làm việc tiếp theo'],
      ['2026', '2026-12-31', 'cuối năm 2026 → 31/12/2026'],
      // Excel's short date follows the locale: a Vietnamese reader sees the day first.
      ['30/09/2026', '2026-09-30', undefined],
    ]);
  });

  it('gives the same deadline for a month-formatted cell as for its text in the CSV export, for any month and format', async () => {
    const formats = ['mm/yyyy', 'm/yyyy', '"Tháng "m/yyyy', '"Tháng "mm/yyyy', '"T"m/yyyy', 'mmm-yy', 'mm-yyyy'];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2021, max: 2035 }),
        fc.integer({ min: 1, max: 28 }),
        fc.constantFrom(...formats),
        async (month, year, dayOfMonth, numFmt) => {
          const date = day(year, month, dayOfMonth);
          const shown = formatDateCell(date, numFmt);
          const book = await previewPlan(
            { bytes: await workbook([HEADER, ['1', 'Việc A', 'Sở Nội vụ', '', { date, numFmt }]]) },
            { registry },
          );
          const csv = await previewPlan(
            { bytes: csvOf([HEADER, ['1', 'Việc A', 'Sở Nội vụ', '', shown]]) },
            { registry },
          );
          const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
          expect(book.tasks[0]!.deadline).toEqual(csv.tasks[0]!.deadline);
          expect(book.tasks[0]!.deadline.due).toBe(last);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('deadlines counted from the plan’s signing', () => {
  it('reads the issue date from the document’s heading and counts from it, saying how', async () => {
    const heading = tableXml([
      ['ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nPhú Thọ, ngày 14 tháng 7 năm 2026'],
    ]);
    const table = tableXml([
      HEADER,
      ['1', 'Ban hành quy chế', 'Sở Nội vụ', '', '90 ngày kể từ ngày ban hành Kế hoạch'],
      ['2', 'Tập huấn cán bộ', 'Sở Nội vụ', '', 'trong vòng 30 ngày'],
      ['3', 'Rà soát thủ tục', 'Sở Tư pháp', '', 'Sau 3 tháng kể từ ngày ký'],
    ]);
    const preview = await previewPlan({ bytes: await docxFile(documentXml(heading + table)) }, options);
    expect(preview.issued).toEqual({ date: '2026-07-14', text: expect.stringContaining('ngày 14 tháng 7 năm 2026') });
    expect(preview.tasks.map((t) => [t.deadline.due, t.deadlineNote])).toEqual([
      ['2026-10-12', '90 ngày kể từ ngày ban hành (14/07/2026) → 12/10/2026'],
      ['2026-08-13', '30 ngày kể từ ngày ban hành (14/07/2026) → 13/08/2026'],
      ['2026-10-14', '3 tháng kể từ ngày ban hành (14/07/2026) → 14/10/2026'],
    ]);
    expect(preview.questions?.some((q) => q.kind === 'issued-on')).toBe(false);
  });

  it('asks for the issue date when the file has none, and takes the one given', async () => {
    const rows = [
      ['STT', 'Tên nhiệm vụ', 'Cơ quan chủ trì', 'Số ngày dự kiến'],
      ['1', 'Ban hành quy chế', 'Sở Nội vụ', '45'],
      ['2', 'Tổng kết', 'Sở Nội vụ', '120 ngày'],
    ];
    const asked = await previewCsv(rows);
    expect(asked.errors).toEqual([]);
    expect(asked.tasks.map((t) => t.deadline.kind)).toEqual(['unresolved', 'unresolved']);
    expect(asked.questions?.filter((q) => q.kind === 'issued-on')).toHaveLength(1);
    const given = await previewCsv(rows, { issuedOn: '2026-03-02' });
    expect(given.tasks.map((t) => [t.deadline.raw, t.deadline.due])).toEqual([
      ['45', '2026-04-16'],
      ['120 ngày', '2026-06-30'],
    ]);
    expect(given.questions?.some((q) => q.kind === 'issued-on')).toBe(false);
  });
});

describe('which column is the task', () => {
  it('takes the prose column, and keeps a column of codes as the task’s code', async () => {
    const preview = await previewCsv([
      ['STT', 'Nhiệm vụ', 'Nội dung', 'Cơ quan chủ trì', 'Thời gian hoàn thành'],
      ['1', 'KH20_TT_N01.1.1', 'Xây dựng cơ sở dữ liệu hộ tịch', 'Sở Tư pháp', 'Quý II/2026'],
      ['2', 'KH20_TT_N01.1.2', 'Số hóa sổ hộ tịch', 'Sở Tư pháp', 'Quý III/2026'],
    ]);
    expect(preview.tasks.map((t) => [t.code, t.title])).toEqual([
      ['KH20_TT_N01.1.1', 'Xây dựng cơ sở dữ liệu hộ tịch'],
      ['KH20_TT_N01.1.2', 'Số hóa sổ hộ tịch'],
    ]);
    expect(preview.columns?.map((c) => [c.letter, c.header, c.meaning])).toEqual([
      ['A', 'STT', 'number'],
      ['B', 'Nhiệm vụ', 'code'],
      ['C', 'Nội dung', 'task'],
      ['D', 'Cơ quan chủ trì', 'lead'],
      ['E', 'Thời gian hoàn thành', 'deadline'],
    ]);
  });

  it('reads "Tên nhóm nhiệm vụ/nhiệm vụ" beside "Mã nhiệm vụ", and lets the coordinator choose another column', async () => {
    const rows = [
      ['STT', 'Mã nhiệm vụ', 'Tên nhóm nhiệm vụ/nhiệm vụ', 'Ghi chú', 'Cơ quan chủ trì', 'Thời gian hoàn thành'],
      ['1', 'N01', 'Chuyển đổi số hồ sơ', 'Làm trước hồ sơ đất đai', 'Sở Nội vụ', '2026'],
    ];
    const read = await previewCsv(rows);
    expect(read.tasks[0]).toMatchObject({
      code: 'N01',
      title: 'Chuyển đổi số hồ sơ',
      metadata: { 'Ghi chú': 'Làm trước hồ sơ đất đai' },
    });
    const chosen = await previewCsv(rows, { taskColumn: 3 });
    expect(chosen.tasks[0]!.title).toBe('Làm trước hồ sơ đất đai');
  });
});

describe('groups and parts', () => {
  it('gives lettered children their group’s title, and never makes the group a task', async () => {
    const preview = await previewCsv([
      HEADER,
      ['1', 'Chuyển đổi số ngành y tế', 'Sở Y tế', '', 'Năm 2026'],
      ['a)', 'Dữ liệu y tế', '', '', ''],
      ['b)', 'Bệnh án điện tử', '', '', '30/6/26'],
      ['2', 'Tổng kết', 'Sở Nội vụ', '', 'Năm 2026'],
    ]);
    expect(preview.errors).toEqual([]);
    expect(
      preview.tasks.map((t) => [t.key, t.number, t.parent, t.title, t.leads.map((l) => l.code), t.deadline.due]),
    ).toEqual([
      ['1.a', 'a', 'Chuyển đổi số ngành y tế', 'Dữ liệu y tế', ['SYT'], '2026-12-31'],
      ['1.b', 'b', 'Chuyển đổi số ngành y tế', 'Bệnh án điện tử', ['SYT'], '2026-06-30'],
      ['2', '2', undefined, 'Tổng kết', ['SNV'], '2026-12-31'],
    ]);
  });

  it('reads a group whose lead and deadline are merged over its sub-numbered rows the same from CSV, a workbook and Word', async () => {
    const rows = [
      HEADER,
      ['I', 'CHUYỂN ĐỔI SỐ', '', '', ''],
      ['1', 'Triển khai nền tảng số dùng chung', 'Sở Khoa học và Công nghệ', 'Sở Nội vụ', 'Quý IV/2026'],
      ['1.1', 'Nền tảng tích hợp dữ liệu', '', '', ''],
      ['1.2', 'Nền tảng định danh', '', '', ''],
      ['2', 'Tổng kết', 'Sở Nội vụ', '', '2026'],
    ];
    const csv = await previewCsv(rows);
    const merged = (r: number, text: string): DocxCell =>
      r === 2 ? { text, vMerge: 'restart' } : r < 5 ? { vMerge: 'continue' } : text;
    const word = rows.map((cells, r) =>
      r === 1
        ? [{ text: 'I. CHUYỂN ĐỔI SỐ', span: 5 }]
        : cells.map((text, c) => (c >= 2 && r >= 2 && r <= 4 ? merged(r, text) : text)),
    ) as DocxRow[];
    const docx = await previewPlan({ bytes: await docxFile(documentXml(tableXml(word))) }, options);
    const book = await previewPlan({ bytes: await workbook(rows, ['C3:C5', 'D3:D5', 'E3:E5']) }, options);
    expect(csv.errors).toEqual([]);
    expect(essence(csv)).toEqual([
      {
        key: '1.1',
        parent: 'Triển khai nền tảng số dùng chung',
        title: 'Nền tảng tích hợp dữ liệu',
        leads: ['SKHCN'],
        due: '2026-12-31',
        kind: 'date',
      },
      {
        key: '1.2',
        parent: 'Triển khai nền tảng số dùng chung',
        title: 'Nền tảng định danh',
        leads: ['SKHCN'],
        due: '2026-12-31',
        kind: 'date',
      },
      { key: '2', parent: undefined, title: 'Tổng kết', leads: ['SNV'], due: '2026-12-31', kind: 'date' },
    ]);
    expect(essence(docx)).toEqual(essence(csv));
    expect(essence(book)).toEqual(essence(csv));
    expect(csv.tasks[0]!.collaborators.map((c) => c.code)).toEqual(['SNV']);
  });

  it('reads the same groups, parts and deadlines from CSV in UTF-8, UTF-16 and Windows-1258', async () => {
    const rows = [
      HEADER,
      ['I', 'CHUYỂN ĐỔI SỐ', '', '', ''],
      ['1', 'Chuyển đổi số ngành y tế', 'Sở Y tế', '', 'Quý IV/2026'],
      ['a)', 'Dữ liệu y tế', '', '', '6/2026'],
      ['b)', 'Bệnh án điện tử', '', '', '30/6/26'],
      ['', 'Tuyên truyền', 'Sở Nội vụ', '', 'T9/2026'],
      ['I', 'THỂ CHẾ (phần hai)', '', '', ''],
      ['1', 'Rà soát văn bản', 'Sở Tư pháp', '', '31/03/2026 (đề nghị thường xuyên)'],
    ];
    const text = rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n');
    const utf8 = await previewPlan({ bytes: new TextEncoder().encode(text) }, options);
    const utf16 = await previewPlan(
      { bytes: new Uint8Array([0xff, 0xfe, ...Buffer.from(text.replace(/,/g, '\t'), 'utf16le')]) },
      options,
    );
    // As Windows-1258 writes Vietnamese: the letter with its shape where the code page has it, the tone after it.
    const shapes = '\u0302\u0306\u031b';
    const split = text.normalize('NFD').replace(/(\p{L})(\p{M}+)/gu, (_all, letter: string, marks: string) => {
      const shape = [...marks].filter((m) => shapes.includes(m)).join('');
      const tones = [...marks].filter((m) => !shapes.includes(m)).join('');
      return (letter + shape).normalize('NFC') + tones;
    });
    const cp1258 = await previewPlan({ bytes: new Uint8Array(iconv.encode(split, 'windows-1258')) }, options);
    expect(utf8.errors).toEqual([]);
    expect(essence(utf8).map((t) => [t.key, t.due])).toEqual([
      ['1.a', '2026-06-30'],
      ['1.b', '2026-06-30'],
      ['I.1+1', '2026-09-30'],
      // Its number is unique in the table: the key is the number, the part its section.
      ['1', '2026-03-31'],
    ]);
    expect(utf8.tasks.map((t) => t.section)).toEqual(['I', 'I', 'I', 'P2.I']);
    expect(essence(utf16)).toEqual(essence(utf8));
    expect(essence(cp1258)).toEqual(essence(utf8));
  });

  it('keeps a numbered row with its own lead a task when its sub-rows name leads of their own', async () => {
    const preview = await previewCsv([
      HEADER,
      ['2', 'Số hóa hồ sơ', 'Sở Nội vụ', '', '2026'],
      ['2.1', 'Số hóa hồ sơ cấp xã', 'Sở Y tế', '', '2026'],
    ]);
    expect(preview.tasks.map((t) => [t.key, t.parent])).toEqual([
      ['2', undefined],
      ['2.1', undefined],
    ]);
  });

  it('imports an unnumbered row with a lead, a product or a deadline, keyed by its place; one with none is a heading', async () => {
    const preview = await previewCsv([
      HEADER,
      ['I', 'THỂ CHẾ', '', '', ''],
      ['', 'Nhóm nhiệm vụ về văn bản', '', '', ''],
      ['1', 'Rà soát văn bản', 'Sở Tư pháp', '', '2026'],
      ['', 'Tuyên truyền văn bản mới', 'Sở Tư pháp', '', ''],
      ['-', 'Kiểm tra văn bản', '', '', 'Quý III/2026'],
      ['', 'Ghi chú: theo hướng dẫn của Bộ Tư pháp', '', '', ''],
    ]);
    expect(preview.tasks.map((t) => [t.key, t.number, t.parent, t.title])).toEqual([
      ['1', '1', 'Nhóm nhiệm vụ về văn bản', 'Rà soát văn bản'],
      ['I.1+1', '', 'Nhóm nhiệm vụ về văn bản', 'Tuyên truyền văn bản mới'],
      ['I.1+2', '', 'Nhóm nhiệm vụ về văn bản', 'Kiểm tra văn bản'],
    ]);
    expect(preview.warnings.find((w) => w.row === 7)?.message).toContain('ghi chú');
  });

  it('opens a new scope for numbering when the Roman numerals start again, the header repeats, or a part begins', async () => {
    const preview = await previewCsv([
      HEADER,
      ['I', 'THỂ CHẾ', '', '', ''],
      ['1', 'Việc một', 'Sở Nội vụ', '', '2026'],
      ['II', 'THỦ TỤC', '', '', ''],
      ['1', 'Việc hai', 'Sở Nội vụ', '', '2026'],
      ['I', 'THỂ CHẾ (năm 2027)', '', '', ''],
      ['1', 'Việc ba', 'Sở Nội vụ', '', '2026'],
      HEADER,
      ['I', 'THỂ CHẾ', '', '', ''],
      ['1', 'Việc bốn', 'Sở Nội vụ', '', '2026'],
      ['Phần B', 'NHIỆM VỤ RIÊNG', '', '', ''],
      ['I', 'THỂ CHẾ', '', '', ''],
      ['1', 'Việc năm', 'Sở Nội vụ', '', '2026'],
      ['1', 'Việc năm (lặp số)', 'Sở Nội vụ', '', '2026'],
    ]);
    expect(preview.errors).toEqual([]);
    expect(preview.tasks.map((t) => t.key)).toEqual(['I.1', 'II.1', 'P2.I.1', 'P3.I.1', 'B.I.1', 'B.I.1~2']);
    expect(preview.warnings.filter((w) => w.field === 'number').map((w) => w.row)).toEqual([14]);
  });
});

describe('a plan taken up in the middle of its life', () => {
  it('reads the status column: done on a day, done without one (a question), and open', async () => {
    const preview = await previewCsv(
      [
        [...HEADER, 'Tình hình thực hiện'],
        ['1', 'Việc A', 'Sở Nội vụ', '', '2024', 'Hoàn thành ngày 15/3/2024'],
        ['2', 'Việc B', 'Sở Nội vụ', '', '2024', 'Đã hoàn thành'],
        ['3', 'Việc C', 'Sở Nội vụ', '', '2024', 'Đang thực hiện'],
        ['4', 'Việc D', 'Sở Nội vụ', '', '2023', 'Đã ban hành Kế hoạch số 32/KH-UBND ngày 17/01/2023'],
      ],
      { periodStart: '2021-01-01', periodEnd: '2025-12-31' },
    );
    expect(preview.tasks.map((t) => t.status)).toEqual([
      { state: 'done', completedOn: '2024-03-15', raw: 'Hoàn thành ngày 15/3/2024' },
      { state: 'done', raw: 'Đã hoàn thành' },
      { state: 'open', raw: 'Đang thực hiện' },
      {
        state: 'done',
        completedOn: '2023-01-17',
        document: { kind: 'Kế hoạch', number: '32/KH-UBND', date: '2023-01-17' },
        raw: 'Đã ban hành Kế hoạch số 32/KH-UBND ngày 17/01/2023',
      },
    ]);
    expect(preview.questions?.filter((q) => q.kind === 'completed-on').map((q) => q.row)).toEqual([3]);
  });
});

describe('leads the coordinator must decide', () => {
  it('asks about the commune level and a loose group, offering the plan’s own leads, and proposes only agencies', async () => {
    const preview = await previewCsv([
      HEADER,
      ['1', 'Rà soát thủ tục cấp xã', 'UBND các xã, phường', '', '2026'],
      ['2', 'Cải cách thủ tục', 'Sở, ngành liên quan', 'Các cơ quan, đơn vị liên quan', '2026'],
      ['3', 'Tổng hợp', 'Sở Nội vụ', '', '2026'],
      ['4', 'Số hóa', 'Trung tâm Dữ liệu số tỉnh; Nguyễn Văn An', '', '2026'],
    ]);
    const questions = preview.questions ?? [];
    const communes = questions.find((q) => q.kind === 'commune-group')!;
    expect(communes).toMatchObject({ row: 2, options: [{ value: 'each' }, { value: 'group' }] });
    expect(communes.text).toContain('148 xã, phường, đặc khu');
    expect(questions.find((q) => q.kind === 'vague-group')).toMatchObject({ row: 3, options: [{ value: 'SNV' }] });
    expect(preview.tasks[1]!.leads).toEqual([
      {
        code: null,
        name: 'Các sở, ban, ngành liên quan',
        group: 'Các sở, ban, ngành liên quan',
        members: expect.any(Number),
      },
    ]);
    expect(preview.tasks[1]!.collaborators.map((c) => c.code)).toEqual([null]);
    expect(preview.proposedAgencies?.map((p) => p.name)).toEqual(['Trung tâm Dữ liệu số tỉnh']);
    expect(questions.filter((q) => q.kind === 'unknown-agency').map((q) => q.row)).toEqual([5, 5]);
  });

  it('assigns the commune level to each commune or to the group, as the coordinator chose', async () => {
    const rows = [HEADER, ['1', 'Rà soát thủ tục cấp xã', 'UBND xã/phường', '', '2026']];
    const each = await previewCsv(rows, { overrides: [{ row: 2, communes: 'each' }] });
    expect(each.tasks[0]!.leads).toHaveLength(148);
    expect(each.tasks[0]!.questions).toEqual([]);
    const together = await previewCsv(rows, { overrides: [{ row: 2, communes: 'group' }] });
    expect(together.tasks[0]!.leads.map((l) => l.code)).toEqual(['CAPXA']);
  });
});
