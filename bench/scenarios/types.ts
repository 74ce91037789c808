export interface ScenarioResult {
  /** Markdown blocks: tables and notes, printed in order. */
  sections: string[];
  /** Whether the scenario's target was met. */
  targetMet: boolean;
}

export interface ScenarioOptions {
  /** Worker processes for our worker and, separately, for the ceiling's. */
  workers: number;
  log: (message: string) => void;
}

export interface Scenario {
  name: string;
  description: string;
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}

/** A whole-number setting from 1 read from the environment, or `fallback` when it is not set. */
export function positiveSetting(name: string, fallback: number): number {
  const text = process.env[name];
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number from 1, got "${text}"`);
  return n;
}

/**
 * Trial knobs, for trying a change quickly; the figures in BENCHMARKS.md use neither.
 * BENCH_SCALE=0.25 runs a quarter of the workflows; BENCH_ONLY=ours (or ceiling) skips the other side.
 */
export function benchScale(): number {
  const text = process.env.BENCH_SCALE;
  if (!text) return 1;
  const n = Number(text);
  if (!(n > 0 && n <= 1)) throw new Error(`BENCH_SCALE must be a number in (0, 1], got "${text}"`);
  return n;
}

export function runs(side: 'ours' | 'ceiling'): boolean {
  const only = process.env.BENCH_ONLY;
  return !only || only === side;
}
