import type { Logger } from './logger.ts';

/**
 * Parts started in order are stopped in reverse order, once, on SIGINT/SIGTERM or when asked.
 * A second Ctrl-C while stopping exits at once.
 */
export class Shutdown {
  private readonly steps: { name: string; stop: () => Promise<void> }[] = [];
  private stopping?: Promise<void>;
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(private readonly logger: Logger) {
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  add(name: string, stop: () => Promise<void>): void {
    this.steps.push({ name, stop });
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
        try {
          await step.stop();
          this.logger.info(`stopped ${step.name}`);
        } catch (error) {
          this.logger.error({ err: error }, `stopping ${step.name} failed`);
        }
      }
      this.finish();
    })();
    return this.stopping;
  }
}
