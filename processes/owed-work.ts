import type { Logger } from '../runtime/logger.ts';
import { announceCalendarChange } from '../services/calendar-change.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { dispatchPlan } from '../services/workflow-dispatch.ts';

/** How often the worker side retries what an import still owes, and a calendar announcement. */
const OWED_WORK_INTERVAL_MS = 30_000;

export interface OwedWork {
  stop(): Promise<void>;
}

/**
 * The rounds a deployment owes its workflows, run beside the worker (never in an API replica):
 * tell running workflows once of new calendar data, and retry the workflow starts and commands an
 * import committed but could not send (Temporal away). Several workers may run a round at once:
 * a start names its workflow by the business ID and joins it if it runs already, a command the
 * workflow has applied is refused and counted as done, and the calendar's version is stored only
 * after every workflow was told — so each item is done once, and a round cut short is done again.
 * No lock is held across a round: the embedded database serves one transaction at a time, and a
 * round holding one would wait on its own queries.
 */
export function runOwedWork(options: {
  deps: ServiceDeps;
  logger: Logger;
  /** The calendar data this process loaded (runtime/calendar-files.ts). */
  calendarVersion: string;
  intervalMs?: number;
}): OwedWork {
  const { deps, logger } = options;
  const round = async () => {
    try {
      const told = await announceCalendarChange(deps, options.calendarVersion);
      if (told.changed)
        logger.info(
          { version: options.calendarVersion, assignments: told.assignments, plans: told.plans },
          'calendar data changed: running workflows plan their timers again',
        );
    } catch (error) {
      logger.warn({ err: error }, 'telling running workflows of the new calendar failed; will retry');
    }
    try {
      const { started, sent, failed } = await dispatchPlan(deps);
      if (started + sent + failed > 0)
        logger.info({ started, sent, failed }, 'dispatched owed workflow starts and commands');
    } catch (error) {
      logger.warn({ err: error }, 'dispatch of owed work failed; will retry');
    }
  };
  let running: Promise<void> | undefined;
  // A round still going when the next is due (a long outage's backlog) is not doubled.
  const tick = () => {
    running ??= round().finally(() => {
      running = undefined;
    });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? OWED_WORK_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      // A round in flight may finish within a second; one stuck on a database that stopped
      // answering is left behind (it is done again at the next start), so stopping stays prompt.
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    },
  };
}
