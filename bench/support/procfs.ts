import { readdirSync, readFileSync } from 'node:fs';

// Linux /proc readings: CPU time and memory of the processes a scenario involves, so that a slow
// figure can be traced to the Temporal server, the workers, PostgreSQL or the bench itself.

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the project runs on

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

interface Stat {
  ppid: number;
  comm: string;
  /** Own user + system time, seconds. */
  cpu: number;
  /** Time of reaped children, seconds (PostgreSQL's postmaster collects its exited backends here). */
  childrenCpu: number;
}

function stat(pid: number): Stat | undefined {
  const text = readText(`/proc/${pid}/stat`);
  if (!text) return undefined;
  // The command name is in parentheses and may contain spaces; the fields after it are fixed.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  const n = (i: number) => Number(fields[i - 3]);
  return { ppid: n(4), comm, cpu: (n(14) + n(15)) / TICKS_PER_SECOND, childrenCpu: (n(16) + n(17)) / TICKS_PER_SECOND };
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** CPU seconds used so far by one process (all its threads). */
export function processCpu(pid: number): number {
  return stat(pid)?.cpu ?? 0;
}

/** CPU seconds of a process and all its descendants, living or reaped. */
export function treeCpu(root: number): number {
  const all = pids().map((pid) => ({ pid, stat: stat(pid) }));
  const children = new Map<number, number[]>();
  for (const { pid, stat: s } of all) if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  const byPid = new Map(all.map((p) => [p.pid, p.stat]));
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const s = byPid.get(pid);
    if (!s) continue;
    total += s.cpu + (pid === root ? s.childrenCpu : 0);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The process whose command line has every one of `parts`, if any. */
export function findProcess(parts: string[]): number | undefined {
  for (const pid of pids()) {
    const cmdline = readText(`/proc/${pid}/cmdline`)?.split('\0') ?? [];
    if (parts.every((part) => cmdline.includes(part))) return pid;
  }
  return undefined;
}

/** PostgreSQL's postmaster on this machine: a `postgres` process whose parent is not one. */
export function findPostmaster(): number | undefined {
  for (const pid of pids()) {
    const s = stat(pid);
    if (s?.comm === 'postgres' && stat(s.ppid)?.comm !== 'postgres') return pid;
  }
  return undefined;
}

/** Every PostgreSQL postmaster on this machine (the machine's own, and any a run started for itself). */
export function findPostmasters(): number[] {
  return pids().filter((pid) => {
    const s = stat(pid);
    return s?.comm === 'postgres' && stat(s.ppid)?.comm !== 'postgres';
  });
}

export interface Memory {
  /** Resident set now, MiB. */
  rss: number;
  /** Peak resident set so far (VmHWM), MiB. */
  hwm: number;
}

export function memory(pid: number): Memory | undefined {
  const text = readText(`/proc/${pid}/status`);
  if (!text) return undefined;
  const kib = (key: string) => Number(text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/** Busy and total CPU seconds of the whole machine since boot, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = readText('/proc/stat')?.split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}
