import { describe, expect, it } from 'vitest';
import { revisePlan, type ExistingTask, type IncomingTask } from '../../domain/plan-revision.ts';

const task = (key: string, leads: string[], due = '2021-12-31'): IncomingTask => ({
  key,
  section: null,
  title: `Nhiệm vụ ${key}`,
  objective: null,
  area: null,
  deliverables: ['Kế hoạch'],
  deadline: { kind: 'date', due, raw: due.slice(0, 4) },
  leadCodes: leads,
  collaboratorCodes: [],
});

const existing = (key: string, leads: string[], due = '2021-12-31', closed: string[] = []): ExistingTask => ({
  ...task(key, leads, due),
  id: `t${key}`,
  removed: false,
  openAssignments: leads.filter((l) => !closed.includes(l)).map((l) => ({ id: `p:${key}:${l}`, agencyCode: l })),
  closedAgencies: closed,
});

describe('revising a plan', () => {
  it('the same plan changes nothing', () => {
    expect(
      revisePlan(
        [existing('1', ['SNV']), existing('2', ['SYT', 'SGDDT'])],
        [task('1', ['SNV']), task('2', ['SYT', 'SGDDT'])],
      ),
    ).toEqual([]);
  });

  it('a new plan adds every task', () => {
    expect(revisePlan([], [task('1', ['SNV'])])).toEqual([{ kind: 'added', key: '1', leads: ['SNV'] }]);
  });

  it('a changed deadline is sent to the open assignments', () => {
    const changes = revisePlan(
      [existing('1', ['SYT', 'SGDDT'], '2021-12-31', ['SGDDT'])],
      [task('1', ['SYT', 'SGDDT'], '2022-06-30')],
    );
    expect(changes).toEqual([expect.objectContaining({ kind: 'deadline', key: '1', assignments: ['p:1:SYT'] })]);
  });

  it('one lead replaced by another is a reassignment, which also gets a changed deadline', () => {
    const changes = revisePlan([existing('1', ['SKHDT'])], [task('1', ['STC'], '2022-12-31')]);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'reassigned', assignment: 'p:1:SKHDT', from: 'SKHDT', to: 'STC' }),
        expect.objectContaining({ kind: 'deadline', assignments: ['p:1:SKHDT'] }),
      ]),
    );
  });

  it('a lead dropped is a cancellation, a lead added a new assignment', () => {
    expect(revisePlan([existing('1', ['SYT', 'SGDDT'])], [task('1', ['SYT'])])).toEqual([
      expect.objectContaining({ kind: 'lead-removed', cancel: ['p:1:SGDDT'] }),
    ]);
    expect(revisePlan([existing('1', ['SYT'])], [task('1', ['SYT', 'SGDDT'])])).toEqual([
      expect.objectContaining({ kind: 'lead-added', agencies: ['SGDDT'] }),
    ]);
  });

  it('a task no longer listed is removed and its open assignments cancelled; text edits are reported', () => {
    const changes = revisePlan(
      [existing('1', ['SNV']), existing('2', ['STP'])],
      [{ ...task('1', ['SNV']), title: 'Tên mới' }],
    );
    expect(changes).toEqual([
      { kind: 'text', key: '1', taskId: 't1', fields: ['title'] },
      { kind: 'removed', key: '2', taskId: 't2', cancel: ['p:2:STP'] },
    ]);
  });

  it('matches tasks by key: numbering that restarts in each section keeps tasks apart', () => {
    const sectioned = (key: string, leads: string[]) => ({ ...existing(key, leads), section: key.split('.')[0]! });
    const incoming = (key: string, leads: string[]) => ({ ...task(key, leads), section: key.split('.')[0]! });
    expect(
      revisePlan(
        [sectioned('I.1', ['SNV']), sectioned('II.1', ['STP'])],
        [incoming('I.1', ['SNV']), incoming('II.1', ['STP']), incoming('II.2', ['SYT'])],
      ),
    ).toEqual([{ kind: 'added', key: 'II.2', leads: ['SYT'] }]);
  });

  it('a task moved to another section under the same key is a text change of its section', () => {
    expect(
      revisePlan([{ ...existing('7', ['SNV']), section: 'II' }], [{ ...task('7', ['SNV']), section: 'III' }]),
    ).toEqual([{ kind: 'text', key: '7', taskId: 't7', fields: ['section'] }]);
    // Imported before sections were read: the same plan again changes nothing.
    expect(revisePlan([existing('7', ['SNV'])], [{ ...task('7', ['SNV']), section: 'III' }])).toEqual([]);
  });

  it('a completed assignment is left alone when its lead stays', () => {
    expect(revisePlan([existing('1', ['SNV'], '2021-12-31', ['SNV'])], [task('1', ['SNV'])])).toEqual([]);
  });
});
