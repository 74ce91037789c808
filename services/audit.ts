import { actorName, type Actor } from '../domain/lifecycle.ts';
import type { Database } from '../db/client.ts';
import { auditLog, type AuditDetails } from '../db/schema.ts';

/** A database handle or an open transaction: an audit entry is written with the change it records. */
export type Writer = Pick<Database, 'insert'>;

export interface AuditEntry {
  actor: Actor;
  /** What was done, as a verb: "token-create", "agency-merge", "plan-import". */
  action: string;
  entityType: string;
  entityId: string;
  from?: string | null;
  to?: string | null;
  details?: AuditDetails;
}

/** Records who changed what, when, from what to what: the permanent trail beside the change. */
export async function recordAudit(db: Writer, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actor: actorName(entry.actor),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    fromState: entry.from ?? null,
    toState: entry.to ?? null,
    details: entry.details ?? {},
  });
}
