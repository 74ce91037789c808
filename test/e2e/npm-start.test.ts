import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendar, provisionalYearsAhead } from '../../runtime/calendar-files.ts';
import { freePort } from '../../runtime/free-port.ts';
import { samplePlan } from '../support/plans.ts';
import { newcomerEnv, startDondoc, waitReady, type Started } from '../support/npm-start.ts';

const bin = fileURLToPath(new URL('../../bin/dondoc.js', import.meta.url));

let dataDir: string;
let env: NodeJS.ProcessEnv;
let api: string;

const start = () => startDondoc(env);

/** Every file and directory under `dir` whose mode lets anyone but the owner in. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // A running server's short-lived files (SQLite's journal) may be gone by the time they are looked at.
    const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!stats) continue;
    if ((stats.mode & 0o077) !== 0) found.push(path);
    if (entry.isDirectory()) found.push(...(await openToOthers(path)));
  }
  return found;
}

async function stopWithCtrlC(started: Started): Promise<number | null> {
  started.child.kill('SIGINT');
  return started.exited;
}

const json = { 'content-type': 'application/json' };
const as = (token: string) => ({ ...json, authorization: `Bearer ${token}` });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'dondoc-e2e-'));
  const newcomer = await newcomerEnv(dataDir);
  api = newcomer.api;
  env = {
    ...newcomer.env,
    // Tuning given to `npm start` reaches the worker and the API it runs.
    DONDOC_WORKER_MAX_CONCURRENT_ACTIVITIES: '7',
    DONDOC_WORKER_DB_POOL_SIZE: '5',
    DONDOC_API_DB_POOL_SIZE: '6',
  };
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start, end to end: HTTP → workflow → read model, and back after a restart', () => {
  it('runs everything, follows a plan to a deliverable, stops on Ctrl-C and finds the same data next time', async () => {
    const first = start();
    await waitReady(api, first);
    expect(first.output()).toContain('Đôn đốc is running');
    expect(first.output()).toContain(`API:           http://127.0.0.1:${env.PORT}`);
    // Without SMTP_URL mail is not dropped: it is written as files, and the start says where.
    expect(first.output()).toContain(
      `Mail:          no SMTP_URL: each e-mail is written as an .eml file in ${dataDir}/mail`,
    );

    // An empty database gets a first coordinator token, kept in .data, owner-only. Standard output
    // is a pipe here, not a terminal: it names the file and never prints the token.
    const tokenFile = join(dataDir, 'bootstrap-token');
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    const coordinator = (await readFile(tokenFile, 'utf8')).trim();
    expect(first.output()).not.toContain(coordinator);
    expect(first.output()).toContain(`First coordinator token created: it is in ${tokenFile}`);
    const logLines = first
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.some((line) => line.includes(coordinator))).toBe(false);
    expect((await fetch(`${api}/v1/assignments`)).status).toBe(401);
    // The data directory (password hashes, webhook secrets, the token, the dev server's history) is
    // its owner's alone, and the embedded database listens on a socket in it, on no TCP port.
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect(await openToOthers(dataDir)).toEqual([]);
    expect(first.output()).toContain(`Database:      embedded PGlite on the socket ${join(dataDir, '.s.PGSQL.5432')}`);
    // The web app is served by the same process, at the root.
    const home = await fetch(`${api}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>Đôn đốc</title>');
    const logged = (message: string) =>
      logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.msg === message);
    expect(logged('worker created')).toMatchObject({ activitySlots: 7 });
    expect(logged('database pools')).toMatchObject({ workerDatabasePool: 5, apiDatabasePool: 6 });
    // The calendar data is read once for the worker, the API and the rounds: a provisional year
    // (its official notice not yet in data/calendar/) is told once, not once per part.
    const provisional = provisionalYearsAhead(await loadCalendar(), new Date());
    expect(logLines.filter((line) => line.includes('are provisional')).length).toBe(provisional.length > 0 ? 1 : 0);

    const imported = await fetch(`${api}/v1/plans`, {
      method: 'POST',
      headers: as(coordinator),
      body: JSON.stringify(samplePlan()),
    });
    expect(imported.status).toBe(201);
    const issued = await fetch(`${api}/v1/tokens`, {
      method: 'POST',
      headers: as(coordinator),
      body: JSON.stringify({ role: 'agency', agency: 'SYT', registry: 'vinh-phuc', name: 'Văn thư Sở Y tế' }),
    });
    expect(issued.status).toBe(201);
    const syt = ((await issued.json()) as { token: string }).token;

    const id = '2866-qd-ubnd:35:SYT';
    // As the agency would: it acts on the assignment once it sees it (its workflow has run).
    const deadline = Date.now() + 60_000;
    const version = async () =>
      ((await (await fetch(`${api}/v1/assignments/${id}`, { headers: as(syt) })).json()) as { version?: number })
        .version ?? 0;
    while ((await version()) < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const submitted = await fetch(`${api}/v1/assignments/${id}/deliverables`, {
      method: 'POST',
      headers: as(syt),
      body: JSON.stringify({ type: 'Báo cáo', documentNumber: '45/BC-SYT', date: '2022-11-30' }),
    });
    // On a failure, what the server logged tells why.
    expect(submitted.status, first.output().slice(-4000)).toBe(200);
    expect(((await submitted.json()) as { status: string }).status).toBe('submitted');
    expect(first.output()).not.toContain(syt);

    expect(await stopWithCtrlC(first)).toBe(0);
    expect((await stat(join(dataDir, 'temporal.db'))).size).toBeGreaterThan(0);

    const second = start();
    await waitReady(api, second);
    expect(second.output()).not.toContain('First coordinator token');
    const shown = (await (await fetch(`${api}/v1/assignments/${id}`, { headers: as(syt) })).json()) as {
      status: string;
      submissions: { documentNumber: string }[];
    };
    expect(shown).toMatchObject({ status: 'submitted', submissions: [{ documentNumber: '45/BC-SYT' }] });
    // The workflow survived the restart too: it still knows the deliverable and refuses a second.
    const again = await fetch(`${api}/v1/assignments/${id}/deliverables`, {
      method: 'POST',
      headers: as(syt),
      body: JSON.stringify({ type: 'Báo cáo', documentNumber: '46/BC-SYT', date: '2022-12-01' }),
    });
    expect(again.status).toBe(409);
    const reimport = await fetch(`${api}/v1/plans`, {
      method: 'POST',
      headers: as(coordinator),
      body: JSON.stringify(samplePlan()),
    });
    expect(((await reimport.json()) as { outcome: string }).outcome).toBe('unchanged');
    expect(await stopWithCtrlC(second)).toBe(0);
  }, 240_000);
});

describe('npm start against real services', () => {
  it('uses TEMPORAL_ADDRESS and DATABASE_URL and starts nothing embedded', async () => {
    const { createTestContext } = await import('../support/context.ts');
    const { inject } = await import('vitest');
    const ctx = await createTestContext();
    const dir = await mkdtemp(join(tmpdir(), 'dondoc-e2e-ext-'));
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'start'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DONDOC_DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        DATABASE_URL: ctx.databaseUrl,
        TEMPORAL_TASK_QUEUE: ctx.taskQueue,
        TEMPORAL_NAMESPACE: ctx.namespace,
        DONDOC_BOOTSTRAP_TOKEN: 'dd_e2e-bootstrap-token-0123456789',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => {
      output += c;
    });
    child.stderr!.on('data', (c) => {
      output += c;
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes('Đôn đốc is running') && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 200));
      expect(output).toContain('(TEMPORAL_ADDRESS)');
      expect(output).toContain('Database:      DATABASE_URL');
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      const plans = await fetch(`http://127.0.0.1:${port}/v1/plans`, {
        headers: { authorization: 'Bearer dd_e2e-bootstrap-token-0123456789' },
      });
      expect(plans.status).toBe(200);
      // Nothing embedded: no dev server database, no PGlite directory, no generated token.
      expect(await readdir(dir)).toEqual([]);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
      await rm(dir, { recursive: true, force: true });
      await ctx.close();
    }
  }, 120_000);
});
