import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readDeadline, readDeadlineText, recurrenceDue } from '../../domain/deadline.ts';
import type { Deadline } from '../../domain/types.ts';

type Reading = Omit<Deadline, 'raw'>;

const date = (due: string): Reading => ({ kind: 'date', due });
const range = (start: string, due: string): Reading => ({ kind: 'range', start, due });
const yearly = (month?: number, day?: number): Reading => ({
  kind: 'recurring',
  recurrence: { every: 'year', ...(month === undefined ? {} : { month }), ...(day === undefined ? {} : { day }) },
});

function expectReading(raw: string, reading: Reading): void {
  expect(readDeadline(raw)).toStrictEqual({ ...reading, raw });
}

describe('readDeadline', () => {
  // Cells of the Vĩnh Phúc appendix (test/fixtures/vinh-phuc-cchc-plan-2021-2025.txt), verbatim.
  it.each<[string, Reading]>([
    ['2021-2025', range('2021-01-01', '2025-12-31')],
    ['2021', date('2021-12-31')],
    ['Hàng năm', yearly()],
    ['2021-2022', range('2021-01-01', '2022-12-31')],
    ['Năm 2021', date('2021-12-31')],
    // Section V of the same plan schedules the reviews as "(Quý 4/2023)" and "(Quý 4/2025)".
    ['(Quý 4/2023)', date('2023-12-31')],
  ])('reads the Vĩnh Phúc appendix cell %j', expectReading);

  // Phrasings of the Vĩnh Long plan and other real appendices, including a range the
  // PDF extraction broke across lines.
  it.each<[string, Reading]>([
    ['giai đoạn 2021 - 2025', range('2021-01-01', '2025-12-31')],
    ['giai đoạn 2020 - 2025', range('2020-01-01', '2025-12-31')],
    ['Giai đoạn 2021 \n\n- 2030', range('2021-01-01', '2030-12-31')],
    ['năm 2022', date('2022-12-31')],
    ['Đến năm 2025', date('2025-12-31')],
    ['hàng năm', yearly()],
    ['Thường xuyên', { kind: 'continuous' }],
    ['quý III năm 2023', date('2023-09-30')],
    ['tháng 01/2018', date('2018-01-31')],
    ['giai đoạn 2021-2025 và hàng năm', { ...yearly(), start: '2021-01-01' }],
  ])('reads the seed phrasing %j', expectReading);

  it.each<[string, Reading]>([
    ['2022', date('2022-12-31')],
    ['năm 2021.', date('2021-12-31')],
    ['NĂM 2024', date('2024-12-31')],
    ['2021;', date('2021-12-31')],
    ['  2023 \n', date('2023-12-31')],
    ['Trong năm 2022', date('2022-12-31')],
    ['Trước năm 2025', date('2024-12-31')],
  ])('reads the year %j as its last day', expectReading);

  it.each<[string, Reading]>([
    ['2021 - 2022', range('2021-01-01', '2022-12-31')],
    ['2021 –2025', range('2021-01-01', '2025-12-31')],
    ['2021—2025', range('2021-01-01', '2025-12-31')],
    ['2021-2025.', range('2021-01-01', '2025-12-31')],
    ['2021 đến 2025', range('2021-01-01', '2025-12-31')],
    ['Từ năm 2021 đến năm 2025', range('2021-01-01', '2025-12-31')],
    ['Giai đoạn 2021-2025', range('2021-01-01', '2025-12-31')],
    ['Năm 2022-2023', range('2022-01-01', '2023-12-31')],
  ])('reads the year range %j', expectReading);

  it.each<[string, Reading]>([
    ['Quý 4/2023', date('2023-12-31')],
    ['Quý IV/2025', date('2025-12-31')],
    ['Quí II năm 2022', date('2022-06-30')],
    ['quý 3-2024', date('2024-09-30')],
    ['Quy 1/2022', date('2022-03-31')],
    ['QUÝ iii 2023', date('2023-09-30')],
    ['Quý I / 2026', date('2026-03-31')],
    ['quý 2 năm 2024', date('2024-06-30')],
    ['Trong quý 3/2022', date('2022-09-30')],
    ['Trước quý IV/2025', date('2025-09-30')],
    ['6 tháng đầu năm 2022', date('2022-06-30')],
    ['6 tháng cuối năm 2022', date('2022-12-31')],
  ])('reads the quarter or half year %j as its last day', expectReading);

  it.each<[string, Reading]>([
    ['Quý IV/2025 - Quý II/2026', range('2025-10-01', '2026-06-30')],
    ['Quý I - Quý III/2024', range('2024-01-01', '2024-09-30')],
    ['Quý I - III/2024', range('2024-01-01', '2024-09-30')],
    ['Từ quý 2/2022 đến quý 1/2023', range('2022-04-01', '2023-03-31')],
    ['Quý 3-2024 - Quý 1-2025', range('2024-07-01', '2025-03-31')],
  ])('reads the quarter range %j', expectReading);

  it.each<[string, Reading]>([
    ['Tháng 6/2022', date('2022-06-30')],
    ['Tháng 06/2026', date('2026-06-30')],
    ['tháng 6 năm 2022', date('2022-06-30')],
    ['T6/2022', date('2022-06-30')],
    ['Tháng 2/2024', date('2024-02-29')],
    ['tháng 2-2023', date('2023-02-28')],
    ['Cuối tháng 12/2022', date('2022-12-31')],
    ['Tháng 3 - Tháng 6/2022', range('2022-03-01', '2022-06-30')],
    ['Tháng 3-6/2022', range('2022-03-01', '2022-06-30')],
    ['Từ tháng 11/2022 đến tháng 2/2023', range('2022-11-01', '2023-02-28')],
  ])('reads the month %j', expectReading);

  it.each<[string, Reading]>([
    ['Trước ngày 30/6/2022', date('2022-06-29')],
    ['trước 30/06/2022', date('2022-06-29')],
    ['Hoàn thành trước ngày 01/01/2023', date('2022-12-31')],
    ['Trước ngày 1/3/2024', date('2024-02-29')],
    ['Chậm nhất ngày 30/6/2022', date('2022-06-30')],
    ['chậm nhất 15-9-2023', date('2023-09-15')],
    ['Đến ngày 31.12.2025', date('2025-12-31')],
    ['ngày 30 tháng 6 năm 2022', date('2022-06-30')],
    ['trước ngày 15 tháng 12 năm 2023', date('2023-12-14')],
    ['30/6/2022', date('2022-06-30')],
    ['29/2/2024', date('2024-02-29')],
    ['Từ 01/3/2022 đến 30/6/2022', range('2022-03-01', '2022-06-30')],
  ])('reads the explicit day %j', expectReading);

  it.each<[string, Reading]>([
    ['6/2025', date('2025-06-30')],
    ['06/2025', date('2025-06-30')],
    ['6-2025', date('2025-06-30')],
    ['T6/2025', date('2025-06-30')],
    ['2/2024', date('2024-02-29')],
    ['12/5/26', date('2026-05-12')],
    ['30/6/26', date('2026-06-30')],
    ['30/6/22', date('2022-06-30')],
    ['trước 1/7/26', date('2026-06-30')],
  ])('reads the bare month or the two-digit year %j', expectReading);

  it.each<[string, Reading]>([
    ['Hằng năm', yearly()],
    ['hằng năm.', yearly()],
    [' Hàng năm ', yearly()],
    ['HÀNG NĂM', yearly()],
    ['Hang nam', yearly()],
    ['Định kỳ hằng năm', yearly()],
    ['Mỗi năm', yearly()],
    ['Tháng 12 hằng năm', yearly(12)],
    ['Hằng năm vào tháng 6', yearly(6)],
    ['Quý IV hằng năm', yearly(12)],
    ['Quý I hàng năm', yearly(3)],
    ['trước ngày 15/12 hằng năm', yearly(12, 14)],
    ['Chậm nhất ngày 20/6 hằng năm', yearly(6, 20)],
    ['Trước ngày 1/7 hằng năm', yearly(6)],
    ['Trước ngày 01/01 hằng năm', yearly(12)],
    ['Trước ngày 1/3 hằng năm', yearly(2)],
    ['Hằng năm (trước ngày 15/12)', yearly(12, 14)],
    ['Hằng năm, Quý IV', yearly(12)],
  ])('reads the yearly cycle %j', expectReading);

  it.each<[string, Reading]>([
    ['THƯỜNG XUYÊN', { kind: 'continuous' }],
    ['thuong xuyen.', { kind: 'continuous' }],
    ['Thường xuyên, liên tục', { kind: 'continuous' }],
  ])('reads %j as continuous work with no due day', expectReading);

  it.each<[string, Reading]>([
    ['Quý 4/2023, Quý 4/2025', { ...date('2025-12-31'), milestones: ['2023-12-31', '2025-12-31'] }],
    ['Năm 2021, 2023', { ...date('2023-12-31'), milestones: ['2021-12-31', '2023-12-31'] }],
    ['2021; 2023 và 2025', { ...date('2025-12-31'), milestones: ['2021-12-31', '2023-12-31', '2025-12-31'] }],
    ['Quý 4/2025, Quý 2/2024', { ...date('2025-12-31'), milestones: ['2024-06-30', '2025-12-31'] }],
    ['Tháng 6/2022, tháng 6/2022', date('2022-06-30')],
    ['2021-2025 (Quý 4/2023)', { ...range('2021-01-01', '2025-12-31'), milestones: ['2023-12-31', '2025-12-31'] }],
    ['2021-2022, 2024-2025', { ...range('2021-01-01', '2025-12-31'), milestones: ['2022-12-31', '2025-12-31'] }],
    ['2021 và hằng năm', { ...yearly(), start: '2021-01-01' }],
    ['Năm 2021 và hàng năm', { ...yearly(), start: '2021-01-01' }],
    ['2021-2022, hằng năm', { ...yearly(), start: '2021-01-01' }],
    ['2023, 2022 và Quý IV hằng năm', { ...yearly(12), start: '2022-01-01' }],
    ['Thường xuyên, hằng năm', yearly()],
    ['Thường xuyên hằng năm', yearly()],
    ['Hằng năm; thường xuyên', yearly()],
    ['Hằng năm, tháng 12 hằng năm', yearly(12)],
    ['Thường xuyên và Quý 4/2023', date('2023-12-31')],
  ])('combines the listed items %j', expectReading);

  it.each([
    '',
    '   ',
    'Sau khi có hướng dẫn của Trung ương',
    'Theo tiến độ dự án',
    'Theo kế hoạch',
    'Quý 5/2023',
    'Quý V/2023',
    'Tháng 13/2022',
    'Tháng 0/2022',
    '20211',
    '31/2/2022',
    '29/2/2023',
    '32/1/2022',
    '2025-2021',
    'Quý III/2024 - Quý I/2024',
    'Quý IV - Quý II/2026',
    'Quý 4',
    'Tháng 6',
    'trước ngày 15/12',
    'Hằng quý',
    '2021 2023',
    'Quý 4/2021, 2023',
    'Quý 2/2022, hằng năm',
    'Quý I hằng năm, Quý III hằng năm',
    'Hằng năm, Quý IV, Quý II',
    'Tháng 12/2022 hằng năm',
    'Đầu năm 2022',
    'Năm 1066',
  ])('leaves %j unresolved rather than guess', (raw) => {
    expect(readDeadline(raw)).toStrictEqual({ kind: 'unresolved', raw });
  });
});

