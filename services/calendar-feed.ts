import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { WorkingCalendar } from '../domain/calendar.ts';
import { addDays } from '../domain/calendar.ts';
import { assignmentUrl } from '../domain/delivery-message.ts';
import { renderCalendar, type CalendarEvent } from '../domain/icalendar.ts';
import { localDay } from '../domain/instant.ts';
import { periodName } from '../domain/labels.ts';
import { openStatuses, withLeadStatuses, type Actor } from '../domain/lifecycle.ts';
import type { Principal } from '../domain/permissions.ts';
import { defaultPolicy, resolvePolicy } from '../domain/policy.ts';
import { parseReportPeriodId, reportPeriod } from '../domain/report-periods.ts';
import type { IsoDate } from '../domain/types.ts';
import type { Database } from '../db/client.ts';
import { assignments, calendarFeeds, plans, reportFilings, tasks, users } from '../db/schema.ts';
import { leadAgency, leadAgencyJoin } from './assignment-reads.ts';
import { recordAudit } from './audit.ts';
import { Forbidden, NotFound } from './errors.ts';

// Each person's deadlines and report due days as a private iCalendar feed: the URL's secret (256
// bits, "cal_…") is the only credential, kept as its SHA-256; making a new one replaces it, and
// deleting it revokes it. The feed is read from the read model on each request, so a deadline that
// moves is moved in the calendar at its next refresh.

export const CALENDAR_SECRET_PREFIX = 'cal_';
/** A coordinator's or leadership's feed covers a whole registry: bounded to the days around today. */
const REGISTRY_WINDOW = { before: 90, after: 400 };
/** At most this many events in one feed, nearest days first. */
export const MAX_EVENTS = 2000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function personOf(principal: Principal): string {
  if (!principal.userId) throw new Forbidden('Chỉ người đăng nhập bằng tài khoản cá nhân mới có lịch công việc riêng.');
  return principal.userId;
}

/** Makes the person's feed, replacing any they had; the secret is given this once. */
export async function createCalendarFeed(
  db: Database,
  principal: Principal,
  actor: Actor,
): Promise<{ secret: string; createdAt: string }> {
  const userId = personOf(principal);
  const secret = CALENDAR_SECRET_PREFIX + randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(calendarFeeds)
      .values({ userId, secretHash: sha256(secret) })
      .onConflictDoUpdate({
        target: calendarFeeds.userId,
        set: { secretHash: sha256(secret), createdAt: sql`now()` },
      })
      .returning();
    await recordAudit(tx, { actor, action: 'calendar-create', entityType: 'user', entityId: userId });
    return { secret, createdAt: row!.createdAt.toISOString() };
  });
}

/** Revokes the person's feed: its URL answers 404 from now on. */
export async function revokeCalendarFeed(db: Database, principal: Principal, actor: Actor): Promise<void> {
  const userId = personOf(principal);
  await db.transaction(async (tx) => {
    const gone = await tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId)).returning();
    if (gone.length === 0) throw new NotFound('Anh/chị chưa có đường dẫn lịch công việc.');
    await recordAudit(tx, { actor, action: 'calendar-revoke', entityType: 'user', entityId: userId });
  });
}

/** Whether a path segment looks like one of our feed secrets (before it is looked up). */
export const isCalendarSecret = (value: string) => /^cal_[A-Za-z0-9_-]{43}$/.test(value);

/**
 * The feed a secret opens, or undefined when it opens none (unknown, revoked, or its person's
 * account disabled). An agency's person sees the work their agency leads; a coordinator or
 * leadership their registry's (or every registry's), from 90 days back to 400 ahead.
 */
