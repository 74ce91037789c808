import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { assignments, notifications } from '../db/schema.ts';
import { inRegistry } from './assignment-reads.ts';
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
  level: number | null;
  period: string | null;
  text: string;
  link: string;
  createdAt: string;
  readAt: string | null;
}

const toDto = (n: typeof notifications.$inferSelect): NotificationDto => ({
  id: n.id,
  assignmentId: n.assignmentId,
  kind: n.kind,
  level: n.level,
  period: n.period,
  text: n.text,
  link: n.link,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

/** The caller's notifications, newest first, `limit + 1` of them so the caller knows whether more follow. */
export async function listNotifications(
  db: Database,
  principal: Principal,
  options: { limit: number; unread?: boolean; before?: number },
): Promise<NotificationDto[]> {
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        mine(principal),
        options.unread ? isNull(notifications.readAt) : undefined,
        options.before !== undefined ? lt(notifications.id, options.before) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(options.limit + 1);
  return rows.map(toDto);
}

export async function markNotificationRead(db: Database, principal: Principal, id: number): Promise<NotificationDto> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), mine(principal)))
    .returning();
  if (!row) throw new NotFound('Không có thông báo này.');
  return toDto(row);
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
