import { and, count, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../domain/permissions.ts';
import { agencyLabel, type AgencyLabel } from '../domain/agencies/names.ts';
import { notificationKindLabels } from '../domain/labels.ts';
import type { NotificationKind } from '../domain/notifications.ts';
import type { Database } from '../db/client.ts';
import { namedTexts } from '../db/agency-index.ts';
import { assignments, notifications, plans, tasks } from '../db/schema.ts';
import { inRegistry, leadAgency, leadAgencyJoin, type PlanLabel } from './assignment-reads.ts';
import { NotFound } from './errors.ts';

/**
 * Notifications addressed to the caller: its agency, or its role (the coordinator's include its
 * director's) — about work of its own registry only, when it has one.
 */
export function mine(principal: Principal): SQL {
  const scope =
    principal.registry === undefined
      ? undefined
      : sql`${notifications.assignmentId} in (select ${assignments.id} from ${assignments} where ${inRegistry(principal.registry)})`;
  if (principal.role === 'agency') return and(eq(notifications.recipientAgency, principal.agencyCode ?? ''), scope)!;
  const roles = principal.role === 'coordinator' ? ['coordinator', 'coordinator-director'] : ['leadership'];
  return and(inArray(notifications.recipientRole, roles), scope)!;
}

export interface NotificationDto {
  id: number;
  assignmentId: string;
  kind: string;
  /** "Nhắc hạn", "Quá hạn", "Giao nhiệm vụ"… */
  kindLabel: string;
  level: number | null;
  period: string | null;
  /** What happened, with agencies by name ("Sở Y tế", not "SYT"). */
  text: string;
  link: string;
  createdAt: string;
  readAt: string | null;
  /** The work it is about: its plan, its task and its lead, by name (null when the assignment is gone). */
  plan: PlanLabel | null;
  task: { number: string; title: string } | null;
  agency: AgencyLabel | null;
}

type Row = {
  n: typeof notifications.$inferSelect;
  registry: string | null;
  planId: string | null;
  planCode: string | null;
  planSlug: string | null;
  planTitle: string | null;
  taskNumber: string | null;
  taskTitle: string | null;
  agencyCode: string | null;
  leadName: string | null;
  leadShortName: string | null;
};

/** Each notification with its assignment's plan, task and lead, in one query. */
function withWork(db: Database) {
  return db
    .select({
      n: notifications,
      registry: plans.registry,
      planId: plans.id,
      planCode: plans.code,
      planSlug: plans.slug,
      planTitle: plans.title,
      taskNumber: tasks.number,
      taskTitle: tasks.title,
      agencyCode: assignments.agencyCode,
      leadName: leadAgency.name,
      leadShortName: leadAgency.shortName,
    })
    .from(notifications)
    .leftJoin(assignments, eq(assignments.id, notifications.assignmentId))
    .leftJoin(tasks, eq(tasks.id, assignments.taskId))
    .leftJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(leadAgency, leadAgencyJoin);
}

/** The rows as the API gives them: the texts' agency codes named from each plan's registry. */
async function toDtos(db: Database, rows: Row[]): Promise<NotificationDto[]> {
  const texts = await namedTexts(
    db,
    rows.map((r) => ({ registry: r.registry, text: r.n.text })),
  );
  return rows.map((r, i) => {
    return {
      id: r.n.id,
      assignmentId: r.n.assignmentId,
      kind: r.n.kind,
      kindLabel: notificationKindLabels[r.n.kind as NotificationKind] ?? 'Thông báo',
      level: r.n.level,
      period: r.n.period,
      text: texts[i]!,
      link: r.n.link,
      createdAt: r.n.createdAt.toISOString(),
      readAt: r.n.readAt?.toISOString() ?? null,
      plan:
        r.planId && r.planCode && r.planSlug && r.planTitle !== null
          ? { id: r.planId, code: r.planCode, slug: r.planSlug, title: r.planTitle }
          : null,
      task: r.taskNumber !== null && r.taskTitle !== null ? { number: r.taskNumber, title: r.taskTitle } : null,
      agency: r.agencyCode
        ? agencyLabel(r.agencyCode, r.leadName ? { name: r.leadName, shortName: r.leadShortName } : null)
        : null,
    };
  });
}

/** The caller's notifications, newest first, `limit + 1` of them so the caller knows whether more follow. */
export async function listNotifications(
  db: Database,
  principal: Principal,
  options: { limit: number; unread?: boolean; before?: number },
): Promise<NotificationDto[]> {
  const rows = await withWork(db)
    .where(
      and(
        mine(principal),
        options.unread ? isNull(notifications.readAt) : undefined,
        options.before !== undefined ? lt(notifications.id, options.before) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(options.limit + 1);
  return toDtos(db, rows);
}

/** How many of the caller's notifications there are, and how many are unread. */
export async function countNotifications(db: Database, principal: Principal) {
  const [row] = await db
    .select({
      total: count(),
      unread: sql<number>`count(*) filter (where ${notifications.readAt} is null)::int`,
    })
    .from(notifications)
    .where(mine(principal));
  return { total: Number(row?.total ?? 0), unread: Number(row?.unread ?? 0) };
}

export async function markNotificationRead(db: Database, principal: Principal, id: number): Promise<NotificationDto> {
  const [marked] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), mine(principal)))
    .returning({ id: notifications.id });
  if (!marked) throw new NotFound('Không có thông báo này.');
  const rows = await withWork(db).where(eq(notifications.id, marked.id));
  return (await toDtos(db, rows))[0]!;
}

/** Marks the caller's unread notifications read: the ones listed, or all; returns how many. */
export async function markNotificationsRead(db: Database, principal: Principal, ids?: number[]): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(mine(principal), isNull(notifications.readAt), ids ? inArray(notifications.id, ids) : undefined))
    .returning({ id: notifications.id });
  return rows.length;
}
