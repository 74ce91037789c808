/** Polls `probe` every `intervalMs` until `done` says so; returns the last value. Fails after `timeoutMs`. */
export async function pollUntil<T>(options: {
  probe: () => Promise<T>;
  done: (value: T) => boolean;
  /** Called with every value, e.g. to note when a share of the work was reached. */
  onValue?: (value: T, elapsedMs: number) => void;
  intervalMs?: number;
  timeoutMs: number;
  what: string;
}): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await options.probe();
    const elapsed = performance.now() - started;
    options.onValue?.(value, elapsed);
    if (options.done(value)) return value;
    if (elapsed > options.timeoutMs)
      throw new Error(
        `timed out after ${Math.round(elapsed / 1000)} s waiting for ${options.what} (last: ${JSON.stringify(value)})`,
      );
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
}

/** Records when a growing count first reached each share of its target. */
export class Milestones {
  readonly reached = new Map<number, number>();

  constructor(
    private readonly target: number,
    private readonly shares = [0.5, 0.9, 1],
  ) {}

  note(count: number, seconds: number): void {
    for (const share of this.shares) {
      if (!this.reached.has(share) && count >= Math.ceil(share * this.target)) this.reached.set(share, seconds);
    }
  }

  at(share: number): number {
    return this.reached.get(share) ?? NaN;
  }
}

/**
 * Runs `work` alongside polling: `check()` rethrows its failure (so a poll loop stops at once), and
 * `done` resolves with the seconds it took from `t0`.
 */
export function alongside(t0: number, work: Promise<unknown>): { check(): void; done: Promise<number> } {
  let failure: { error: unknown } | undefined;
  const done = work.then(
    () => (performance.now() - t0) / 1000,
    (error: unknown) => {
      failure = { error };
      return NaN;
    },
  );
  return {
    check() {
      if (failure) throw failure.error;
    },
    done: done.then((s) => {
      if (failure) throw failure.error;
      return s;
    }),
  };
}
