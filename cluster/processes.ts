import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** One process of the cluster, as the pid file records it. */
export interface ClusterProcess {
  name: string;
  pid: number;
  log: string;
  /** Text of its command line that tells it from an unrelated process given the same pid later. */
  marker: string;
}

export interface Spawned {
  record: ClusterProcess;
  /** Resolves when it exits (while the one who started it still runs); never rejects. */
  exited: Promise<string>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  log: string;
  marker: string;
  detach: boolean;
}

/**
 * Starts a program with its output appended to `log`. Detached, it runs on when the one who
 * started it exits (`npm run cluster` returns, the processes stay); attached, it belongs to the
 * caller's process group (a test), and a Ctrl-C reaches it too.
 */
export function spawnLogged(options: SpawnOptions): Spawned {
  const out = openSync(options.log, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', out, out],
      detached: options.detach,
    });
  } finally {
    closeSync(out);
  }
  if (options.detach) child.unref();
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once('error', (error) => resolve(error.message));
  });
  if (child.pid === undefined) throw new Error(`${options.name} could not be started (${options.command})`);
  return { record: { name: options.name, pid: child.pid, log: options.log, marker: options.marker }, exited };
}

/** Whether the process still runs and is still the one recorded (not a zombie, not a reused pid). */
export function isRunning(record: ClusterProcess): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    return readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').includes(record.marker);
  } catch {
    // no /proc (macOS): trust the pid
    return true;
  }
}

/** The last lines a process wrote, for the message when it ended at start. */
export function logTail(record: ClusterProcess, lines = 30): string {
  try {
    return readFileSync(record.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * SIGTERM to each, then waits for all of them; what still runs after `graceMs` gets SIGKILL.
 * Returns the names of those that had to be killed.
 */
export async function stopProcesses(records: ClusterProcess[], graceMs: number): Promise<string[]> {
  const running = records.filter(isRunning);
  for (const record of running) process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (running.some(isRunning) && Date.now() < deadline) await sleep(100);
  const killed = running.filter(isRunning);
  for (const record of killed) process.kill(record.pid, 'SIGKILL');
  while (killed.some(isRunning)) await sleep(50);
  return killed.map((record) => record.name);
}

/** Resident memory of a process now, in MiB (Linux; undefined elsewhere or once it has ended). */
export function residentMiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
