import type { Client } from '@temporalio/client';
import { UNPROJECTED_PLAN_ATTRIBUTE } from '../domain/search-attributes.ts';
import { ApplicationFailure } from '@temporalio/common';

/** Thrown while assignments of the plan have changes (or their start) not yet in the read model; the mark is retried. */
export class AssignmentsNotProjected extends Error {}

/** How long a plan's mark waits for its assignments' writes before it marks anyway: one stuck workflow must not hold back the plan. */
export const PROJECTION_WAIT_MS = 10 * 60_000;

/**
 * Throws `AssignmentsNotProjected` (the mark is retried) while an assignment of the plan holds a
 * change the read model lacks: a report it accepted in time, not yet written, must not be marked
 * late (RELIABILITY.md, finding 7). The assignments say so in a search attribute
 * (domain/search-attributes.ts). If the namespace cannot answer, the mark goes on as before.
 */
export async function refuseWhileUnprojected(
  client: Client,
  planId: string,
  warn: (message: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  let pending: number;
  try {
    const query = `${UNPROJECTED_PLAN_ATTRIBUTE} = ${JSON.stringify(planId)} AND ExecutionStatus = 'Running'`;
    pending = (await client.workflow.count(query)).count;
  } catch (error) {
    warn('could not ask which assignments wait for their writes; marking without waiting', {
      planId,
      error: String(error),
    });
    return;
  }
  if (pending > 0)
    throw new AssignmentsNotProjected(
      `${pending} assignments of plan ${planId} hold changes not yet written to the read model; the mark waits for them`,
    );
}

/**
 * Runs a plan's mark; while it waits for assignments' writes it is retried every 2 s rather than
 * on the growing backoff of a failure: a write normally lands within seconds of the database's return.
 */
export async function retriedSoonWhileUnprojected<T>(mark: () => Promise<T>): Promise<T> {
  try {
    return await mark();
  } catch (error) {
    if (!(error instanceof AssignmentsNotProjected)) throw error;
    throw ApplicationFailure.create({
      type: 'AssignmentsNotProjected',
      message: error.message,
      nextRetryDelay: '2 seconds',
    });
  }
}
