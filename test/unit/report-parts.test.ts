import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_BOUNDS } from '../../domain/assignment-bounds.ts';
import { decide, initialLifecycle, type Actor, type Command, type ReportDocument } from '../../domain/lifecycle.ts';

// The structured parts of a periodic report (issue 23): documents issued, difficulties, causes and
// proposals beside what was done. Each is optional; a report without them is stored as before.

const deadline = { kind: 'date' as const, due: '2027-06-30', raw: '30/6/2027' };
const lead: Actor = { role: 'agency', agencyCode: 'VP', name: 'văn thư VP' };
const now = '2027-03-10T02:00:00.000Z';
const state = { ...initialLifecycle('VP', deadline), status: 'in_progress' as const };
const doc = (over: Partial<ReportDocument> = {}): ReportDocument => ({
  kind: 'Kế hoạch',
  number: '32/KH-VP',
  date: '2027-01-17',
  title: 'Thông tin, tuyên truyền CCHC năm 2027',
  ...over,
});
const file = (extra: Partial<Extract<Command, { type: 'fileReport' }>>) =>
  decide(
    state,
    { type: 'fileReport', period: '2027-Q1', summary: 'Đã ban hành kế hoạch.', ...extra },
    { now, actor: lead, bounded: true },
  );

describe('a periodic report’s structured parts', () => {
  it('keeps a report without parts exactly as before', () => {
    const decision = file({});
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(Object.keys(decision.state.reports[0]!).sort()).toEqual(
      ['filedAt', 'filedBy', 'late', 'link', 'period', 'summary'].sort(),
    );
  });

  it('stores the documents and texts given, trimmed, leaving blank ones out', () => {
    const decision = file({
      documents: [doc({ number: ' 32/KH-VP ', file: '6f1c1a52-7a8e-4c7a-9b1e-2a0f3c4d5e6f' })],
      difficulties: '  Thiếu kinh phí số hóa hồ sơ. ',
      causes: '   ',
      proposals: 'Đề nghị bổ sung kinh phí.',
    });
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    const report = decision.state.reports[0]!;
    expect(report.documents).toEqual([{ ...doc(), number: '32/KH-VP', file: '6f1c1a52-7a8e-4c7a-9b1e-2a0f3c4d5e6f' }]);
    expect(report.difficulties).toBe('Thiếu kinh phí số hóa hồ sơ.');
    expect(report).not.toHaveProperty('causes');
    expect(report.proposals).toBe('Đề nghị bổ sung kinh phí.');
  });

  it('refuses a document without its number, with a bad or future date, naming which one in Vietnamese', () => {
    expect(file({ documents: [doc(), doc({ number: ' ' })] })).toMatchObject({
      ok: false,
      code: 'invalid-input',
      reason: 'Văn bản thứ 2 (documents/1) thiếu số, ký hiệu (number), ví dụ "32/KH-VP".',
    });
    expect(file({ documents: [doc({ date: '17/01/2027' })] })).toMatchObject({
      reason: 'Văn bản thứ 1 (documents/0): ngày ban hành "17/01/2027" không hợp lệ (date, dạng YYYY-MM-DD).',
    });
    expect(file({ documents: [doc({ date: '2027-03-11' })] })).toMatchObject({
      reason: 'Văn bản thứ 1 (documents/0): ngày ban hành 2027-03-11 ở tương lai.',
    });
  });

  it('bounds the documents and texts as the rest of the assignment, naming the field and limit', () => {
    const many = Array.from({ length: ASSIGNMENT_BOUNDS.reportDocuments + 1 }, (_, i) => doc({ number: `${i}/KH` }));
    expect(file({ documents: many })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Báo cáo liệt kê 21 văn bản, quá giới hạn 20 văn bản một kỳ'),
    });
    expect(file({ difficulties: 'x'.repeat(ASSIGNMENT_BOUNDS.textChars + 1) })).toMatchObject({
      reason: expect.stringContaining('Khó khăn, vướng mắc (difficulties) dài 4.001 ký tự, quá giới hạn 4.000 ký tự'),
    });
    expect(file({ documents: [doc(), doc({ title: 't'.repeat(ASSIGNMENT_BOUNDS.shortChars + 1) })] })).toMatchObject({
      reason: expect.stringContaining('Trích yếu văn bản (documents/1/title) dài 1.001 ký tự'),
    });
  });
});
