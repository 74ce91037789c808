import { describe, expect, it } from 'vitest';
import { revisePlan, type ExistingTask, type IncomingTask } from '../../domain/plan-revision.ts';

const task = (number: string, leads: string[], due = '2021-12-31'): IncomingTask => ({
  number,
  title: `Nhiệm vụ ${number}`,
  objective: null,
  area: null,
  deliverables: ['Kế hoạch'],
  deadline: { kind: 'date', due, raw: due.slice(0, 4) },
  leadCodes: leads,
  collaboratorCodes: [],
});

const existing = (number: string, leads: string[], due = '2021-12-31', closed: string[] = []): ExistingTask => ({
  ...task(number, leads, due),
  id: `t${number}`,
  removed: false,
  openAssignments: leads.filter((l) => !closed.includes(l)).map((l) => ({ id: `p:${number}:${l}`, agencyCode: l })),
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
    expect(revisePlan([], [task('1', ['SNV'])])).toEqual([{ kind: 'added', number: '1', leads: ['SNV'] }]);
  });

  it('a changed deadline is sent to the open assignments', () => {
    const changes = revisePlan(
      [existing('1', ['SYT', 'SGDDT'], '2021-12-31', ['SGDDT'])],
      [task('1', ['SYT', 'SGDDT'], '2022-06-30')],
    );
    expect(changes).toEqual([expect.objectContaining({ kind: 'deadline', number: '1', assignments: ['p:1:SYT'] })]);
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
      { kind: 'text', number: '1', taskId: 't1', fields: ['title'] },
      { kind: 'removed', number: '2', taskId: 't2', cancel: ['p:2:STP'] },
    ]);
  });

  it('a completed assignment is left alone when its lead stays', () => {
    expect(revisePlan([existing('1', ['SNV'], '2021-12-31', ['SNV'])], [task('1', ['SNV'])])).toEqual([]);
  });
});
