import * as wf from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Activities, RecordAssignmentInput } from '../activities/index.ts';
import { UNPROJECTED_PLAN_ATTRIBUTE } from '../domain/search-attributes.ts';
import type { Patches } from './assignment-patches.ts';

const { recordAssignment } = wf.proxyActivities<Activities>({
  // A transaction of a few rows; a worker lost mid-write is noticed and retried after this.
  startToCloseTimeout: '10 seconds',
  // No attempt limit: while the database is down the read model waits, nothing is lost.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// The same write, tried first inside the workflow task: no activity task and no second workflow
// task, which halves what the Temporal server does per change (BENCHMARKS.md, late-marks). One
// short attempt only: if it fails (database away) the write falls back to the activity above, so
// commands keep being accepted while it retries.
const { recordAssignment: recordAssignmentInTask } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});

const unprojectedPlan = defineSearchAttributeKey(UNPROJECTED_PLAN_ATTRIBUTE, SearchAttributeType.KEYWORD);

/**
 * Writes one change (its snapshot and records) to the read model: inside the workflow task first,
 * else as an activity retried until the database takes it. While that retry lasts, the plan's marks,
 * which read the read model, are told to wait (the search attribute).
 */
export async function writeToReadModel(write: RecordAssignmentInput, patches: Patches, planId: string): Promise<void> {
  if (patches.recordInTask()) {
    try {
      await recordAssignmentInTask(write);
      return;
    } catch (error) {
      wf.log.warn('projection failed in the workflow task; retrying as an activity', {
        assignmentId: write.snapshot.id,
        error: String(error),
      });
    }
  }
  if (patches.unprojectedVisible) wf.upsertSearchAttributes([{ key: unprojectedPlan, value: planId }]);
  await recordAssignment(write);
  if (patches.unprojectedVisible) wf.upsertSearchAttributes([{ key: unprojectedPlan, value: null }]);
}