export async function calendarFeed(
  db: Database,
  secret: string,
  options: { calendar: WorkingCalendar; publicUrl: string; now?: Date },
): Promise<string | undefined> {
  if (!isCalendarSecret(secret)) return undefined;
  const now = options.now ?? new Date();
  const [person] = await db
    .select({ role: users.role, agencyCode: users.agencyCode, registry: users.registry, name: users.name })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(and(eq(calendarFeeds.secretHash, sha256(secret)), isNull(users.disabledAt)));
  if (!person) return undefined;
  const today = localDay(now);
  const agency = person.role === 'agency';
  const scope: SQL[] = [
    ...(person.registry !== null ? [eq(plans.registry, person.registry)] : []),
    ...(agency ? [eq(assignments.agencyCode, person.agencyCode ?? '')] : []),
  ];
  const from = addDays(today, -REGISTRY_WINDOW.before);
  const to = addDays(today, REGISTRY_WINDOW.after);
  const inWindow = agency ? [] : [gte(assignments.effectiveDue, from), lte(assignments.effectiveDue, to)];
  const work = await db
    .select({
      id: assignments.id,
      due: assignments.effectiveDue,
      number: tasks.number,
      title: tasks.title,
      planCode: plans.code,
      planTitle: plans.title,
      agencyCode: assignments.agencyCode,
      agencyName: leadAgency.name,
    })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(leadAgency, leadAgencyJoin)
    .where(
      and(inArray(assignments.status, [...openStatuses]), isNotNull(assignments.effectiveDue), ...scope, ...inWindow),
    )
    .orderBy(asc(assignments.effectiveDue), asc(assignments.id))
    .limit(MAX_EVENTS);
  const owed = await db
    .select({
      id: assignments.id,
      period: reportFilings.period,
      number: tasks.number,
      title: tasks.title,
      planCode: plans.code,
      planTitle: plans.title,
      policy: plans.policy,
      agencyCode: assignments.agencyCode,
      agencyName: leadAgency.name,
    })
    .from(reportFilings)
    .innerJoin(assignments, eq(assignments.id, reportFilings.assignmentId))
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(leadAgency, leadAgencyJoin)
    .where(
      and(
        isNull(reportFilings.filedAt),
        inArray(assignments.status, [...withLeadStatuses]),
        ...scope,
        ...(agency ? [eq(reportFilings.agencyCode, person.agencyCode ?? '')] : []),
      ),
    )
    .orderBy(asc(reportFilings.period), asc(assignments.id))
    .limit(MAX_EVENTS);

  const link = (id: string) => assignmentUrl(options.publicUrl, id);
  const whose = (r: { agencyCode: string; agencyName: string | null }) =>
    agency ? '' : ` (${r.agencyName ?? r.agencyCode})`;
  const describe = (r: {
    id: string;
    planCode: string;
    planTitle: string;
    agencyCode: string;
    agencyName: string | null;
  }) =>
    [
      `Kế hoạch ${r.planCode}: ${r.planTitle}`,
      `Cơ quan chủ trì: ${r.agencyName ?? r.agencyCode}`,
      `Xem và xử lý: ${link(r.id)}`,
    ].join('\n');
  const events: CalendarEvent[] = work.map((r) => ({
    uid: `${r.id}/due@dondoc`,
    day: r.due as IsoDate,
    summary: `Hạn hoàn thành: nhiệm vụ số ${r.number}${whose(r)} – ${r.title}`,
    description: describe(r),
    url: link(r.id),
  }));
  for (const r of owed) {
    const parsed = parseReportPeriodId(r.period);
    if (!parsed) continue;
    const resolved = resolvePolicy(r.policy);
    const policy = 'policy' in resolved ? resolved.policy : defaultPolicy;
    const day = reportPeriod(parsed.year, parsed.kind, policy, options.calendar).effectiveLastDay;
    if (!agency && (day < from || day > to)) continue;
    events.push({
      uid: `${r.id}/report-${r.period}@dondoc`,
      day,
      summary: `Hạn gửi báo cáo ${periodName(r.period)}: nhiệm vụ số ${r.number}${whose(r)} – ${r.title}`,
      description: describe(r),
      url: link(r.id),
    });
  }
  events.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.uid < b.uid ? -1 : 1));
  return renderCalendar({
    name: `Đôn đốc – lịch công việc của ${person.name}`,
    events: events.slice(0, MAX_EVENTS),
    now,
  });
}
