import { describe, expect, it } from 'vitest';
import {
  decide,
  initialLifecycle,
  type AssignmentStatus,
  type Command,
  type LifecycleState,
} from '../../domain/lifecycle.ts';

const now = '2026-03-10T03:00:00.000Z';
const agency = { role: 'agency' as const, agencyCode: 'SNV', name: 'chuyên viên SNV' };
const coordinator = { role: 'coordinator' as const, name: 'Sở Nội vụ' };

function stateIn(status: AssignmentStatus, extra: Partial<LifecycleState> = {}): LifecycleState {
  const base = initialLifecycle('SNV', { kind: 'date', due: '2026-06-30', raw: 'Tháng 6/2026' });
  const submissions =
    status === 'submitted'
      ? [
          {
            type: 'Kế hoạch',
            documentNumber: '1/KH',
            documentDate: '2026-03-01',
            submittedAt: now,
            submittedBy: 'x',
            outcome: 'pending' as const,
          },
        ]
      : [];
  return { ...base, status, submissions, ...extra };
}

const commands: Record<Command['type'], Command> = {
  acknowledge: { type: 'acknowledge' },
  fileReport: { type: 'fileReport', period: '2026-Q1', summary: 'Đã triển khai' },
  submitDeliverable: {
    type: 'submitDeliverable',
    deliverableType: 'Kế hoạch',
    documentNumber: '319/KH-UBND',
    documentDate: '2026-03-09',
  },
  accept: { type: 'accept' },
  return: { type: 'return', reason: 'Thiếu phụ lục' },
  requestExtension: { type: 'requestExtension', until: '2026-09-30', reason: 'Chờ hướng dẫn của Bộ' },
  approveExtension: { type: 'approveExtension' },
  denyExtension: { type: 'denyExtension', reason: 'Không đủ căn cứ' },
  reassign: { type: 'reassign', toAgency: 'STC', reason: 'Điều chỉnh phân công' },
  cancel: { type: 'cancel', reason: 'Nhiệm vụ không còn phù hợp' },
  setDeadline: { type: 'setDeadline', deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } },
  addContribution: { type: 'addContribution', text: 'Đã góp ý dự thảo' },
};

// Which commands each state accepts (extension approval/denial need a pending request, tested apart).
const accepted: Record<AssignmentStatus, Command['type'][]> = {
  assigned: [
    'acknowledge',
    'fileReport',
    'submitDeliverable',
    'requestExtension',
    'reassign',
    'cancel',
    'setDeadline',
    'addContribution',
  ],
  acknowledged: [
    'fileReport',
    'submitDeliverable',
    'requestExtension',
    'reassign',
    'cancel',
    'setDeadline',
    'addContribution',
  ],
  in_progress: [
    'fileReport',
    'submitDeliverable',
    'requestExtension',
    'reassign',
    'cancel',
    'setDeadline',
    'addContribution',
  ],
  submitted: ['fileReport', 'accept', 'return', 'cancel', 'setDeadline', 'addContribution'],
  completed: [],
  cancelled: [],
};

const nextStatus: Partial<Record<Command['type'], AssignmentStatus | 'same'>> = {
  acknowledge: 'acknowledged',
  submitDeliverable: 'submitted',
  accept: 'completed',
  return: 'in_progress',
  reassign: 'assigned',
  cancel: 'cancelled',
  requestExtension: 'same',
  setDeadline: 'same',
  addContribution: 'same',
};

const cases = (Object.keys(accepted) as AssignmentStatus[]).flatMap((status) =>
  (Object.keys(commands) as Command['type'][])
    .filter((type) => type !== 'approveExtension' && type !== 'denyExtension')
    .map((type) => ({ status, type, ok: accepted[status].includes(type) })),
);

