import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { assignments, plans, tasks } from '../db/schema.ts';
import { visibleTo } from './assignment-reads.ts';

/**
 * A fingerprint of the assignments a principal may see: it changes whenever one of them is
 * projected anew (the projection bumps version and updated_at) or one appears. Cheap enough to be
 * polled each second per open event stream: one indexed aggregate, no rows sent.
 */
export async function assignmentsFingerprint(db: Database, principal: Principal): Promise<string> {
  const [row] = await db
    .select({
      count: sql<string>`count(*)::text`,
      versions: sql<string>`coalesce(sum(${assignments.version}), 0)::text`,
      latest: sql<string>`coalesce(max(${assignments.updatedAt})::text, '')`,
    })
    .from(assignments)
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .where(visibleTo(principal));
  return `${row?.count}:${row?.versions}:${row?.latest}`;
}
