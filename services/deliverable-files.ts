import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { openStatuses, type Actor, type AssignmentStatus } from '../domain/lifecycle.ts';
import { fileLockKey } from '../domain/ids.ts';
import { authorizeCommand, canRead, type Principal } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { deliverableFiles } from '../db/schema.ts';
import { findAssignmentRow, partiesOf } from './assignment-reads.ts';
import { recordAudit } from './audit.ts';
import { Conflict, Forbidden, Invalid, NotFound } from './errors.ts';
import { FileContentMissing, type FileStore } from './file-store.ts';

/**
 * The files sent with deliverables: stored once per content under their SHA-256 in a `FileStore`
 * (a directory or an S3-compatible bucket; the same scan sent twice takes no more room), described
 * by a row that says which assignment, who sent it and as what. The type is read from the bytes,
 * never trusted from the name.
 */

export const DELIVERABLE_FILE_LIMIT = 20 * 1024 * 1024;

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Types a browser may show in place: they run no script of ours' origin. Everything else is downloaded. */
export const INLINE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/webp']);

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** The content type the bytes are, when they are one we accept: PDF, DOCX, XLSX, PNG, JPEG, WebP. */
export function detectType(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (startsWith(bytes, 0x52, 0x49, 0x46, 0x46) && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    // An Office Open XML package names its main part in the zip directory, stored uncompressed.
    const names = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (names.includes('word/document.xml')) return DOCX_TYPE;
    if (names.includes('xl/workbook.xml')) return XLSX_TYPE;
  }
  return undefined;
}

export interface DeliverableFile {
  id: string;
  assignmentId: string;
  sha256: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  /** The submission (index in the assignment's submissions) it went with; null until submitted. */
  submission: number | null;
}

function toFile(row: typeof deliverableFiles.$inferSelect): DeliverableFile {
  return {
    id: row.id,
    assignmentId: row.assignmentId,
    sha256: row.sha256,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
    submission: row.submission,
  };
}

/** A file name as a person gave it, without any path and without control characters. */
function cleanName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return clean.slice(0, 200) || 'tep';
}

/** Files waiting for a submission, per assignment: enough for a document and its annexes. */
export const PENDING_FILES_LIMIT = 5;
/** Files an assignment keeps in all (submitted, returned, submitted again). */
export const FILES_PER_ASSIGNMENT = 30;

/**
 * Whether the principal may send a file to this assignment now: its lead agency, while the work is
 * open (a revised document may be sent while the first awaits review), below the assignment's bounds. Asked before the body is read, so that nobody can make the
 * server receive 20 MB for work that is not theirs, closed, or full.
 */
export async function checkFileUpload(db: Database, assignmentId: string, principal: Principal) {
  const row = await findAssignmentRow(db, assignmentId);
  const verdict = row ? authorizeCommand(principal, partiesOf(row), 'submitDeliverable') : 'hidden';
  if (verdict === 'hidden' || !row) throw new NotFound(`Không có nhiệm vụ ${assignmentId}.`);
  if (verdict === 'forbidden') throw new Forbidden('Chỉ cơ quan chủ trì được gửi tệp sản phẩm.');
  if (!openStatuses.includes(row.row.status as AssignmentStatus))
    throw new Conflict('Nhiệm vụ đã kết thúc (hoàn thành hoặc đã hủy); không gửi thêm tệp được.');
  const [counts] = await db
    .select({
      all: sql<number>`count(*)::int`,
      pending: sql<number>`(count(*) filter (where ${deliverableFiles.submission} is null))::int`,
    })
    .from(deliverableFiles)
    .where(eq(deliverableFiles.assignmentId, row.row.id));
  if ((counts?.pending ?? 0) >= PENDING_FILES_LIMIT)
    throw new Invalid(
      `Nhiệm vụ đã có ${PENDING_FILES_LIMIT} tệp chưa nộp kèm sản phẩm; hãy nộp sản phẩm với một tệp trong số đó (tệp không dùng đến được xóa sau một ngày).`,
      [{ field: 'file', message: 'quá số tệp chờ nộp' }],
    );
  if ((counts?.all ?? 0) >= FILES_PER_ASSIGNMENT)
    throw new Invalid(`Nhiệm vụ đã có ${FILES_PER_ASSIGNMENT} tệp, đạt giới hạn; không thể gửi thêm.`, [
      { field: 'file', message: 'quá số tệp của nhiệm vụ' },
    ]);
  return row;
}

