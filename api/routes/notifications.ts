import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  countNotifications,
  listNotifications,
  markNotificationRead,
  markNotificationsRead,
} from '../../services/notification-reads.ts';
import { encodeCursor, readCursor } from '../cursor.ts';
import { PageQuery, problemResponses, RowId } from '../schemas/common.ts';

const Notification = Type.Ref('Notification');

const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'listNotifications',
        summary: 'My notifications, newest first',
        description:
          'What concerns the caller: its agency’s, or its role’s (the coordinator’s include its director’s), in its ' +
          'registry. `total` counts them all (with unread=true, the unread ones), `unread` the unread ones.',
        querystring: Type.Object({ ...PageQuery, unread: Type.Optional(Type.Boolean()) }),
        response: {
          200: Type.Object({
            items: Type.Array(Notification),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
            total: Type.Integer({ minimum: 0 }),
            unread: Type.Integer({ minimum: 0, description: 'How many of the caller’s notifications are unread' }),
          }),
          ...problemResponses(400, 401),
        },
      },
    },
    async (request) => {
      const { limit = 50, cursor, unread } = request.query;
      const before = readCursor(cursor, 'number');
      const [rows, counts] = await Promise.all([
        listNotifications(app.deps.db, request.principal, { limit, unread, before }),
        countNotifications(app.deps.db, request.principal),
      ]);
      const items = rows.slice(0, limit);
      return {
        items,
        nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null,
        total: unread ? counts.unread : counts.total,
        unread: counts.unread,
      };
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
