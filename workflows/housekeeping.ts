import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

export interface HousekeepingInput {
  /** Where the search for stopped assignments resumes (ISO), carried over a continue-as-new. */
  stoppedSince?: string;
  /** When files were last swept (epoch ms). */
  filesSweptAt?: number;
}

const { housekeepingSettings } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});
// No attempt limit: while Temporal's visibility or the database is away, the next round waits.
const { findStoppedAssignments, removeOrphanFiles } = wf.proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Rounds before the run continues as new, to keep its history small. */
const ROUNDS_PER_RUN = 200;

/**
 * The deployment's housekeeping (id `dondoc-housekeeping`, started by every worker process; the id
 * makes later starts no-ops): every round it looks for assignment workflows that Temporal closed
 * while their work is open, so the coordinator sees them within minutes and can restart them, and
 * now and then removes deliverable files that never went with a submission.
 */
export async function housekeepingWorkflow(input: HousekeepingInput = {}): Promise<void> {
  const settings = await housekeepingSettings();
  // The first run looks at every run ever closed: a stop from before the watch is found too.
  let stoppedSince = input.stoppedSince ?? new Date(0).toISOString();
  let filesSweptAt = input.filesSweptAt ?? 0;
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    stoppedSince = (await findStoppedAssignments({ since: stoppedSince })).until;
    if (settings.filesSweepMs !== null && Date.now() - filesSweptAt >= settings.filesSweepMs) {
      await removeOrphanFiles({ olderThanMs: settings.orphanFileAgeMs });
      filesSweptAt = Date.now();
    }
    await wf.sleep(settings.roundMs);
  }
  await wf.continueAsNew<typeof housekeepingWorkflow>({ stoppedSince, filesSweptAt });
}