describe('recurrenceDue', () => {
  it.each<[Parameters<typeof recurrenceDue>[0], number, string]>([
    [{ every: 'year' }, 2024, '2024-12-31'],
    [{ every: 'year', month: 6 }, 2025, '2025-06-30'],
    [{ every: 'year', month: 12, day: 14 }, 2023, '2023-12-14'],
    [{ every: 'year', month: 2 }, 2024, '2024-02-29'],
    [{ every: 'year', month: 2 }, 2025, '2025-02-28'],
    [{ every: 'year', month: 2, day: 29 }, 2025, '2025-02-28'],
  ])('puts the cycle %j of %i on %s', (recurrence, year, due) => {
    expect(recurrenceDue(recurrence, year)).toBe(due);
  });

  it('gives each cycle of "trước ngày 1/3 hằng năm" the last day of February', () => {
    const reading = readDeadline('trước ngày 1/3 hằng năm');
    expect(reading.recurrence && [2024, 2025].map((year) => recurrenceDue(reading.recurrence!, year))).toStrictEqual([
      '2024-02-29',
      '2025-02-28',
    ]);
  });

  it('refuses a month that does not exist', () => {
    expect(() => recurrenceDue({ every: 'year', month: 13 }, 2025)).toThrow(RangeError);
  });
});

