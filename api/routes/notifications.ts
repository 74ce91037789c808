import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listNotifications, markNotificationRead, markNotificationsRead } from '../../services/notification-reads.ts';
import { encodeCursor, readCursor } from '../cursor.ts';
import { Page, PageQuery, problemResponses, RowId } from '../schemas/common.ts';

const Notification = Type.Ref('Notification');

const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'listNotifications',
        summary: 'My notifications, newest first',
        querystring: Type.Object({ ...PageQuery, unread: Type.Optional(Type.Boolean()) }),
        response: { 200: Page(Notification), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, unread } = request.query;
      const before = readCursor(cursor, 'number');
      const rows = await listNotifications(app.deps.db, request.principal, { limit, unread, before });
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null };
    },
  );

  app.post(
    '/v1/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'markNotificationRead',
        summary: 'Mark one of my notifications read',
        params: Type.Object({ id: RowId }),
        response: { 200: Notification, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      return markNotificationRead(app.deps.db, request.principal, request.params.id);
    },
  );

  app.post(
    '/v1/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'markNotificationsRead',
        summary: 'Mark my notifications read: the ones listed, or all',
        body: Type.Object(
          { ids: Type.Optional(Type.Array(RowId, { maxItems: 1000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ marked: Type.Integer() }), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      return { marked: await markNotificationsRead(app.deps.db, request.principal, request.body.ids) };
    },
  );
};

export default notificationRoutes;
