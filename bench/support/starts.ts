import type { Client } from '@temporalio/client';
import { forEachLimited } from '../../services/workflow-dispatch.ts';

/** The dispatcher's START_CONCURRENCY (services/workflow-dispatch.ts): the ceiling starts at the same pace. */
export const DISPATCH_CONCURRENCY = 64;

/** Starts one workflow per id with the client, at most DISPATCH_CONCURRENCY at once, as the dispatcher does. */
export async function startMany(
  client: Client,
  options: {
    ids: string[];
    workflowType: string;
    taskQueue: string;
    args: (id: string) => unknown[];
  },
): Promise<void> {
  await forEachLimited(options.ids, DISPATCH_CONCURRENCY, async (id) => {
    await client.workflow.start(options.workflowType, {
      taskQueue: options.taskQueue,
      workflowId: id,
      args: options.args(id),
      // The dispatcher's policies, so the server does the same checks for both.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  });
}