describe('lifecycle: every command in every state', () => {
  it.each(cases)('$type in $status → accepted: $ok', ({ status, type, ok }) => {
    const state = stateIn(status);
    const actor =
      type === 'addContribution'
        ? { role: 'agency' as const, agencyCode: 'STC', name: 'STC' }
        : type === 'acknowledge' || type === 'fileReport' || type === 'submitDeliverable' || type === 'requestExtension'
          ? agency
          : coordinator;
    const decision = decide(state, commands[type], { now, actor });
    expect(decision.ok).toBe(ok);
    if (decision.ok) {
      const expected = nextStatus[type];
      if (expected === 'same') expect(decision.state.status).toBe(status);
      else if (expected) expect(decision.state.status).toBe(expected);
      expect(decision.transition).toMatchObject({ action: type, from: status, to: decision.state.status });
    } else {
      expect(decision.reason.length).toBeGreaterThan(10);
    }
    // The input is never changed.
    expect(state).toEqual(stateIn(status));
  });
});

describe('lifecycle rules a user meets', () => {
  it('refuses a second deliverable while one waits for review, and says why', () => {
    const decision = decide(stateIn('submitted'), commands.submitDeliverable, { now, actor: agency });
    expect(decision).toMatchObject({ ok: false, code: 'invalid-state' });
    expect(!decision.ok && decision.reason).toContain('chờ');
  });

  it('a returned deliverable can be submitted again, and the history keeps both', () => {
    const returned = decide(stateIn('submitted'), commands.return, { now, actor: coordinator });
    if (!returned.ok) throw new Error(returned.reason);
    expect(returned.state.submissions[0]).toMatchObject({ outcome: 'returned', reason: 'Thiếu phụ lục' });
    const again = decide(returned.state, commands.submitDeliverable, { now, actor: agency });
    if (!again.ok) throw new Error(again.reason);
    expect(again.state.status).toBe('submitted');
    expect(again.state.submissions.map((s) => s.outcome)).toEqual(['returned', 'pending']);
  });

  it('a return needs a reason', () => {
    expect(decide(stateIn('submitted'), { type: 'return', reason: '  ' }, { now, actor: coordinator })).toMatchObject({
      ok: false,
      code: 'invalid-input',
    });
  });

  it('rejects a deliverable with a malformed or future document date', () => {
    expect(
      decide(stateIn('acknowledged'), { ...commands.submitDeliverable, documentDate: '2026-02-30' } as Command, {
        now,
        actor: agency,
      }),
    ).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(
      decide(stateIn('acknowledged'), { ...commands.submitDeliverable, documentDate: '2026-04-01' } as Command, {
        now,
        actor: agency,
      }),
    ).toMatchObject({ ok: false, code: 'invalid-input' });
  });

  it("refuses the lead's commands to an agency that does not lead the assignment (any more)", () => {
    const reassigned = decide(stateIn('in_progress'), commands.reassign, { now, actor: coordinator });
    if (!reassigned.ok) throw new Error(reassigned.reason);
    for (const type of ['acknowledge', 'fileReport', 'submitDeliverable', 'requestExtension'] as const) {
      const state = type === 'acknowledge' ? reassigned.state : { ...reassigned.state, status: 'in_progress' as const };
      expect(decide(state, commands[type], { now, actor: agency })).toMatchObject({
        ok: false,
        code: 'not-allowed',
        reason: expect.stringContaining('STC'),
      });
      expect(decide(state, commands[type], { now, actor: { ...agency, agencyCode: 'STC' } })).toMatchObject({
        ok: true,
      });
    }
  });

  it('accepts a document dated today in Vietnam while UTC is still on the day before', () => {
    // 06:30 on 11 March in Hà Nội is 23:30 on 10 March UTC.
    const early = '2026-03-10T23:30:00.000Z';
    expect(
      decide(stateIn('acknowledged'), { ...commands.submitDeliverable, documentDate: '2026-03-11' } as Command, {
        now: early,
        actor: agency,
      }),
    ).toMatchObject({ ok: true });
    expect(
      decide(stateIn('acknowledged'), { ...commands.submitDeliverable, documentDate: '2026-03-12' } as Command, {
        now: early,
        actor: agency,
      }),
    ).toMatchObject({ ok: false, code: 'invalid-input' });
  });

  it('a report moves the work in progress, once per period, late when its mark has passed', () => {
    const first = decide(stateIn('acknowledged'), commands.fileReport, {
      now,
      actor: agency,
      latePeriods: ['2026-Q1'],
    });
    if (!first.ok) throw new Error(first.reason);
    expect(first.state.status).toBe('in_progress');
    expect(first.state.reports[0]).toMatchObject({ period: '2026-Q1', late: true });
    expect(decide(first.state, commands.fileReport, { now, actor: agency })).toMatchObject({
      ok: false,
      code: 'invalid-state',
    });
    expect(
      decide(first.state, { type: 'fileReport', period: '2026-Q2', summary: 'x' }, { now, actor: agency }),
    ).toMatchObject({ ok: false, code: 'invalid-input' });
  });

  it('an extension is requested once, must move the deadline later, and when approved sets the new last day', () => {
    const state = stateIn('in_progress');
    expect(
      decide(state, { type: 'requestExtension', until: '2026-06-30', reason: 'x' }, { now, actor: agency }),
    ).toMatchObject({ ok: false, code: 'invalid-input' });
    const requested = decide(state, commands.requestExtension, { now, actor: agency });
    if (!requested.ok) throw new Error(requested.reason);
    expect(decide(requested.state, commands.requestExtension, { now, actor: agency })).toMatchObject({
      ok: false,
      code: 'invalid-state',
    });
    const approved = decide(requested.state, commands.approveExtension, { now, actor: coordinator });
    if (!approved.ok) throw new Error(approved.reason);
    expect(approved.state.dueOverride).toBe('2026-09-30');
    expect(approved.transition.details).toMatchObject({ from: '2026-06-30', until: '2026-09-30' });
    expect(decide(approved.state, commands.approveExtension, { now, actor: coordinator })).toMatchObject({ ok: false });
  });

  it('a denied extension leaves the deadline as it was', () => {
    const requested = decide(stateIn('in_progress'), commands.requestExtension, { now, actor: agency });
    if (!requested.ok) throw new Error(requested.reason);
    const denied = decide(requested.state, commands.denyExtension, { now, actor: coordinator });
    if (!denied.ok) throw new Error(denied.reason);
    expect(denied.state.dueOverride).toBeUndefined();
    expect(denied.state.extensions[0]).toMatchObject({ outcome: 'denied', decisionReason: 'Không đủ căn cứ' });
  });

  it('continuous work has no deadline to extend', () => {
    const state = { ...stateIn('in_progress'), deadline: { kind: 'continuous' as const, raw: 'Thường xuyên' } };
    expect(decide(state, commands.requestExtension, { now, actor: agency })).toMatchObject({
      ok: false,
      code: 'invalid-state',
    });
  });

  it('reassignment keeps the history and asks the new lead to acknowledge', () => {
    const decision = decide(stateIn('in_progress', { acknowledgedAt: now }), commands.reassign, {
      now,
      actor: coordinator,
      isKnownAgency: (c) => c === 'STC',
    });
    if (!decision.ok) throw new Error(decision.reason);
    expect(decision.state).toMatchObject({
      agencyCode: 'STC',
      status: 'assigned',
      acknowledgedAt: undefined,
      agencyHistory: [{ from: 'SNV', to: 'STC' }],
    });
    expect(
      decide(stateIn('in_progress'), { ...commands.reassign, toAgency: 'XYZ' } as Command, {
        now,
        actor: coordinator,
        isKnownAgency: (c) => c === 'STC',
      }),
    ).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(
      decide(stateIn('in_progress'), { ...commands.reassign, toAgency: 'SNV' } as Command, { now, actor: coordinator }),
    ).toMatchObject({ ok: false });
  });

  it('setting a deadline must give a real one', () => {
    expect(
      decide(
        stateIn('assigned'),
        { type: 'setDeadline', deadline: { kind: 'unresolved', raw: '?' } },
        { now, actor: coordinator },
      ),
    ).toMatchObject({ ok: false });
    expect(
      decide(
        stateIn('assigned'),
        { type: 'setDeadline', deadline: { kind: 'range', start: '2026-12-01', due: '2026-01-01', raw: '' } },
        { now, actor: coordinator },
      ),
    ).toMatchObject({ ok: false });
  });

  it('only an agency adds a contribution', () => {
    expect(decide(stateIn('assigned'), commands.addContribution, { now, actor: coordinator })).toMatchObject({
      ok: false,
      code: 'not-allowed',
    });
  });
});
