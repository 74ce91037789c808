import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_BOUNDS, exceedsBounds, jsonBytes } from '../../domain/assignment-bounds.ts';
import {
  decide,
  initialLifecycle,
  type Actor,
  type Contribution,
  type LifecycleState,
} from '../../domain/lifecycle.ts';

const deadline = { kind: 'date' as const, due: '2027-06-30', raw: '30/6/2027' };
const collaborator: Actor = { role: 'agency', agencyCode: 'STP', name: 'STP' };
const now = '2027-01-10T02:00:00.000Z';

const withContributions = (count: number, text: string, agencyCode = 'STP'): LifecycleState => ({
  ...initialLifecycle('SNV', deadline),
  status: 'in_progress',
  contributions: Array.from({ length: count }, (): Contribution => ({ agencyCode, text, at: now })),
});

describe('the bounds of one assignment', () => {
  it('counts UTF-8 bytes as the payload carries them', () => {
    expect(jsonBytes('a')).toBe(3);
    expect(jsonBytes('Đ')).toBe(4);
    expect(jsonBytes('😀')).toBe(6);
    expect(jsonBytes({ t: 'việc' })).toBe(Buffer.byteLength(JSON.stringify({ t: 'việc' })));
  });

  it("refuses a collaborator's contribution past its share, in count and in bytes, naming the limit", () => {
    const byCount = exceedsBounds(withContributions(20, 'ngắn'), { type: 'addContribution', text: 'thêm' }, 'STP');
    expect(byCount).toBe('Đã có 20 ý kiến phối hợp của cơ quan này, đạt giới hạn 20; không thể thêm.');
    const long = 'Đề nghị bổ sung. '.repeat(230).slice(0, 3900);
    const share = Math.floor(
      ASSIGNMENT_BOUNDS.contributions.bytesPerAgency / jsonBytes({ agencyCode: 'STP', text: long, at: now }),
    );
    expect(
      exceedsBounds(withContributions(share - 1, long), { type: 'addContribution', text: long }, 'STP'),
    ).toBeUndefined();
    const byBytes = exceedsBounds(withContributions(share, long), { type: 'addContribution', text: long }, 'STP');
    expect(byBytes).toContain(`giới hạn ${ASSIGNMENT_BOUNDS.contributions.bytesPerAgency / 1024} KB`);
    // Another collaborator still has its own share.
    expect(
      exceedsBounds(withContributions(share, long), { type: 'addContribution', text: long }, 'SYT'),
    ).toBeUndefined();
  });

  it('refuses a text longer than its limit, naming the field', () => {
    const reason = exceedsBounds(initialLifecycle('SNV', deadline), {
      type: 'fileReport',
      period: '2027-Q1',
      summary: 'x'.repeat(ASSIGNMENT_BOUNDS.textChars + 1),
    });
    expect(reason).toContain('Nội dung báo cáo (summary) dài 4.001 ký tự, quá giới hạn 4.000 ký tự');
  });

  it('applies only to runs that take the bounds, after the lifecycle’s own rules', () => {
    const full = withContributions(20, 'ngắn');
    const command = { type: 'addContribution' as const, text: 'thêm' };
    expect(decide(full, command, { now, actor: collaborator }).ok).toBe(true);
    expect(decide(full, command, { now, actor: collaborator, bounded: true })).toMatchObject({
      ok: false,
      code: 'invalid-input',
    });
    // A closed assignment says it is closed, not that it is full.
    const closed = { ...full, status: 'completed' as const };
    expect(decide(closed, command, { now, actor: collaborator, bounded: true })).toMatchObject({
      code: 'invalid-state',
    });
  });
});
