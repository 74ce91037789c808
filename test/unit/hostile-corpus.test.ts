import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus } from '../support/hostile-corpus.ts';

// Every hostile shape goes through `dondoc plan preview`, as a coordinator's upload goes through
// the API: the command must answer (exit 0 or 1, never a crash or a kill), within the reading
// limits, and say in Vietnamese what is wrong.

const corpus = await hostileCorpus();
const dir = mkdtempSync(join(tmpdir(), 'dondoc-hostile-'));
const PEAK = /peak-rss-kib=(\d+)/;

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
  peakMib: number;
}

function preview(file: string): Promise<Run> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', './test/support/peak-memory.js', 'bin/dondoc.js', 'plan', 'preview', file, '--json'],
    { env: { ...process.env, NO_COLOR: '1' } },
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve) =>
    child.on('close', (status, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        seconds: (performance.now() - started) / 1000,
        peakMib: Number(PEAK.exec(stderr)?.[1] ?? NaN) / 1024,
      });
    }),
  );
}

const table: string[] = [];

beforeAll(() => {
  for (const file of corpus) writeFileSync(join(dir, file.fileName), file.bytes);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // The figures behind the issue's before/after table.
  console.log(
    ['| file | size | exit | seconds | peak MiB | first message |', '|---|---|---|---|---|---|', ...table].join('\n'),
  );
});

describe('a hostile corpus through dondoc plan preview', () => {
  it('has at least twenty shapes', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
  });

  it.for(corpus)(
    '$name: answers with exit 0 or 1 within the limits and names the problem',
    { timeout: 30_000 },
    async (file) => {
      const run = await preview(join(dir, file.fileName));
      const answer = JSON.parse(run.stdout) as {
        tasks: unknown[];
        errors: { message: string }[];
        warnings: { message: string }[];
      };
      const messages = [...answer.errors, ...answer.warnings].map((m) => m.message);
      table.push(
        `| ${file.name} | ${(file.bytes.length / 1024).toFixed(0)} KiB | ${run.status} | ${run.seconds.toFixed(1)} | ${run.peakMib.toFixed(0)} | ${(messages[0] ?? `${answer.tasks.length} nhiệm vụ`).slice(0, 90)} |`,
      );
      expect(run.signal).toBeNull();
      expect([0, 1]).toContain(run.status);
      // The reading thread stops at 10 s; the rest is starting Node and the command.
      expect(run.seconds).toBeLessThan(20);
      expect(run.peakMib).toBeLessThan(512 + 160);
      if (file.told) expect(messages.some((m) => file.told!.test(m))).toBe(true);
      if (file.tasks !== undefined) expect(answer.tasks).toHaveLength(file.tasks);
      // No library's words: every message is ours, in Vietnamese.
      for (const message of messages)
        expect(message).not.toMatch(/Invalid string length|Bug :|Error:|undefined|\[object/);
    },
  );
});
