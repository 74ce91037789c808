import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { deliveryWorkflow } from './delivery.ts';

export interface DeliveryDispatcherInput {
  /** The next digest, carried over a continue-as-new. */
  nextDigest?: { day: string; at: string };
}

const { deliverySettings, nextDigest } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

// No attempt limit: while the database is down, delivery waits; nothing is lost. A batch takes well
// under a second; a short timeout lets another worker take over soon after one dies.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { planDeliveries, undispatchedDeliveries, markDispatched } = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry,
});
const { composeDigests } = wf.proxyActivities<Activities>({ startToCloseTimeout: '10 minutes', retry });
// A batch sends a hundred messages in seconds; its heartbeat every 2 s lets another worker take the
// batch over soon after one dies (what was recorded as sent is not sent again).
const { sendDeliveries } = wf.proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
});

const PLAN_BATCH = 1000;
/** Deliveries read at a time; before 'delivery-sent-in-batches', each started its own workflow. */
const DISPATCH_BATCH = 200;
const DISPATCH_BATCH_SENT_IN_BATCHES = 500;
/** Deliveries of one send activity; the batches of one read go out side by side. */
const SEND_BATCH = 100;
/**
 * Send activities at once after 'delivery-pipelined': as one ends, the next batch is read and
 * started, so the mail server is never left waiting for the slowest batch of a round.
 */
const SENDS_IN_FLIGHT = 4;
/**
 * Deliveries handled before the run continues as new, to keep its history small (about 18 events a
 * batch of 100: some 1,800 for a run, far below what Temporal suggests continuing at). Before
 * 'delivery-longer-runs', 1,000: a morning of 10,000 e-mails continued as new ten times, and each
 * time its batches in flight drained to none before the next run started sending.
 */
const DELIVERIES_PER_RUN = 10_000;
const DELIVERIES_PER_RUN_BEFORE_LONGER_RUNS = 1000;

/**
 * The deployment's one delivery dispatcher (id `dondoc-delivery`): it turns new notifications into
 * deliveries, makes the first attempt at each in batches (`sendDeliveries`), starts a
 * `deliveryWorkflow` for each message whose first attempt failed, to retry it with backoff (its id,
 * `delivery:<id>`, makes a second start a no-op), and composes the digests at 08:00 on working days.
 * It keeps only a small state and continues as new; every fact lives in PostgreSQL.
 */
export async function deliveryDispatcherWorkflow(input: DeliveryDispatcherInput = {}): Promise<void> {
  // Before this patch every message had its own workflow from the start: 10,000 escalations of one
  // morning were 10,000 workflows, and took minutes to send. Decided before the first activity.
  const sentInBatches = wf.patched('delivery-sent-in-batches');
  // Before this patch, a round's batches were read together and the next round waited for them all.
  const pipelined = sentInBatches && wf.patched('delivery-pipelined');
  const perRun =
    pipelined && wf.patched('delivery-longer-runs') ? DELIVERIES_PER_RUN : DELIVERIES_PER_RUN_BEFORE_LONGER_RUNS;
  const dispatchBatch = sentInBatches ? DISPATCH_BATCH_SENT_IN_BATCHES : DISPATCH_BATCH;
  const settings = await deliverySettings();
  let digest = input.nextDigest ?? (await nextDigest({ afterMs: Date.now() }));
  let handled = 0;

  for (;;) {
    if (Date.now() >= Date.parse(digest.at)) {
      await composeDigests({ day: digest.day });
      // A worker away for days sends the missed day's digest once, then keeps to the calendar.
      digest = await nextDigest({ afterMs: Math.max(Date.now(), Date.parse(digest.at)) });
    }
    while ((await planDeliveries({ limit: PLAN_BATCH })).more);
    const full = (more = 0) => handled + more >= perRun || wf.workflowInfo().continueAsNewSuggested;
    // Checked inside the loop too: a backlog of thousands would otherwise grow one run's history
    // until replaying it outlasts a workflow task.
    if (pipelined) handled += await dispatchPipelined(settings, full);
    else
      while (!full()) {
        const ids = await undispatchedDeliveries({ limit: dispatchBatch });
        const retried = sentInBatches ? await sendInBatches(ids) : ids;
        await Promise.all(retried.map((id) => startDelivery(id, settings)));
        await markDispatched({ ids });
        handled += ids.length;
        if (ids.length < dispatchBatch) break;
      }
    if (full()) {
      await wf.continueAsNew<typeof deliveryDispatcherWorkflow>({ nextDigest: digest });
    }
    // A timer, as before: the 'deliveryPoke' signal that could cut it short was never sent, and is gone.
    const untilDigest = Math.max(0, Date.parse(digest.at) - Date.now());
    await wf.sleep(Math.min(settings.pollIntervalMs, untilDigest));
  }
}

/**
 * First attempts, SENDS_IN_FLIGHT batches at a time: each read starts after the last id read (what
 * is in flight is not marked dispatched yet), each batch retries its failures by their own workflows
 * and is then marked dispatched. Stops when nothing is left or the run is full; returns how many
 * deliveries it took.
 */
async function dispatchPipelined(settings: DeliveryTiming, full: (more: number) => boolean): Promise<number> {
  const inFlight = new Set<Promise<void>>();
  let taken = 0;
  let afterId = 0;
  for (;;) {
    while (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
    if (full(taken)) break;
    const ids = await undispatchedDeliveries({ limit: SEND_BATCH, afterId });
    if (ids.length === 0) break;
    afterId = ids[ids.length - 1]!;
    taken += ids.length;
    const batch = sendBatch(ids, settings);
    inFlight.add(batch);
    const done = () => void inFlight.delete(batch);
    batch.then(done, done);
    if (ids.length < SEND_BATCH) break;
  }
  await Promise.all(inFlight);
  return taken;
}

/** One batch's first attempts; its failures handed to their own workflows; then marked dispatched. */
async function sendBatch(ids: number[], settings: DeliveryTiming): Promise<void> {
  const { failed } = await sendDeliveries({ ids });
  await Promise.all(failed.map((id) => startDelivery(id, settings)));
  await markDispatched({ ids });
}

/** First attempts, a batch per activity; returns the deliveries whose first attempt failed. */
async function sendInBatches(ids: number[]): Promise<number[]> {
  const batches: number[][] = [];
  for (let i = 0; i < ids.length; i += SEND_BATCH) batches.push(ids.slice(i, i + SEND_BATCH));
  const results = await Promise.all(batches.map((batch) => sendDeliveries({ ids: batch })));
  return results.flatMap((r) => r.failed);
}

type DeliveryTiming = { retryWindowMs: number; maxBackoffMs: number };

async function startDelivery(deliveryId: number, settings: DeliveryTiming): Promise<void> {
  try {
    await wf.startChild(deliveryWorkflow, {
      workflowId: `delivery:${deliveryId}`,
      args: [{ deliveryId, retryWindowMs: settings.retryWindowMs, maxBackoffMs: settings.maxBackoffMs }],
      // The message goes on when the dispatcher continues as new.
      parentClosePolicy: 'ABANDON',
      // A delivery is started once: a start after a crash, before it was marked dispatched, is a no-op.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError') return;
    throw error;
  }
}
