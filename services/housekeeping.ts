import type { Client } from '@temporalio/client';
import type { housekeepingWorkflow } from '../workflows/housekeeping.ts';

/** The deployment's one housekeeping workflow (workflows/housekeeping.ts). */
export const HOUSEKEEPING_ID = 'dondoc-housekeeping';

/**
 * Starts the housekeeping unless it runs already: every worker process calls this at start, and the
 * workflow id makes the calls after the first no-ops.
 */
export async function ensureHousekeeping(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.start<typeof housekeepingWorkflow>('housekeepingWorkflow', {
    workflowId: HOUSEKEEPING_ID,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}
