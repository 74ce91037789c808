import { describe, expect, it } from 'vitest';
import { allowedCommands, type CommandSituation } from '../../domain/allowed-commands.ts';
import { initialLifecycle, type AssignmentStatus, type LifecycleState } from '../../domain/lifecycle.ts';
import type { Principal } from '../../domain/permissions.ts';

const parties = { registry: 'phu-tho', agencyCode: 'SYT', collaboratorCodes: ['STP'] };
const who: Record<string, Principal> = {
  lead: { role: 'agency', agencyCode: 'SYT', registry: 'phu-tho', name: 'Văn thư SYT', tokenId: 't1' },
  collaborator: { role: 'agency', agencyCode: 'STP', registry: 'phu-tho', name: 'Văn thư STP', tokenId: 't2' },
  stranger: { role: 'agency', agencyCode: 'SNV', registry: 'phu-tho', name: 'Văn thư SNV', tokenId: 't3' },
  coordinator: { role: 'coordinator', registry: 'phu-tho', name: 'Chuyên viên', tokenId: 't4' },
  leadership: { role: 'leadership', registry: 'phu-tho', name: 'Chủ tịch', tokenId: 't5' },
  otherProvince: { role: 'coordinator', registry: 'dong-nai', name: 'Đồng Nai', tokenId: 't6' },
};

const situation: CommandSituation = {
  now: '2026-05-04T02:00:00.000Z',
  today: '2026-05-04',
  expectedReports: ['2026-Q1', '2026-H1'],
  latePeriods: [],
  currentDue: '2026-06-30',
  stopped: false,
};

function stateIn(status: AssignmentStatus): LifecycleState {
  const state = initialLifecycle('SYT', { kind: 'date', due: '2026-06-30', raw: '30/6/2026' });
  const submission = {
    type: 'Kế hoạch',
    documentNumber: '1/KH',
    documentDate: '2026-04-01',
    submittedAt: '2026-04-01T02:00:00.000Z',
    submittedBy: 'agency:SYT:Văn thư SYT',
  };
  switch (status) {
    case 'assigned':
      return state;
    case 'acknowledged':
    case 'in_progress':
      return { ...state, status, acknowledgedAt: '2026-02-01T02:00:00.000Z' };
    case 'submitted':
      return { ...state, status, submissions: [{ ...submission, outcome: 'pending' }] };
    case 'completed':
      return {
        ...state,
        status,
        completedAt: '2026-04-02T02:00:00.000Z',
        submissions: [{ ...submission, outcome: 'accepted' }],
      };
    case 'cancelled':
      return { ...state, status, cancelledAt: '2026-04-02T02:00:00.000Z', cancelReason: 'bỏ' };
  }
}

const allowed = (status: AssignmentStatus, role: keyof typeof who, s = situation, state = stateIn(status)) =>
  allowedCommands(who[role]!, parties, state, s);

describe('what each role may do on an assignment, status by status', () => {
  it.each<[AssignmentStatus, Record<string, string[]>]>([
    [
      'assigned',
      {
        lead: ['acknowledge', 'fileReport', 'submitDeliverable', 'requestExtension'],
        collaborator: ['addContribution'],
        coordinator: ['reassign', 'setDeadline', 'cancel'],
      },
    ],
    [
      'acknowledged',
      {
        lead: ['fileReport', 'submitDeliverable', 'requestExtension'],
        collaborator: ['addContribution'],
        coordinator: ['reassign', 'setDeadline', 'cancel'],
      },
    ],
    [
      'in_progress',
      {
        lead: ['fileReport', 'submitDeliverable', 'requestExtension'],
        collaborator: ['addContribution'],
        coordinator: ['reassign', 'setDeadline', 'cancel'],
      },
    ],
    [
      // Awaiting review: the lead may still report, not submit again or ask for time; nobody moves it.
      'submitted',
      {
        lead: ['fileReport'],
        collaborator: ['addContribution'],
        coordinator: ['accept', 'return', 'setDeadline', 'cancel'],
      },
    ],
    ['completed', {}],
    ['cancelled', {}],
  ])('%s', (status, expected) => {
    for (const role of ['lead', 'collaborator', 'coordinator', 'leadership', 'stranger', 'otherProvince'] as const)
      expect([role, allowed(status, role)]).toEqual([role, expected[role] ?? []]);
  });

  it('offers the decision on a pending extension to the coordinator only, and no second request to the lead', () => {
    const state: LifecycleState = {
      ...stateIn('in_progress'),
      extensions: [
        {
          until: '2026-08-31',
          reason: 'Chờ ý kiến Bộ',
          requestedAt: '2026-05-01T02:00:00.000Z',
          requestedBy: 'agency:SYT:Văn thư SYT',
          outcome: 'pending',
        },
      ],
    };
    expect(allowed('in_progress', 'coordinator', situation, state)).toEqual([
      'approveExtension',
      'denyExtension',
      'reassign',
      'setDeadline',
      'cancel',
    ]);
    expect(allowed('in_progress', 'lead', situation, state)).toEqual(['fileReport', 'submitDeliverable']);
  });

  it('offers no report when every period is filed, and nothing while the workflow is stopped', () => {
    const reported: LifecycleState = {
      ...stateIn('in_progress'),
      reports: ['2026-Q1', '2026-H1', '2026-Y'].map((period) => ({
        period,
        summary: 'Đã làm',
        filedAt: '2026-03-19T02:00:00.000Z',
        filedBy: 'agency:SYT:Văn thư SYT',
        late: false,
      })),
    };
    expect(allowed('in_progress', 'lead', situation, reported)).toEqual(['submitDeliverable', 'requestExtension']);
    expect(allowed('in_progress', 'lead', { ...situation, stopped: true })).toEqual([]);
    expect(allowed('in_progress', 'coordinator', { ...situation, stopped: true })).toEqual([]);
  });

  it('offers no extension on work without a due day', () => {
    const continuous: LifecycleState = {
      ...stateIn('in_progress'),
      deadline: { kind: 'continuous', raw: 'Thường xuyên' },
    };
    expect(allowed('in_progress', 'lead', { ...situation, currentDue: null }, continuous)).toEqual([
      'fileReport',
      'submitDeliverable',
    ]);
  });
});
