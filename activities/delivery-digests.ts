import { and, eq, inArray, sql } from 'drizzle-orm';
import type { WorkingCalendar } from '../domain/calendar.ts';
import { toPlanTime, toRealTime, type SimulatedClock } from '../domain/clock.ts';
import {
  composeDigest,
  nextDigestAt,
  DIGEST_HORIZON_WORKING_DAYS,
  type DigestAssignment,
  type DigestContent,
  type DigestLateReport,
  type DigestNotice,
} from '../domain/digest.ts';
import { openStatuses, type AssignmentStatus } from '../domain/lifecycle.ts';
import type { IsoDate } from '../domain/types.ts';
import type { Database } from '../db/client.ts';
import { namedTexts } from '../db/agency-index.ts';
import { deliveries, notifications } from '../db/schema.ts';
import { digestRecipients, type Recipient } from './delivery-recipients.ts';
import type { DeliveryDeps } from './delivery.ts';

// Delivery: the morning digests, their content per recipient, and the next digest instant.
async function digestInputs(
  db: Database,
  contact: Recipient,
  horizon: IsoDate,
): Promise<{ assignments: DigestAssignment[]; lateReports: DigestLateReport[]; notices: DigestNotice[] }> {
  const agency = contact.agencyCode ? sql`and a.agency_code = ${contact.agencyCode}` : sql``;
  // A deployment-wide person's digest covers every registry.
  const registry = contact.registry === null ? sql`true` : sql`p.registry = ${contact.registry}`;
  const open = sql.join(
    openStatuses.map((s) => sql`${s}`),
    sql`, `,
  );
  const { rows: assignmentRows } = await db.execute<{
    id: string;
    task_number: string;
    task_title: string;
    plan_code: string;
    agency_code: string;
    agency_short_name: string | null;
    status: AssignmentStatus;
    effective_due: string | null;
    escalation_level: number;
  }>(sql`
    select a.id, t.number as task_number, t.title as task_title, p.code as plan_code, a.agency_code, a.status,
           a.effective_due::text as effective_due, a.escalation_level, ra.short_name as agency_short_name
    from assignments a join tasks t on t.id = a.task_id join plans p on p.id = a.plan_id
    left join registry_agencies ra on ra.registry = p.registry and ra.code = a.agency_code
    where ${registry} ${agency}
      and a.status in (${open})
      and (a.effective_due <= ${horizon}::date or a.escalation_level > 0)`);
  const { rows: reportRows } = await db.execute<{
    assignment_id: string;
    task_number: string;
    task_title: string;
    plan_code: string;
    agency_code: string;
    agency_short_name: string | null;
    period: string;
  }>(sql`
    select r.assignment_id, t.number as task_number, t.title as task_title, p.code as plan_code, a.agency_code, r.period,
           ra.short_name as agency_short_name
    from report_filings r join assignments a on a.id = r.assignment_id
    join tasks t on t.id = a.task_id join plans p on p.id = a.plan_id
    left join registry_agencies ra on ra.registry = p.registry and ra.code = a.agency_code
    where ${registry} ${agency}
      and r.late and r.filed_at is null and a.status in (${open})`);
  const noticeRows = await db
    .select({
      notificationId: notifications.id,
      assignmentId: notifications.assignmentId,
      kind: notifications.kind,
      text: notifications.text,
      registry: deliveries.registry,
    })
    .from(deliveries)
    .innerJoin(notifications, eq(notifications.id, deliveries.notificationId))
    .where(and(eq(deliveries.contactId, contact.id), eq(deliveries.status, 'pending'), eq(deliveries.mode, 'digest')));
  const namedNotices = await namedTexts(
    db,
    noticeRows.map((n) => ({ registry: n.registry, text: n.text })),
  );
  return {
    assignments: assignmentRows.map((r) => ({
      id: r.id,
      taskNumber: r.task_number,
      taskTitle: r.task_title,
      planCode: r.plan_code,
      agencyCode: r.agency_code,
      ...(r.agency_short_name ? { agencyShortName: r.agency_short_name } : {}),
      status: r.status,
      effectiveDue: r.effective_due,
      escalationLevel: r.escalation_level,
    })),
    lateReports: reportRows.map((r) => ({
      assignmentId: r.assignment_id,
      taskNumber: r.task_number,
      taskTitle: r.task_title,
      planCode: r.plan_code,
      agencyCode: r.agency_code,
      ...(r.agency_short_name ? { agencyShortName: r.agency_short_name } : {}),
      period: r.period,
    })),
    // Named as the digest is composed: its content is kept as it went out.
    notices: noticeRows.map((n, i) => ({
      notificationId: n.notificationId,
      assignmentId: n.assignmentId,
      kind: n.kind,
      text: namedNotices[i]!,
    })),
  };
}

/**
 * The digests of one local day: for each contact, one message over all its plans, or none when
 * there is nothing to say. Idempotent per day and contact; the notifications that waited for it
 * are marked `digested` with the digest's id. Returns how many digests were planned.
 */
export async function composeDigests(
  deps: Pick<DeliveryDeps, 'db' | 'calendar'>,
  input: { day: IsoDate },
): Promise<{ digests: number }> {
  const { db, calendar } = deps;
  if (!calendar.isWorkingDay(input.day)) return { digests: 0 };
  const horizon = calendar.addWorkingDays(input.day, DIGEST_HORIZON_WORKING_DAYS);
  const all = await digestRecipients(db);
  let digests = 0;
  for (const contact of all) {
    const inputs = await digestInputs(db, contact, horizon);
    const content: DigestContent | null = composeDigest({ day: input.day, calendar, ...inputs });
    if (!content) continue;
    await db.transaction(async (tx) => {
      const [digest] = await tx
        .insert(deliveries)
        .values({
          key: `d:${input.day}`,
          contactId: contact.id,
          recipient: contact.recipient,
          registry: contact.registry ?? '',
          channel: contact.channel,
          address: contact.address,
          mode: 'immediate',
          status: 'pending',
          content,
        })
        .onConflictDoNothing()
        .returning({ id: deliveries.id });
      if (!digest) return;
      digests += 1;
      const ids = inputs.notices.map((n) => n.notificationId);
      if (ids.length > 0)
        await tx
          .update(deliveries)
          .set({ status: 'digested', digestId: digest.id })
          .where(
            and(
              eq(deliveries.contactId, contact.id),
              eq(deliveries.status, 'pending'),
              eq(deliveries.mode, 'digest'),
              inArray(deliveries.notificationId, ids),
            ),
          );
    });
  }
  return { digests };
}

/**
 * The next digest instant after `afterMs` (wall clock), on the worker's calendar: `day` is the local
 * day it sums up, `at` the wall-clock instant of its 08:00 (on the simulated clock when there is one).
 */
export function nextDigest(
  calendar: WorkingCalendar,
  input: { afterMs: number },
  clock?: SimulatedClock,
): { day: IsoDate; at: string } {
  const next = nextDigestAt(calendar, toPlanTime(new Date(input.afterMs), clock).getTime());
  return { day: next.day, at: toRealTime(new Date(next.at), clock).toISOString() };
}
