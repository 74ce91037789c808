import { and, eq, inArray } from 'drizzle-orm';
import { openStatuses, type Actor } from '../domain/lifecycle.ts';
import { assignments } from '../db/schema.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';
import { sendCommand } from './assignment-commands.ts';
import { inRegistry } from './assignment-reads.ts';
import { forEachLimited } from './workflow-dispatch.ts';

export interface BulkReassignResult {
  reassigned: string[];
  refused: { id: string; reason: string }[];
}

/**
 * Moves every open assignment of one agency to another (the 2025 mergers: a department's work
 * goes to its successor), one Update per workflow, so each keeps its history and its timers.
 */
export async function reassignOpenAssignments(
  deps: ServiceDeps,
  options: { from: string; to: string; reason: string; actor: Actor; planId?: string; registry?: string },
): Promise<BulkReassignResult> {
  const open = await deps.db
    .select({ id: assignments.id })
    .from(assignments)
    .where(
      and(
        eq(assignments.agencyCode, options.from),
        inArray(assignments.status, [...openStatuses]),
        ...(options.planId ? [eq(assignments.planId, options.planId)] : []),
        inRegistry(options.registry),
      ),
    )
    .orderBy(assignments.id);
  const result: BulkReassignResult = { reassigned: [], refused: [] };
  await forEachLimited(open, 16, async ({ id }) => {
    try {
      await sendCommand(deps, id, options.actor, { type: 'reassign', toAgency: options.to, reason: options.reason });
      result.reassigned.push(id);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      result.refused.push({ id, reason: error.message });
    }
  });
  result.reassigned.sort();
  return result;
}
