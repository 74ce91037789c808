import { findPostmasters, machineCpu, memory, processCpu, treeCpu } from './procfs.ts';

// Per-process CPU time and memory of a cluster run, from /proc: which of Temporal's processes,
// Đôn đốc's workers and APIs, PostgreSQL or the bench itself used the cores in each part, and how
// much memory each process held at its peak.

export interface MeteredProcess {
  name: string;
  pid: number;
}

/** CPU seconds by process name, with PostgreSQL (all its backends) and the bench process. */
export interface CpuSnapshot {
  at: number;
  byName: Map<string, number>;
  machine: { busy: number; total: number };
}

export interface PartUsage {
  seconds: number;
  /** CPU seconds of each process over the part, in the order of the processes, then PostgreSQL, bench. */
  byName: [string, number][];
  /** Busy CPU seconds of the machine not accounted for by the processes above (other users). */
  other: number;
  machineBusy: number;
}

export class ProcessMeter {
  /** All of them: on a shared machine the first one found need not be the one the run uses. */
  private readonly postmasters = findPostmasters();
  private readonly peaks = new Map<string, number>();
  private readonly sampler: NodeJS.Timeout;

  constructor(private readonly processes: () => MeteredProcess[]) {
    this.sampler = setInterval(() => this.sample(), 500);
    this.sampler.unref();
  }

  private sample(): void {
    for (const p of this.processes()) {
      const rss = memory(p.pid)?.rss;
      if (rss !== undefined) this.peaks.set(p.name, Math.max(this.peaks.get(p.name) ?? 0, rss));
    }
  }

  snapshot(): CpuSnapshot {
    const byName = new Map<string, number>();
    for (const p of this.processes()) byName.set(p.name, processCpu(p.pid));
    byName.set(
      'PostgreSQL',
      this.postmasters.reduce((sum, pid) => sum + treeCpu(pid), 0),
    );
    const own = process.cpuUsage();
    byName.set('bench', (own.user + own.system) / 1e6);
    return { at: performance.now(), byName, machine: machineCpu() };
  }

  static between(a: CpuSnapshot, b: CpuSnapshot): PartUsage {
    const byName: [string, number][] = [...b.byName].map(([name, cpu]) => [name, cpu - (a.byName.get(name) ?? 0)]);
    const busy = b.machine.busy - a.machine.busy;
    const ours = byName.reduce((sum, [, cpu]) => sum + cpu, 0);
    return {
      seconds: (b.at - a.at) / 1000,
      byName,
      other: Math.max(0, busy - ours),
      machineBusy: busy / Math.max(1e-9, b.machine.total - a.machine.total),
    };
  }

  /** Highest RSS sampled (every 500 ms) and VmHWM now, MiB, per process. */
  memory(): { name: string; sampled: number; hwm: number }[] {
    this.sample();
    return this.processes().map((p) => ({
      name: p.name,
      sampled: this.peaks.get(p.name) ?? Number.NaN,
      hwm: memory(p.pid)?.hwm ?? Number.NaN,
    }));
  }

  stop(): void {
    clearInterval(this.sampler);
  }
}

/** "history-1 12.3 · worker-1 40.1 · …", the busiest first: what limited a part. */
export function formatUsage(u: PartUsage): string {
  const parts = [...u.byName, ['other', u.other] as [string, number]]
    .filter(([, cpu]) => cpu >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, cpu]) => `${name} ${cpu.toFixed(1)}`);
  return `${parts.join(' · ')} (machine ${Math.round(100 * u.machineBusy)} % busy over ${u.seconds.toFixed(0)} s)`;
}
