import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { auditLog, deliverableFiles } from '../db/schema.ts';
import { fileLockKey } from '../domain/ids.ts';
import type { FileStore } from '../services/file-store.ts';

export interface OrphanFilesInput {
  /** Files sent this long ago and never attached to a submission are removed. */
  olderThanMs: number;
}

/** At most this many files a round; the next round takes the rest. */
const PER_ROUND = 200;

/**
 * Removes deliverable files that were uploaded but never went with a submission: their rows (each
 * audited), and their content once no other row names it. The upload takes the same lock on the
 * content's hash around storing it and writing its row, so content is never removed under a row
 * that is being written.
 */
export async function removeOrphanFiles(
  db: Database,
  files: FileStore,
  input: OrphanFilesInput,
): Promise<{ removed: number }> {
  const stale = await db
    .select({ id: deliverableFiles.id, sha256: deliverableFiles.sha256, assignmentId: deliverableFiles.assignmentId })
    .from(deliverableFiles)
    .where(
      and(
        isNull(deliverableFiles.submission),
        lt(deliverableFiles.uploadedAt, new Date(Date.now() - input.olderThanMs)),
      ),
    )
    .limit(PER_ROUND);
  let removed = 0;
  for (const sha256 of new Set(stale.map((f) => f.sha256))) {
    const rows = stale.filter((f) => f.sha256 === sha256);
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${fileLockKey(sha256)}))`);
      const gone = await tx
        .delete(deliverableFiles)
        .where(
          and(
            inArray(
              deliverableFiles.id,
              rows.map((r) => r.id),
            ),
            isNull(deliverableFiles.submission),
          ),
        )
        .returning({ id: deliverableFiles.id, assignmentId: deliverableFiles.assignmentId });
      if (gone.length === 0) return;
      await tx.insert(auditLog).values(
        gone.map((f) => ({
          actor: 'system:housekeeping',
          action: 'file-expire',
          entityType: 'assignment',
          entityId: f.assignmentId,
          details: { file: f.id, sha256 },
        })),
      );
      const [kept] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(deliverableFiles)
        .where(eq(deliverableFiles.sha256, sha256));
      // Removed before the commit: a failure leaves the rows, which the next round tries again.
      if ((kept?.n ?? 0) === 0) await files.remove(sha256);
      removed += gone.length;
    });
  }
  return { removed };
}
