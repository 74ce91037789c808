import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { samplePlan } from '../support/plans.ts';
import { newcomerEnv, startDondoc, waitReady, type Started } from '../support/npm-start.ts';

let dataDir: string;
let env: NodeJS.ProcessEnv;
let api: string;
const running: ChildProcess[] = [];

function start(extra: NodeJS.ProcessEnv = {}): Started {
  const started = startDondoc({ ...env, ...extra });
  running.push(started.child);
  return started;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ready(): Promise<boolean> {
  try {
    return (await fetch(`${api}/readyz`, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false;
  }
}

const pidFile = () => join(dataDir, 'temporal.pid');
const devServerPid = async () => Number((await readFile(pidFile(), 'utf8')).trim());

/** Kills the dev server as a crash would, and waits for the one started in its place. */
async function killDevServerAndWaitForNext(started: Started): Promise<number> {
  const pid = await devServerPid();
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`npm start exited:\n${started.output()}`);
    const next = await devServerPid().catch(() => pid);
    if (next !== pid && (await ready())) return next;
    await sleep(200);
  }
  throw new Error(`the dev server was not started again:\n${started.output().slice(-4000)}`);
}

const json = { 'content-type': 'application/json' };
const as = (token: string) => ({ ...json, authorization: `Bearer ${token}` });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'dondoc-e2e-faults-'));
  ({ env, api } = await newcomerEnv(dataDir));
});

afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  // A dev server left by a failed run: its pid file says which.
  const left = await devServerPid().catch(() => undefined);
  if (left) {
    try {
      process.kill(left, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start when a part dies', () => {
  it('starts a killed Temporal dev server again on its data, and stops everything, saying why, when it keeps dying', async () => {
    const first = start();
    await waitReady(api, first);
    const coordinator = (await readFile(join(dataDir, 'bootstrap-token'), 'utf8')).trim();
    const imported = await fetch(`${api}/v1/plans`, {
      method: 'POST',
      headers: as(coordinator),
      body: JSON.stringify(samplePlan()),
    });
    expect(imported.status).toBe(201);
    const id = '2866-qd-ubnd:35:SYT';
    const shown = async () =>
      (await (await fetch(`${api}/v1/assignments/${id}`, { headers: as(coordinator) })).json()) as {
        version?: number;
        status?: string;
      };
    const deadline = Date.now() + 60_000;
    while (((await shown()).version ?? 0) < 1 && Date.now() < deadline) await sleep(200);

    // Killed once: it comes back on the same file and port, and the workflows with it.
    const before = await devServerPid();
    const after = await killDevServerAndWaitForNext(first);
    expect(after).not.toBe(before);
    expect(first.output()).toContain(`The Temporal dev server (pid ${before}) stopped unexpectedly (signal SIGKILL)`);
    const cancelled = await fetch(`${api}/v1/assignments/${id}/cancel`, {
      method: 'POST',
      headers: as(coordinator),
      body: JSON.stringify({ reason: 'Đã hợp nhất vào nhiệm vụ khác' }),
    });
    expect(cancelled.status, first.output().slice(-4000)).toBe(200);

    // Killed again and again: after three restarts within ten minutes, everything stops, with a
    // message that names the dev server and its log, and npm start exits with 1.
    await killDevServerAndWaitForNext(first);
    await killDevServerAndWaitForNext(first);
    process.kill(await devServerPid(), 'SIGKILL');
    expect(await first.exited).toBe(1);
    const output = first.output();
    expect(output).toMatch(/The Temporal dev server \(pid \d+, 127\.0\.0\.1:\d+, data in .*temporal\.db\) stopped/);
    expect(output).toContain('4 times within 10 min, so it is not started again');
    expect(output).toContain(`Its log: ${join(dataDir, 'temporal.log')}`);
    expect(output).toContain('Đôn đốc is stopping.');
    expect(await ready()).toBe(false);

    // Nothing was lost: the next start finds the assignment cancelled, and its workflow knows it.
    const second = start();
    await waitReady(api, second);
    expect((await shown()).status).toBe('cancelled');
    const again = await fetch(`${api}/v1/assignments/${id}/cancel`, {
      method: 'POST',
      headers: as(coordinator),
      body: JSON.stringify({ reason: 'Lần nữa' }),
    });
    expect(again.status).toBe(409);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000);

  it('refuses a fresh DATABASE_URL next to the dev server data of another database, and says what to do', async () => {
    const { createTestContext } = await import('../support/context.ts');
    expect(inject('temporalAddress')).toBeTruthy();
    const ctx = await createTestContext();
    try {
      // The dev server's data in dataDir belongs to the embedded database of the test above.
      const refused = start({ DATABASE_URL: ctx.databaseUrl });
      expect(await refused.exited).toBe(1);
      const output = refused.output();
      expect(output).toContain('do not belong together');
      expect(output).toMatch(/the namespace belongs to deployment [0-9a-f-]{36}, and the database has never been used/);
      expect(output).toContain('Point DATABASE_URL and TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE');
      expect(output).not.toContain('Đôn đốc is running');
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
