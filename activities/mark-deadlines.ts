import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { withLeadStatuses } from '../domain/lifecycle.ts';
import { notificationsForEvent } from '../domain/notifications.ts';
import type { PlanDeadlineTimer } from '../domain/schedule.ts';
import { timerKey } from '../domain/timer-effects.ts';
import { changeAuditKey, noticeKey } from '../domain/record-keys.ts';

export interface MarkDeadlinesInput {
  planId: string;
  /** The timers whose instant has come, in order; `realAt` is each instant in real time (it differs on a simulated clock). */
  timers: (PlanDeadlineTimer & { realAt: string })[];
}

interface Concerned extends Record<string, unknown> {
  id: string;
  agency_code: string;
  status: string;
  task_number: string;
  task_title: string;
  plan_code: string;
}

/** The audit entry's key for a fired due reminder or escalation: the assignment's own timer uses the same one. */

/**
 * The due reminders and escalation steps that fall at one instant for every assignment of a plan
 * sharing a due day, in one transaction: for each timer, every concerned assignment gets what its
 * own timer would have written (audit entry, notifications; for an escalation the escalation row
 * and the level in the read model), with one statement per table.
 *
 * Concerned: open with the lead, due that day, a date or a range (a recurring task's cycles keep
 * their own timers), projected, and imported before the instant (a later one planned its timers
 * after it). An escalation skips those already at its level or above.
 *
 * Idempotent: every record carries the key the assignment's own timer uses, so a retry, or an
 * assignment that fired the timer itself (it takes the plan's timers in when it next runs, and
 * its write lands first if this one is late), writes nothing twice.
 */
export async function markDeadlines(db: Database, input: MarkDeadlinesInput): Promise<{ marked: number }> {
  const { planId, timers } = input;
  if (timers.length === 0) return { marked: 0 };
  const withLead = inArray(sql`a.status`, [...withLeadStatuses]);
  const dated = sql`a.deadline->>'kind' in ('date', 'range')`;
  return db.transaction(async (tx) => {
    // Every row this transaction may change, locked at once in the projection's order (by id):
    // a projection in flight is either in before the marks or waits for them.
    const days = [...new Set(timers.map((t) => t.effectiveDue))];
    await tx.execute(sql`
      select a.id from assignments a
      where a.plan_id = ${planId} and a.effective_due = any(${sql.param(days)}::date[]) and ${withLead} and ${dated}
      order by a.id for update of a`);

    let marked = 0;
    for (const { event, effectiveDue, realAt } of timers) {
      const escalation = event.kind === 'escalation' ? event : null;
      const { rows } = await tx.execute<Concerned>(sql`
        select a.id, a.agency_code, a.status,
               coalesce(a.state->>'taskNumber', t.key) as task_number,
               coalesce(a.state->>'taskTitle', t.title) as task_title,
               coalesce(a.state->>'planCode', p.code) as plan_code
        from assignments a
        join tasks t on t.id = a.task_id
        join plans p on p.id = a.plan_id
        where a.plan_id = ${planId} and a.effective_due = ${effectiveDue}::date and ${withLead} and ${dated}
          and a.version > 0 and a.created_at <= ${realAt}::timestamptz
          ${escalation ? sql`and a.escalation_level < ${escalation.level}` : sql``}
        order by a.id`);
      if (rows.length === 0) continue;
      marked += rows.length;

      const ids = rows.map((r) => r.id);
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
          taskNumber: r.task_number,
          taskTitle: r.task_title,
          planCode: r.plan_code,
          agencyCode: r.agency_code,
          collaboratorCodes: [],
          effectiveDue,
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

      if (escalation) {
        await tx.execute(sql`
          update assignments
          set escalation_level = ${escalation.level},
              state = jsonb_set(state, '{escalationLevel}', to_jsonb(${escalation.level}::int))
          where id = any(${sql.param(ids)}::text[]) and escalation_level < ${escalation.level}`);
        await tx.execute(sql`
          insert into escalations (assignment_id, cycle, level, agency_code, effective_due, raised_at)
          select u.id, 0, ${escalation.level}, u.agency, ${effectiveDue}::date, ${event.at}::timestamptz
          from unnest(${sql.param(ids)}::text[], ${sql.param(rows.map((r) => r.agency_code))}::text[]) as u(id, agency)
          on conflict do nothing`);
      }
      await tx.execute(sql`
        insert into audit_log (at, actor, action, entity_type, entity_id, from_state, to_state, details, dedupe_key)
        select ${event.at}::timestamptz, 'system:timer', ${event.kind}, 'assignment', u.id, u.status, u.status, ${JSON.stringify(event)}::jsonb, u.key
        from unnest(${sql.param(ids)}::text[], ${sql.param(rows.map((r) => r.status))}::text[], ${sql.param(ids.map((id) => changeAuditKey(id, key)))}::text[]) as u(id, status, key)
        on conflict (dedupe_key) do nothing`);
      await tx.execute(sql`
        insert into notifications (assignment_id, recipient_agency, recipient_role, kind, level, text, link, created_at, dedupe_key)
        select u.id, u.agency, u.role, ${event.kind}, ${escalation?.level ?? null}::int, u.text, u.link, ${event.at}::timestamptz, u.key
        from unnest(${sql.param(note.ids)}::text[], ${sql.param(note.agencies)}::text[], ${sql.param(note.roles)}::text[], ${sql.param(note.texts)}::text[], ${sql.param(note.links)}::text[], ${sql.param(note.keys)}::text[])
          as u(id, agency, role, text, link, key)
        on conflict (dedupe_key) do nothing`);
    }
    return { marked };
  });
}
