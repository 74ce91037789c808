import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Principal } from '../../domain/permissions.ts';
import { notifications } from '../../db/schema.ts';
import { badRequest, notFound } from '../problem.ts';
import { decodeCursor, encodeCursor, Page, PageQuery, problemResponses } from '../schemas/common.ts';

const Notification = Type.Object({
  id: Type.Integer(),
  assignmentId: Type.String(),
  kind: Type.String(),
  level: Type.Union([Type.Integer(), Type.Null()]),
  period: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  link: Type.String(),
  createdAt: Type.String(),
  readAt: Type.Union([Type.String(), Type.Null()]),
});

/** Notifications addressed to the caller: its agency, or its role (the coordinator's include its director's). */
export function mine(principal: Principal): SQL {
  if (principal.role === 'agency') return eq(notifications.recipientAgency, principal.agencyCode ?? '');
  const roles = principal.role === 'coordinator' ? ['coordinator', 'coordinator-director'] : ['leadership'];
  return inArray(notifications.recipientRole, roles);
}

const toDto = (n: typeof notifications.$inferSelect) => ({
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

const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first',
        querystring: Type.Object({ ...PageQuery, unread: Type.Optional(Type.Boolean()) }),
        response: { 200: Page(Notification), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, unread } = request.query;
      const before = decodeCursor(cursor)?.[0];
      if (cursor && typeof before !== 'number')
        throw badRequest('Con trỏ trang (cursor) không hợp lệ.', [{ field: 'cursor', message: 'không hợp lệ' }]);
      const rows = await app.deps.db
        .select()
        .from(notifications)
        .where(
          and(
            mine(request.principal),
            unread ? isNull(notifications.readAt) : undefined,
            typeof before === 'number' ? lt(notifications.id, before) : undefined,
          ),
        )
        .orderBy(desc(notifications.id))
        .limit(limit + 1);
      const items = rows.slice(0, limit).map(toDto);
      return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null };
    },
  );

  app.post(
    '/v1/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of my notifications read',
        params: Type.Object({ id: Type.Integer() }),
        response: { 200: Notification, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const [row] = await app.deps.db
        .update(notifications)
        .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
        .where(and(eq(notifications.id, request.params.id), mine(request.principal)))
        .returning();
      if (!row) throw notFound('Không có thông báo này.');
      return toDto(row);
    },
  );

  app.post(
    '/v1/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark my notifications read: the ones listed, or all',
        body: Type.Object(
          { ids: Type.Optional(Type.Array(Type.Integer(), { maxItems: 1000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ marked: Type.Integer() }), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const ids = request.body.ids;
      const rows = await app.deps.db
        .update(notifications)
        .set({ readAt: sql`now()` })
        .where(
          and(mine(request.principal), isNull(notifications.readAt), ids ? inArray(notifications.id, ids) : undefined),
        )
        .returning({ id: notifications.id });
      return { marked: rows.length };
    },
  );
};

export default notificationRoutes;
