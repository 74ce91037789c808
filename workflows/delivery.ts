import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

export interface DeliveryInput {
  deliveryId: number;
  /** How long to keep trying before the delivery is marked failed. */
  retryWindowMs: number;
  /** The longest wait between two attempts. */
  maxBackoffMs: number;
}

const { markDeliveryFailed } = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One message to one contact (id `delivery:<deliveryId>`): sent by an activity that Temporal
 * retries with exponential backoff for the whole retry window, so a receiver or mail server that is
 * away for an hour gets the message when it is back; after the window the delivery is marked
 * failed, for the coordinator to see.
 */
export async function deliveryWorkflow(input: DeliveryInput): Promise<'sent' | 'skipped' | 'failed'> {
  const { sendDelivery } = wf.proxyActivities<Activities>({
    // An SMTP send or a webhook call takes seconds; a worker that died mid-send is retried after this.
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: Math.max(1000, input.retryWindowMs),
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: Math.max(1000, input.maxBackoffMs),
    },
  });
  try {
    return await sendDelivery({ deliveryId: input.deliveryId });
  } catch (error) {
    const cause = error instanceof wf.ActivityFailure ? (error.cause ?? error) : error;
    const message = cause instanceof Error ? cause.message : String(cause);
    await markDeliveryFailed({ deliveryId: input.deliveryId, error: `retry window over: ${message}` });
    return 'failed';
  }
}
