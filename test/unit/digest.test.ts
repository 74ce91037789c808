import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import { composeDigest, nextDigestAt, type DigestAssignment } from '../../domain/digest.ts';
import { digestEmail, draftedReport } from '../../domain/delivery-message.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadCalendar();
});

const assignment = (
  id: string,
  effectiveDue: string | null,
  extra: Partial<DigestAssignment> = {},
): DigestAssignment => ({
  id,
  taskNumber: id,
  taskTitle: `Nhiệm vụ ${id}`,
  planCode: '2866/QĐ-UBND',
  agencyCode: 'SYT',
  status: 'in_progress',
  effectiveDue,
  escalationLevel: 0,
  ...extra,
});

describe('the daily digest', () => {
  it('lists what falls due in the next 7 working days, what is overdue, escalations and late reports', () => {
    // Monday 6 April 2026; 7 working days later is Wednesday 15 April (no holiday between).
    const digest = composeDigest({
      day: '2026-04-06',
      calendar,
      assignments: [
        assignment('soon', '2026-04-15'),
        assignment('later', '2026-04-16'),
        assignment('late', '2026-04-01', { escalationLevel: 1 }),
        assignment('done', '2026-04-08', { status: 'completed' }),
        assignment('ongoing', null),
      ],
      lateReports: [
        { assignmentId: 'r', taskNumber: '9', taskTitle: 'x', planCode: 'P', agencyCode: 'SYT', period: '2026-Q1' },
      ],
      notices: [{ notificationId: 3, assignmentId: 'soon', kind: 'reminder', text: 'Nhắc hạn' }],
    });
    expect(digest).not.toBeNull();
    expect(digest!.horizon).toBe('2026-04-15');
    expect(digest!.dueSoon.items.map((a) => a.id)).toEqual(['soon']);
    expect(digest!.overdue.items.map((a) => a.id)).toEqual(['late']);
    expect(digest!.escalations.items.map((a) => a.id)).toEqual(['late']);
    expect(digest!.lateReports.items).toHaveLength(1);
    expect(digest!.notices.items).toHaveLength(1);
  });

  it('counts past Tết: the horizon is 7 working days, not 7 days', () => {
    // Friday 13 February 2026; 14–22 February is Tết, so the seventh working day is Tuesday 3 March.
    const digest = composeDigest({
      day: '2026-02-13',
      calendar,
      assignments: [assignment('after-tet', '2026-02-27')],
      lateReports: [],
      notices: [],
    });
    expect(digest!.horizon).toBe('2026-03-03');
    expect(digest!.dueSoon.items.map((a) => a.id)).toEqual(['after-tet']);
  });

  it('is nothing when there is nothing to say, and nothing on a day off', () => {
    expect(
      composeDigest({
        day: '2026-04-06',
        calendar,
        assignments: [assignment('far', '2026-12-31')],
        lateReports: [],
        notices: [],
      }),
    ).toBeNull();
    expect(
      composeDigest({
        day: '2026-04-04',
        calendar,
        assignments: [assignment('late', '2026-04-01')],
        lateReports: [],
        notices: [],
      }),
    ).toBeNull();
  });

  it('lists a limited number per section and counts the rest', () => {
    const many = Array.from({ length: 30 }, (_, i) => assignment(`a${String(i).padStart(2, '0')}`, '2026-04-01'));
    const digest = composeDigest({
      day: '2026-04-06',
      calendar,
      assignments: many,
      lateReports: [],
      notices: [],
      limit: 10,
    });
    expect(digest!.overdue.items).toHaveLength(10);
    expect(digest!.overdue.more).toBe(20);
    const email = digestEmail(digest!, 'https://dondoc.example.gov.vn');
    expect(email.subject).toBe('[Đôn đốc] Tổng hợp ngày 06/04/2026: 30 mục cần theo dõi');
    expect(email.text).toContain('… và 20 mục khác');
    expect(email.text).toContain('https://dondoc.example.gov.vn/#/nhiem-vu/a00');
  });

  it('points to the drafted periodic report from the day after its cut-off to the 20th', () => {
    const overdue = [assignment('a1', '2026-03-01')];
    const on = (day: string) =>
      digestEmail(
        composeDigest({ day, calendar, assignments: overdue, lateReports: [], notices: [] })!,
        'https://dondoc.example.gov.vn',
      );
    // Q1 2026's data end on Saturday 14 March: Monday 16 March's digest has the link, Friday 13's not.
    expect(on('2026-03-16').text).toContain(
      'Số liệu quý I/2026 đã chốt; dự thảo báo cáo công tác CCHC (.docx) đã sẵn sàng để tải\n  https://dondoc.example.gov.vn/#/bao-cao?ky=2026-Q1',
    );
    expect(on('2026-03-20').html).toContain('href="https://dondoc.example.gov.vn/#/bao-cao?ky=2026-Q1"');
    expect(on('2026-03-13').text).not.toContain('dự thảo báo cáo');
    expect(on('2026-03-23').text).not.toContain('dự thảo báo cáo');
    expect(draftedReport('2026-12-15')).toBe('2026-Y');
  });

  it('goes out at 08:00 Asia/Ho_Chi_Minh on the next working day', () => {
    // Friday 1 May 2026 07:00 local is a holiday (30 Apr – 3 May): next is Monday 4 May.
    expect(nextDigestAt(calendar, Date.parse('2026-05-01T07:00:00+07:00'))).toEqual({
      day: '2026-05-04',
      at: '2026-05-04T01:00:00.000Z',
    });
    // Monday 6 April before 08:00: that morning; at 08:00 exactly: the next working day.
    expect(nextDigestAt(calendar, Date.parse('2026-04-06T07:59:00+07:00')).day).toBe('2026-04-06');
    expect(nextDigestAt(calendar, Date.parse('2026-04-06T08:00:00+07:00')).day).toBe('2026-04-07');
    // Saturday 22 August 2026 is a working day (swapped for Monday 31 August).
    expect(nextDigestAt(calendar, Date.parse('2026-08-21T09:00:00+07:00')).day).toBe('2026-08-22');
  });
});
