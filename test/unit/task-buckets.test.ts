import { describe, expect, it } from 'vitest';
import { figures } from '../../domain/task-buckets.ts';

describe('the rates of the four buckets', () => {
  it('completion counts every bucket; on time counts only the work that has come due', () => {
    // 3 on time, 1 late, 4 within, 2 overdue: 4 of 10 completed; 3 on time of 6 come due.
    expect(figures({ onTime: 3, late: 1, within: 4, overdue: 2 })).toEqual({
      onTime: 3,
      late: 1,
      within: 4,
      overdue: 2,
      total: 10,
      completionRate: 0.4,
      onTimeRate: 0.5,
    });
  });

  it('has no rate out of nothing', () => {
    expect(figures({ onTime: 0, late: 0, within: 5, overdue: 0 })).toMatchObject({
      completionRate: 0,
      onTimeRate: null,
    });
    expect(figures({ onTime: 0, late: 0, within: 0, overdue: 0 })).toMatchObject({
      completionRate: null,
      onTimeRate: null,
    });
  });
});
