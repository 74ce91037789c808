import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dondoc as runDondoc } from '../support/cli.ts';

let workDir: string;

beforeAll(async () => {
  // Run from an unrelated directory: the command must find data/calendar by itself.
  workDir = await mkdtemp(path.join(tmpdir(), 'dondoc-cli-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/**
 * In this process (test/support/cli.ts), from an unrelated directory and in New York's time zone:
 * what the command says must depend on neither.
 */
async function dondoc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = await runDondoc(args, { cwd: workDir, env: { TZ: 'America/New_York' } });
  return { code: status, stdout, stderr };
}

async function scheduleJson(...args: string[]) {
  const { code, stdout, stderr } = await dondoc('schedule', ...args, '--json');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as {
    effectiveDue: string | null;
    cycle?: { year: number };
    cycles?: unknown[];
    events: { kind: string; at: string; period?: string; level?: number }[];
    provisional: number[];
  };
}

// 08:00 in Vietnam, as an instant in UTC (README, "Dates and times").
const at = (day: string): string => `${day}T01:00:00.000Z`;

describe('dondoc schedule', { timeout: 30_000 }, () => {
  it('prints the shifted due day and every timer as JSON, whatever the machine’s time zone', async () => {
    const result = await scheduleJson('--due', '2026-02-15', '--from', '2026-01-01', '--acknowledged');
    expect(result).toEqual({
      effectiveDue: '2026-02-23',
      events: [
        { kind: 'reminder', dueDate: '2026-02-23', workingDaysBefore: 30, at: at('2026-01-05') },
        { kind: 'reminder', dueDate: '2026-02-23', workingDaysBefore: 7, at: at('2026-02-05') },
        { kind: 'reminder', dueDate: '2026-02-23', workingDaysBefore: 1, at: at('2026-02-13') },
        { kind: 'escalation', level: 1, at: at('2026-02-24') },
        { kind: 'escalation', level: 2, at: at('2026-03-02') },
        { kind: 'escalation', level: 3, at: at('2026-03-16') },
      ],
      provisional: [],
    });
  });

  it('treats the assignment as made on --from, so it is chased unless acknowledged', async () => {
    const result = await scheduleJson('--due', '2026-02-15', '--from', '2026-01-01');
    expect(result.events.filter((e) => e.kind === 'ack-chase')).toEqual([{ kind: 'ack-chase', at: at('2026-01-06') }]);
  });

  it('lists the report dues of a year-long range, late mark on the morning after the last day', async () => {
    const { code, stdout, stderr } = await dondoc(
      'schedule',
      '--start',
      '2026-01-01',
      '--due',
      '2026-12-31',
      '--from',
      '2026-01-01',
      '--acknowledged',
      '--json',
    );
    expect(code).toBe(0);
    // The escalations fall in January 2027, a year without its official notice yet.
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as { events: { kind: string }[]; provisional: number[] };
    expect(result.provisional).toEqual([2027]);
    expect(result.events.filter((e) => e.kind === 'report-due')).toEqual([
      { kind: 'report-due', period: '2026-Q1', at: at('2026-03-20') },
      { kind: 'report-due', period: '2026-H1', at: at('2026-06-22') },
      { kind: 'report-due', period: '2026-Q3', at: at('2026-09-22') },
      { kind: 'report-due', period: '2026-Y', at: at('2026-12-22') },
    ]);
  });

  it('reads a partial policy from a file', async () => {
    const file = path.join(workDir, 'national-rule.json');
    await writeFile(file, JSON.stringify({ reportDueRule: 'no-later-than-20th', reportReminderWorkingDays: [] }));
    const result = await scheduleJson(
      '--continuous',
      '--from',
      '2026-06-01',
      '--until',
      '2026-06-30',
      '--acknowledged',
      '--policy',
      file,
    );
    expect(result).toEqual({
      effectiveDue: null,
      events: [{ kind: 'report-due', period: '2026-H1', at: at('2026-06-23') }],
      provisional: [],
    });
  });

  it('shows the current cycle of a yearly task', async () => {
    const result = await scheduleJson(
      '--due',
      '2025-06-30',
      '--recurring',
      'yearly',
      '--until',
      '2026-12-31',
      '--from',
      '2026-01-01',
      '--acknowledged',
    );
    expect(result.effectiveDue).toBe('2026-06-30');
    expect(result.cycle?.year).toBe(2026);
    expect(result.cycles).toHaveLength(2);
    expect(result.events.filter((e) => e.kind === 'escalation').map((e) => e.at)).toEqual([
      at('2026-07-01'),
      at('2026-07-07'),
      at('2026-07-21'),
    ]);
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await dondoc('schedule', '--due', '2026-02-15', '--from', '2026-01-01', '--acknowledged');
    expect(code).toBe(0);
    expect(stdout).toContain('hạn T2 2026-02-23 (dời từ CN 2026-02-15, Tết Nguyên đán)');
    // The table is for people: days and hours of Vietnam.
    expect(stdout).toContain('T3 2026-02-24 08:00  quá hạn: cảnh báo mức 1');
  });

  it('plans the end of a plan year on the provisional 2027 calendar, and says it is provisional', async () => {
    const result = await scheduleJson('--due', '2026-12-31', '--from', '2026-12-01', '--acknowledged');
    expect(result.provisional).toEqual([2027]);
    // 1 January 2027 is New Year's Day: the first escalation waits for Monday 4 January.
    expect(result.events.find((e) => e.kind === 'escalation')).toEqual({
      kind: 'escalation',
      level: 1,
      at: at('2027-01-04'),
    });
  });

  it('moves a deadline that falls in the provisional Tết 2027 to the first working day after it', async () => {
    // Monday 8 February 2027 is the third day of Tết; the break with its make-up days ends on 11 February.
    const result = await scheduleJson('--due', '2027-02-08', '--from', '2027-01-04', '--acknowledged');
    expect(result.effectiveDue).toBe('2027-02-12');
    expect(result.provisional).toEqual([2027]);
  });

  it('prints a note, not a warning, when the table reaches a provisional year', async () => {
    const { code, stdout, stderr } = await dondoc('schedule', '--due', '2027-03-31', '--from', '2026-12-01');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/ngày nghỉ của năm 2027 là tạm tính/);
  });

  it.each([
    [['--due', '2026-02-30'], '--due'],
    [['--due', '15/02/2026'], '--due'],
    [['--from', '2026-01-01'], '--due'],
    [['--due', '2026-02-15', '--recurring', 'monthly'], '--recurring'],
    [['--due', '2026-02-15', '--start', '2026-03-01'], '--start'],
    [['--due', '2026-02-15', '--until', '2026-02-01'], '--until'],
    [['--due', '2026-02-15', '--colour'], 'không có tùy chọn --colour'],
    [['--due', '2026-02-15', '--policy', 'does-not-exist.json'], '--policy'],
  ])('refuses %j with exit code 2, naming %s', async (args, option) => {
    const { code, stdout, stderr } = await dondoc('schedule', ...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(option);
  });

  it('reports every bad policy field by name', async () => {
    const file = path.join(workDir, 'bad-policy.json');
    await writeFile(
      file,
      JSON.stringify({
        fireHour: 25,
        escalation: [
          { level: 1, afterWorkingDays: 5 },
          { level: 2, afterWorkingDays: 3 },
        ],
      }),
    );
    const { code, stderr } = await dondoc('schedule', '--due', '2026-02-15', '--policy', file);
    expect(code).toBe(2);
    expect(stderr).toContain('fireHour: phải là giờ nguyên, từ 0 đến 23');
    expect(stderr).toContain('escalation[1].afterWorkingDays: phải lớn hơn escalation[0].afterWorkingDays (5)');
  });
});
