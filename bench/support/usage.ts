import { findPostmaster, machineCpu, processCpu, treeCpu } from './procfs.ts';
import type { WorkerProcess } from './workers.ts';

/** CPU seconds spent by each part between two moments, and how busy the whole machine was. */
export interface CpuUsage {
  seconds: number;
  temporal: number;
  workers: number;
  postgres: number;
  bench: number;
  /** Everything else on the machine (other users of the shared box included). */
  other: number;
  /** Busy share of all cores over the interval, 0–1. */
  machineBusy: number;
}

interface Snapshot {
  at: number;
  temporal: number;
  workers: number;
  postgres: number;
  bench: number;
  machine: { busy: number; total: number };
}

export class CpuMeter {
  private readonly postmaster = findPostmaster();

  constructor(
    private readonly temporalPid: number | undefined,
    private readonly workers: () => WorkerProcess[],
  ) {}

  snapshot(): Snapshot {
    const usage = process.cpuUsage();
    return {
      at: performance.now(),
      temporal: this.temporalPid ? treeCpu(this.temporalPid) : 0,
      workers: this.workers().reduce((sum, w) => sum + processCpu(w.pid), 0),
      postgres: this.postmaster ? treeCpu(this.postmaster) : 0,
      bench: (usage.user + usage.system) / 1e6,
      machine: machineCpu(),
    };
  }

  static between(a: Snapshot, b: Snapshot): CpuUsage {
    const machineBusy = b.machine.busy - a.machine.busy;
    const parts = {
      temporal: b.temporal - a.temporal,
      workers: b.workers - a.workers,
      postgres: b.postgres - a.postgres,
      bench: b.bench - a.bench,
    };
    const ours = parts.temporal + parts.workers + parts.postgres + parts.bench;
    return {
      seconds: (b.at - a.at) / 1000,
      ...parts,
      other: Math.max(0, machineBusy - ours),
      machineBusy: machineBusy / Math.max(1e-9, b.machine.total - a.machine.total),
    };
  }
}

export function formatCpu(u: CpuUsage): string {
  const f = (n: number) => n.toFixed(1);
  return `server ${f(u.temporal)} · workers ${f(u.workers)} · PostgreSQL ${f(u.postgres)} · bench/API ${f(u.bench)} · other ${f(u.other)}`;
}

export const noCpu: CpuUsage = {
  seconds: NaN,
  temporal: NaN,
  workers: NaN,
  postgres: NaN,
  bench: NaN,
  other: NaN,
  machineBusy: NaN,
};
