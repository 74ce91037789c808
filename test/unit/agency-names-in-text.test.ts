import { describe, expect, it } from 'vitest';
import { agencyCodesIn, withAgencyNames } from '../../domain/agency-names-in-text.ts';
import { notificationsForEvent, notificationsForTransition, type AssignmentFacts } from '../../domain/notifications.ts';
import { notificationForStop } from '../../domain/workflow-stops.ts';

const names: Record<string, string> = {
  SYT: 'Sở Y tế',
  'UBND-TDG': 'UBND huyện Tam Dương',
  SNGV: 'Sở Ngoại vụ',
  UBND: 'Ủy ban nhân dân tỉnh',
};
const nameOf = (code: string) => names[code];

const facts: AssignmentFacts = {
  assignmentId: 'kh:5:UBND-TDG',
  taskNumber: '5',
  taskTitle: 'Rà soát thủ tục của SYT và UBND',
  planCode: '2866/QĐ-UBND',
  agencyCode: 'UBND-TDG',
  collaboratorCodes: ['SYT'],
  effectiveDue: '2026-06-30',
};

describe('notification texts read with names, not codes', () => {
  it('names the lead in every text the workflow writes with a code', () => {
    const texts = [
      ...notificationsForEvent({ kind: 'report-due', period: '2026-Q1', at: '2026-03-20T08:00:00+07:00' }, facts),
      ...notificationsForEvent({ kind: 'escalation', level: 1, at: '2026-07-01T08:00:00+07:00' } as never, facts),
      ...notificationsForTransition(
        { action: 'reassign', from: 'assigned', to: 'assigned', details: { reason: 'SNGV xin chuyển' } },
        facts,
        { agencyCode: 'SNGV' },
      ),
      ...notificationsForTransition(
        {
          action: 'submitDeliverable',
          from: 'in_progress',
          to: 'submitted',
          details: { type: 'Kế hoạch', documentNumber: '1/KH' },
        },
        facts,
        { agencyCode: 'UBND-TDG' },
      ),
      notificationForStop('terminated', facts, '/v1/assignments/x'),
    ].map((d) => withAgencyNames(d.text, nameOf));
    // What the system wrote names no code; a person's reason ("Lý do: …") is theirs.
    for (const text of texts) expect(text.split('Lý do:')[0]).not.toMatch(/UBND-TDG|SNGV/);
    expect(texts[0]).toContain('của UBND huyện Tam Dương chưa được gửi đúng hạn');
    expect(texts.some((t) => t.includes('do UBND huyện Tam Dương chủ trì'))).toBe(true);
    expect(texts.some((t) => t.includes('trước đây do Sở Ngoại vụ chủ trì'))).toBe(true);
    expect(texts.at(-1)).toContain('của UBND huyện Tam Dương đã ngừng');
    expect(texts.at(-1)).not.toContain('cơ quan UBND huyện');
  });

  it('keeps the task’s title, the plan’s number and a person’s reason as written', () => {
    const [reassigned] = notificationsForTransition(
      { action: 'reassign', from: 'assigned', to: 'assigned', details: { reason: 'SNGV xin chuyển' } },
      facts,
      { agencyCode: 'SNGV' },
    );
    const text = withAgencyNames(reassigned!.text, nameOf);
    expect(text).toContain('"Rà soát thủ tục của SYT và UBND"');
    expect(text).toContain('Kế hoạch 2866/QĐ-UBND');
    expect(text).toContain('Lý do: SNGV xin chuyển');
  });

  it('leaves a code no registry knows as it is, and lists the codes to look up', () => {
    expect(withAgencyNames('Nhắc hạn: nhiệm vụ của XYZ.', nameOf)).toBe('Nhắc hạn: nhiệm vụ của XYZ.');
    expect(agencyCodesIn('SYT đã nộp sản phẩm ("Báo cáo của SNV", Kế hoạch 1/KH-UBND) cho UBND-TDG')).toEqual([
      'SYT',
      'UBND-TDG',
    ]);
  });

  it('writes report periods as documents do', () => {
    const [late] = notificationsForEvent(
      { kind: 'report-due', period: '2025-Q1', at: '2025-03-20T08:00:00+07:00' },
      facts,
    );
    expect(late!.text).toContain('báo cáo quý I/2025');
    const [half] = notificationsForEvent(
      { kind: 'report-reminder', period: '2026-H1', workingDaysBefore: 3, at: '2026-06-15T08:00:00+07:00' },
      facts,
    );
    expect(half!.text).toContain('báo cáo 6 tháng đầu năm 2026');
  });
});
