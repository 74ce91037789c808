import { notificationForAssignment } from '../domain/notifications.ts';
import type { Database } from '../db/client.ts';
import { notifications, type assignments } from '../db/schema.ts';
import { noticeKey } from '../domain/record-keys.ts';

// A clerk hears that their agency was given a task: an `assigned` notification to the lead agency,
// written by the import in the same transaction as the assignment's row. The workflow records
// nothing new for it, so running workflows replay as before.

type NewAssignment = typeof assignments.$inferInsert;

/**
 * Writes the `assigned` notice of each new assignment still to be done (an imported task already
 * finished tells nobody), once per assignment and lead whatever the retries.
 */
export async function noticeAssignments(
  tx: Pick<Database, 'insert'>,
  rows: readonly NewAssignment[],
  facts: { planCode: string; task: (taskId: string) => { number: string; title: string } | undefined },
): Promise<void> {
  const now = new Date();
  const values = rows.flatMap((a) => {
    const task = facts.task(a.taskId);
    if (!task || a.status !== 'assigned') return [];
    const draft = notificationForAssignment({
      assignmentId: a.id,
      taskNumber: task.number,
      taskTitle: task.title,
      planCode: facts.planCode,
      agencyCode: a.agencyCode,
      collaboratorCodes: [],
      effectiveDue: a.effectiveDue ?? null,
    });
    return [
      {
        assignmentId: a.id,
        recipientAgency: a.agencyCode,
        kind: draft.kind,
        text: draft.text,
        link: draft.link,
        createdAt: now,
        dedupeKey: noticeKey(a.id, 'assigned', draft),
      },
    ];
  });
  for (let i = 0; i < values.length; i += 2000)
    await tx
      .insert(notifications)
      .values(values.slice(i, i + 2000))
      .onConflictDoNothing({ target: notifications.dedupeKey });
}