describe('readDeadlineText', () => {
  const issuedOn = '2026-07-14';

  it.each<[string, string, string]>([
    ['90 ngày kể từ ngày ban hành Kế hoạch', '2026-10-12', '90 ngày kể từ ngày ban hành (14/07/2026) → 12/10/2026'],
    ['trong vòng 30 ngày', '2026-08-13', '30 ngày kể từ ngày ban hành (14/07/2026) → 13/08/2026'],
    ['Trong vòng 30 ngày, kể từ ngày ban hành', '2026-08-13', '30 ngày kể từ ngày ban hành (14/07/2026) → 13/08/2026'],
    ['Sau 3 tháng kể từ ngày ký', '2026-10-14', '3 tháng kể từ ngày ban hành (14/07/2026) → 14/10/2026'],
    [
      'Chậm nhất 2 tuần kể từ ngày Kế hoạch được phê duyệt',
      '2026-07-28',
      '2 tuần kể từ ngày ban hành (14/07/2026) → 28/07/2026',
    ],
    ['45 ngày', '2026-08-28', '45 ngày kể từ ngày ban hành (14/07/2026) → 28/08/2026'],
  ])('counts %j from the issue date', (raw, due, note) => {
    expect(readDeadlineText(raw, { issuedOn })).toEqual({ deadline: { kind: 'date', due, raw }, note });
  });

  it('says a count from the signing needs the issue date when none is given, and guesses no day', () => {
    expect(readDeadlineText('90 ngày kể từ ngày ban hành Kế hoạch')).toEqual({
      deadline: { kind: 'unresolved', raw: '90 ngày kể từ ngày ban hành Kế hoạch' },
      needsIssueDate: true,
    });
  });

  it.each(['30 ngày làm việc kể từ ngày ban hành', '60 ngày kể từ ngày Luật có hiệu lực', '0 ngày'])(
    'leaves %j unresolved: working days, or a count from another event',
    (raw) => expect(readDeadlineText(raw, { issuedOn })).toEqual({ deadline: { kind: 'unresolved', raw } }),
  );

  it.each<[string, Reading, string[]]>([
    ['31/03/2026 (đề nghị thường xuyên)', date('2026-03-31'), ['đề nghị thường xuyên']],
    ['Quý I/2026; báo cáo hằng tháng', date('2026-03-31'), ['báo cáo hằng tháng']],
    ['Năm 2021, sau đó tùy tình hình', date('2021-12-31'), ['sau đó tùy tình hình']],
    ['Tháng 12/2026 (trình UBND tỉnh)', date('2026-12-31'), ['trình UBND tỉnh']],
  ])('reads the composite cell %j by its first firm deadline, keeping the rest aside', (raw, reading, ignored) => {
    const read = readDeadlineText(raw);
    expect(read.deadline).toStrictEqual({ ...reading, raw });
    expect(read.ignored).toEqual(ignored);
    expect(read.note).toContain(`phần "${ignored.join('; ')}"`);
  });

  it.each(['Quý I/2026; báo cáo trước 15/12/2026 hằng tháng', 'Đầu năm 2022', 'Quý 4/2021, 2023'])(
    'leaves %j unresolved: its other parts name dates',
    (raw) => expect(readDeadlineText(raw).deadline).toStrictEqual({ kind: 'unresolved', raw }),
  );

  it.each<[string, string | undefined]>([
    ['6/2025', 'cuối tháng 6/2025 → 30/06/2025'],
    ['Năm 2026', 'cuối năm 2026 → 31/12/2026'],
    ['Quý IV/2025', 'cuối quý IV/2025 → 31/12/2025'],
    ['Trước ngày 30/6/2022', 'trước ngày 30/06/2022: hạn chót 29/06/2022'],
    ['12/5/26', 'năm "26" đọc là 2026 → 12/05/2026'],
    ['2021-2025', 'từ 01/01/2021 đến 31/12/2025'],
    ['trước ngày 15/12 hằng năm', 'hằng năm: hạn 14/12 mỗi năm'],
    ['30/06/2026', undefined],
    ['Thường xuyên', undefined],
  ])('says what it decided beyond the text of %j', (raw, note) => {
    expect(readDeadlineText(raw).note).toBe(note);
  });

  it("reads any bare month and year as the month's last day, whichever way it is written", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), (month, year) => {
        const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
        const forms = [
          `${month}/${year}`,
          `${String(month).padStart(2, '0')}/${year}`,
          `${month}-${year}`,
          `T${month}/${year}`,
          `Tháng ${month}/${year}`,
        ];
        for (const raw of forms) expect(readDeadline(raw), raw).toStrictEqual({ kind: 'date', due: last, raw });
      }),
    );
  });

  it('reads any day with a two-digit year as that day of 20yy', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (day) => {
        const [y, m, d] = day.toISOString().slice(0, 10).split('-');
        const raw = `${Number(d)}/${Number(m)}/${y!.slice(2)}`;
        expect(readDeadline(raw)).toStrictEqual({ kind: 'date', due: `${y}-${m}-${d}`, raw });
      }),
    );
  });
});
