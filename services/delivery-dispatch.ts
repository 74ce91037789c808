import type { Client } from '@temporalio/client';
import type { deliveryDispatcherWorkflow } from '../workflows/delivery-dispatcher.ts';

/** The deployment's one delivery dispatcher (workflows/delivery-dispatcher.ts). */
export const DELIVERY_DISPATCHER_ID = 'dondoc-delivery';

/**
 * Starts the dispatcher unless it runs already: every worker process calls this at start, and the
 * workflow id makes the calls after the first no-ops.
 */
export async function ensureDeliveryDispatcher(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.start<typeof deliveryDispatcherWorkflow>('deliveryDispatcherWorkflow', {
    workflowId: DELIVERY_DISPATCHER_ID,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}
