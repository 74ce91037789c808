import { describe, expect, it } from 'vitest';
import { csvCell, reportCsv, type PeriodicReport } from '../../services/periodic-report.ts';
import { emptyTally, figures } from '../../domain/task-buckets.ts';

describe('CSV exports are safe to open in a spreadsheet', () => {
  it.each([
    ['- Xây dựng kế hoạch', "'- Xây dựng kế hoạch"],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['+84 912', "'+84 912"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tẩn', "'\tẩn"],
    ['\rdòng', '"\'\rdòng"'],
  ])('neutralises %j as text', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('leaves ordinary text as it is, quoting only what CSV needs', () => {
    expect(csvCell('Sở Nội vụ')).toBe('Sở Nội vụ');
    expect(csvCell('Sở Văn hóa, Thể thao và Du lịch')).toBe('"Sở Văn hóa, Thể thao và Du lịch"');
    expect(csvCell('2026-03-19')).toBe('2026-03-19');
  });

  it('writes a task titled like a formula as text in the report', () => {
    const report: PeriodicReport = {
      period: '2026-Q1',
      agencies: [],
      rows: [
        {
          agencyCode: 'SNV',
          assignmentId: 'kh-1:1:SNV',
          plan: 'KH/1',
          taskNumber: '1',
          taskTitle: '=1+2',
          status: 'missing',
          filedAt: null,
        },
      ],
      tasks: { asOf: '2026-03-14', agencies: [], total: figures(emptyTally()) },
    };
    const lines = reportCsv(report).split('\r\n');
    expect(lines[1]).toContain(",'=1+2,");
  });
});
