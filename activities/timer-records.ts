import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { notificationsForEvent } from '../domain/notifications.ts';
import { changeAuditKey, noticeKey } from '../domain/record-keys.ts';
import type { ScheduleEvent } from '../domain/schedule.ts';
import { timerKey } from '../domain/timer-effects.ts';

/** An assignment a plan's timer concerns, as the read model has it. */
export interface TimedAssignment {
  id: string;
  status: string;
  agencyCode: string;
  taskNumber: string;
  taskTitle: string;
  planCode: string;
  effectiveDue: string | null;
}

/**
 * The audit entry and the notifications of one of the plan's timers for every assignment it
 * concerns, one statement per table, each record keyed as the assignment's own timer keys it
 * (domain/record-keys.ts): a retry, or the assignment taking the timer in itself, writes nothing twice.
 * `action` names the audit entry and the notifications' kind; `period` (a report's) or `level` (an
 * escalation's) go with the notifications.
 */
export async function writeTimerRecords(
  tx: Pick<Database, 'execute'>,
  event: ScheduleEvent,
  rows: TimedAssignment[],
  options: { action: string; period?: string; level?: number },
): Promise<void> {
  const key = timerKey(event);
  const note = {
    ids: [] as string[],
    agencies: [] as (string | null)[],
    roles: [] as (string | null)[],
    texts: [] as string[],
    links: [] as string[],
    keys: [] as string[],
  };
  for (const r of rows) {
    const drafts = notificationsForEvent(event, {
      assignmentId: r.id,
      taskNumber: r.taskNumber,
      taskTitle: r.taskTitle,
      planCode: r.planCode,
      agencyCode: r.agencyCode,
      collaboratorCodes: [],
      effectiveDue: r.effectiveDue,
    });
    for (const d of drafts) {
      note.ids.push(r.id);
      note.agencies.push('agencyCode' in d.recipient ? d.recipient.agencyCode : null);
      note.roles.push('role' in d.recipient ? d.recipient.role : null);
      note.texts.push(d.text);
      note.links.push(d.link);
      note.keys.push(noticeKey(r.id, key, d));
    }
  }
  const ids = rows.map((r) => r.id);
  const statuses = rows.map((r) => r.status);
  const auditKeys = ids.map((id) => changeAuditKey(id, key));
  await tx.execute(sql`
    insert into audit_log (at, actor, action, entity_type, entity_id, from_state, to_state, details, dedupe_key)
    select ${event.at}::timestamptz, 'system:timer', ${options.action}, 'assignment', u.id, u.status, u.status, ${JSON.stringify(event)}::jsonb, u.key
    from unnest(${sql.param(ids)}::text[], ${sql.param(statuses)}::text[], ${sql.param(auditKeys)}::text[]) as u(id, status, key)
    on conflict (dedupe_key) do nothing`);
  await tx.execute(sql`
    insert into notifications (assignment_id, recipient_agency, recipient_role, kind, period, level, text, link, created_at, dedupe_key)
    select u.id, u.agency, u.role, ${options.action}, ${options.period ?? null}, ${options.level ?? null}::int, u.text, u.link, ${event.at}::timestamptz, u.key
    from unnest(${sql.param(note.ids)}::text[], ${sql.param(note.agencies)}::text[], ${sql.param(note.roles)}::text[], ${sql.param(note.texts)}::text[], ${sql.param(note.links)}::text[], ${sql.param(note.keys)}::text[])
      as u(id, agency, role, text, link, key)
    on conflict (dedupe_key) do nothing`);
}
