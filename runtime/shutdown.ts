import type { Logger } from './logger.ts';

/** How long one part may take to stop unless it says otherwise (pools, servers, transports). */
const STEP_TIMEOUT_MS = 5_000;
/** After the last part stopped, how long the process may take to end by itself before it is ended. */
const EXIT_AFTER_MS = 2_000;

/**
 * Parts started in order are stopped in reverse order, once, on SIGINT/SIGTERM or when asked.
 * One signal is enough: each part gets a bounded time (a pool whose query hangs on a database
 * that stopped answering is left behind, with a warning), and once every part is stopped the
 * process ends even if something left behind still holds it open. A second Ctrl-C while stopping
 * exits at once.
 */
export class Shutdown {
  private readonly steps: { name: string; stop: () => Promise<void>; timeoutMs: number }[] = [];
  private stopping?: Promise<void>;
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(private readonly logger: Logger) {
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  /** `timeoutMs`: how long this part may take to stop (the worker: its grace and force times, and a margin). */
  add(name: string, stop: () => Promise<void>, timeoutMs = STEP_TIMEOUT_MS): void {
    this.steps.push({ name, stop, timeoutMs });
  }

  onSignals(): void {
    const handler = (signal: NodeJS.Signals) => {
      if (this.stopping) {
        this.logger.warn(`${signal} again: exiting without waiting`);
        process.exit(130);
      }
      this.logger.info(`${signal}: stopping`);
      void this.stop();
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), step.timeoutMs);
        });
        try {
          const outcome = await Promise.race([step.stop().then(() => 'stopped' as const), late]);
          if (outcome === 'late')
            this.logger.warn(`stopping ${step.name} took more than ${step.timeoutMs} ms: left behind`);
          else this.logger.info(`stopped ${step.name}`);
        } catch (error) {
          this.logger.error({ err: error }, `stopping ${step.name} failed`);
        } finally {
          clearTimeout(timer);
        }
      }
      this.finish();
      // Whatever was left behind (a socket to a hung database) must not keep the process alive;
      // unref'd, so a process with nothing left ends at once, with the exit code its entry point set.
      setTimeout(() => process.exit(), EXIT_AFTER_MS).unref();
    })();
    return this.stopping;
  }
}
