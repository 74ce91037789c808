import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeAuditKey, noticeKey, versionAuditKey } from '../../domain/record-keys.ts';
import { timerKey } from '../../domain/timer-effects.ts';

describe('the dedupe keys of what an assignment writes', () => {
  it('keep the spelling of the rows already written, so a retry after an upgrade writes nothing twice', () => {
    const event = { kind: 'report-late', period: '2026-Q1', at: '2026-03-20T01:00:00.000Z' } as const;
    expect(changeAuditKey('kh-1:3:SYT', timerKey(event as never))).toBe(
      'assignment:kh-1:3:SYT:report-late:2026-Q1@2026-03-20T01:00:00.000Z',
    );
    expect(versionAuditKey('kh-1:3:SYT', 4, 1)).toBe('assignment:kh-1:3:SYT:4:1');
    const lead = { recipient: { agencyCode: 'SYT' }, kind: 'report-late', text: '', link: '' } as never;
    const coordinator = { recipient: { role: 'coordinator' }, kind: 'report-late', text: '', link: '' } as never;
    expect(noticeKey('kh-1:3:SYT', 'assigned', lead)).toBe('kh-1:3:SYT:assigned:a:SYT');
    expect(noticeKey('kh-1:3:SYT', 'assigned', coordinator)).toBe('kh-1:3:SYT:assigned:r:coordinator');
  });

  it('are spelled by no writer but domain/record-keys.ts', () => {
    // A key built by hand in a second place is how two writers of one fact came to disagree.
    const handMade = /`assignment:\$\{|:\$\{recipientKey\(/;
    const offenders: string[] = [];
    for (const root of ['activities', 'services', 'workflows', 'domain'])
      for (const file of readdirSync(root, { recursive: true }) as string[]) {
        if (!file.endsWith('.ts') || join(root, file) === join('domain', 'record-keys.ts')) continue;
        const text = readFileSync(join(root, file), 'utf8');
        if (handMade.test(text)) offenders.push(join(root, file));
      }
    expect(offenders).toEqual([]);
  });
});