/** Sends a file to go with the assignment's next deliverable (lead agency). */
export async function storeDeliverableFile(
  db: Database,
  files: FileStore,
  input: { assignmentId: string; principal: Principal; actor: Actor; bytes: Uint8Array; fileName?: string },
): Promise<DeliverableFile> {
  // Asked again after the body: the state may have changed while it came.
  const row = await checkFileUpload(db, input.assignmentId, input.principal);
  if (input.bytes.byteLength === 0) throw new Invalid('Tệp trống.', [{ field: 'file', message: 'tệp trống' }]);
  if (input.bytes.byteLength > DELIVERABLE_FILE_LIMIT)
    throw new Invalid(`Tệp lớn hơn ${DELIVERABLE_FILE_LIMIT / 1024 / 1024} MB.`, [
      { field: 'file', message: 'quá lớn' },
    ]);
  const contentType = detectType(input.bytes);
  if (!contentType)
    throw new Invalid('Chỉ nhận tệp PDF, DOCX, XLSX hoặc ảnh (PNG, JPEG, WebP).', [
      { field: 'file', message: 'loại tệp không được nhận' },
    ]);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  return db.transaction(async (tx) => {
    // The content first, under the content's lock: a row never names bytes that are not there,
    // and the removal of files never attached cannot take these bytes away meanwhile.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${fileLockKey(sha256)}))`);
    await files.put(sha256, input.bytes);
    const [stored] = await tx
      .insert(deliverableFiles)
      .values({
        assignmentId: row.row.id,
        sha256,
        fileName: cleanName(input.fileName),
        contentType,
        size: input.bytes.byteLength,
        uploadedBy: input.principal.name,
      })
      .returning();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'file-upload',
      entityType: 'assignment',
      entityId: row.row.id,
      details: { file: stored!.id, sha256, fileName: stored!.fileName, contentType, size: stored!.size },
    });
    return toFile(stored!);
  });
}

/** The files of one assignment not yet sent with a submission, or undefined if `fileId` is not one of them. */
export async function pendingFile(db: Database, assignmentId: string, fileId: string): Promise<DeliverableFile> {
  const [row] = await db
    .select()
    .from(deliverableFiles)
    .where(
      and(
        eq(deliverableFiles.id, fileId),
        eq(deliverableFiles.assignmentId, assignmentId),
        isNull(deliverableFiles.submission),
      ),
    );
  if (!row)
    throw new Invalid('Tệp đính kèm không thuộc nhiệm vụ này hoặc đã được nộp.', [
      { field: '/file', message: 'không dùng được' },
    ]);
  return toFile(row);
}

/**
 * Checks that every file a report's documents name belongs to the assignment (sent or not yet
 * sent with a deliverable): a document may point to the plan, the decision, the letter it lists.
 */
export async function filesOfAssignment(db: Database, assignmentId: string, fileIds: (string | undefined)[]) {
  const wanted = [...new Set(fileIds.filter((f): f is string => f !== undefined))];
  if (wanted.length === 0) return;
  const rows = await db
    .select({ id: deliverableFiles.id })
    .from(deliverableFiles)
    .where(and(eq(deliverableFiles.assignmentId, assignmentId), inArray(deliverableFiles.id, wanted)));
  const known = new Set(rows.map((r) => r.id));
  const index = fileIds.findIndex((f) => f !== undefined && !known.has(f));
  if (index >= 0)
    throw new Invalid(`Tệp của văn bản thứ ${index + 1} không thuộc nhiệm vụ này.`, [
      { field: `/documents/${index}/file`, message: 'không thuộc nhiệm vụ này' },
    ]);
}

/** The files of an assignment, for whoever may read it. */
export async function listDeliverableFiles(
  db: Database,
  assignmentId: string,
  principal: Principal,
): Promise<DeliverableFile[]> {
  const row = await findAssignmentRow(db, assignmentId);
  if (!row || !canRead(principal, partiesOf(row))) throw new NotFound(`Không có nhiệm vụ ${assignmentId}.`);
  return (
    await db
      .select()
      .from(deliverableFiles)
      .where(eq(deliverableFiles.assignmentId, row.row.id))
      .orderBy(asc(deliverableFiles.uploadedAt))
  ).map(toFile);
}

/** One file and its content, only for whoever may read its assignment (others: not found). */
export async function readDeliverableFile(
  db: Database,
  files: FileStore,
  fileId: string,
  principal: Principal,
): Promise<{ file: DeliverableFile; content: Readable }> {
  const [row] = await db.select().from(deliverableFiles).where(eq(deliverableFiles.id, fileId));
  const assignment = row ? await findAssignmentRow(db, row.assignmentId) : undefined;
  if (!row || !assignment || !canRead(principal, partiesOf(assignment))) throw new NotFound('Không có tệp này.');
  try {
    return { file: toFile(row), content: await files.get(row.sha256) };
  } catch (error) {
    // The row outlived its bytes (a bucket emptied by hand, a restore without the files): say so.
    if (error instanceof FileContentMissing)
      throw new NotFound('Tệp này không còn trong kho lưu trữ; hãy báo cơ quan thường trực.');
    throw error;
  }
}
