import { fold } from './text.ts';

/** "2866/QĐ-UBND" → "2866-qd-ubnd": safe in URLs and workflow IDs, stable across imports. */
export function slugify(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The business ID of an assignment, also its workflow ID: plan, task number, and the agency it
 * was first given to (it keeps the ID when reassigned).
 */
export function assignmentId(planSlug: string, taskNumber: string, agencyCode: string): string {
  return `${planSlug}:${taskNumber}:${agencyCode}`;
}

/**
 * The advisory lock a deliverable file's content (its SHA-256) is guarded by: taken by the upload
 * around storing the bytes and writing their row, and by the removal of files never attached, so
 * neither sees the other half done.
 */
export const fileLockKey = (sha256: string) => `file:${sha256}`;
