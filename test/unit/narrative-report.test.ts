import { describe, expect, it } from 'vitest';
import {
  areaTitle,
  composeNarrative,
  documentLine,
  headingDate,
  nextReportWindow,
  periodInWords,
  vnPercent,
  type NarrativeInput,
} from '../../domain/narrative-report.ts';
import { figures } from '../../domain/task-buckets.ts';

// The words of the narrative report (issue 23): Vietnamese numbers, dates and titles, and a
// sentence, never an empty heading, where a part has nothing to say.

describe('the narrative report’s words', () => {
  it('writes shares with a decimal comma and a space before the sign, and dates as a heading does', () => {
    expect(vnPercent(0.918)).toBe('91,8 %');
    expect(vnPercent(1)).toBe('100,0 %');
    expect(vnPercent(0)).toBe('0,0 %');
    expect(vnPercent(null)).toBe('–');
    expect(headingDate('2027-01-17')).toBe('ngày 17 tháng 01 năm 2027');
    expect(headingDate('2027-02-05')).toBe('ngày 05 tháng 02 năm 2027');
    expect(headingDate('2027-03-20')).toBe('ngày 20 tháng 3 năm 2027');
  });

  it('names periods and the one after, and writes documents as the seed report lists them', () => {
    expect(periodInWords('2027-Q1')).toBe('quý I năm 2027');
    expect(periodInWords('2027-H1')).toBe('6 tháng đầu năm 2027');
    expect(nextReportWindow('2027-Q3')).toMatchObject({ id: '2027-Y', windowEnd: '2027-12-14' });
    expect(nextReportWindow('2027-Y')).toMatchObject({ id: '2028-Q1', windowStart: '2027-12-15' });
    expect(
      documentLine({
        kind: 'Kế hoạch',
        number: '149/KH-VP',
        date: '2023-03-27',
        title: 'Kiểm tra trách nhiệm thực thi công vụ năm 2023',
      }),
    ).toBe('- Kế hoạch số 149/KH-VP ngày 27/3/2023 về việc Kiểm tra trách nhiệm thực thi công vụ năm 2023');
    expect(
      documentLine({ kind: 'Kế hoạch', number: '32/KH-VP', date: '2023-01-17', title: 'về việc Thông tin CCHC' }),
    ).toBe('- Kế hoạch số 32/KH-VP ngày 17/01/2023 về việc Thông tin CCHC');
    expect(areaTitle('CẢI CÁCH THỦ TỤC HÀNH CHÍNH')).toBe('Cải cách thủ tục hành chính');
    expect(areaTitle('2. Cải cách thể chế')).toBe('Cải cách thể chế');
    expect(areaTitle(null)).toBe('Các nhiệm vụ khác');
  });

  it('says in sentences that a province with no work has nothing to report, and keeps every heading', () => {
    const empty: NarrativeInput = {
      kind: 'province',
      period: '2027-Q1',
      windowStart: '2026-12-15',
      asOf: '2027-03-14',
      today: '2027-03-17',
      reconstructed: false,
      province: 'Phú Thọ',
      plans: [{ code: '12/KH-UBND', title: 'Kế hoạch CCHC năm 2027' }],
      agency: null,
      total: figures({ onTime: 0, late: 0, within: 0, overdue: 0 }),
      byAgency: [],
      filings: [],
      tasks: [],
      next: { period: '2027-H1', windowEnd: '2027-06-14', tasks: [] },
    };
    const doc = composeNarrative(empty);
    expect(doc.issuer).toEqual({ parent: null, name: 'ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ' });
    expect(doc.placeDate).toBe('Phú Thọ, ngày 17 tháng 3 năm 2027');
    const text = doc.body.map((b) =>
      b.kind === 'paragraph' ? b.runs.map((r) => r.text).join('') : b.kind === 'table' ? '[bảng]' : b.text,
    );
    expect(text).toContain('Trong kỳ, không có nhiệm vụ CCHC nào.');
    expect(text).toContain(
      'Tính đến ngày 14/03/2027, các cơ quan, đơn vị được giao chủ trì chưa có nhiệm vụ nào được giao.',
    );
    expect(text).toContain('Tại ngày 14/03/2027, không có nhiệm vụ nào quá hạn.');
    expect(text).toContain('Không có nhiệm vụ nào đến hạn trong kỳ tới (đến ngày 14/06/2027).');
    // No part is an empty heading: a section opens on its first part, a part on a sentence.
    doc.body.forEach((b, i) => {
      const next = doc.body[i + 1]?.kind;
      if (b.kind === 'heading') expect(next).not.toBe('heading');
      if (b.kind === 'subheading') expect(next).not.toMatch(/heading/);
    });
    expect(doc.recipients.at(-1)).toBe('- Lưu: VT, SNV.');
  });
});
