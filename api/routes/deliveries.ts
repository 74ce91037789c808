import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { countDeliveries, deliveryCounts, getDelivery, listDeliveries } from '../../services/delivery-reads.ts';
import { encodeCursor, readCursor } from '../cursor.ts';
import { CountedPage, PageQuery, problemResponses, RowId } from '../schemas/common.ts';
import { DeliveryStatusSchema } from '../schemas/delivery.ts';

/** What became of the e-mails and webhooks: the coordinator sees its registry's, failed ones included. */
const deliveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/deliveries',
    {
      schema: {
        tags: ['deliveries'],
        operationId: 'listDeliveries',
        summary: 'E-mails and webhooks sent or to send, newest first (status=failed: those that never arrived)',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(DeliveryStatusSchema),
          assignment: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          contact: Type.Optional(Type.String({ format: 'uuid' })),
        }),
        response: { 200: CountedPage(Type.Ref('Delivery')), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, status, assignment, contact } = request.query;
      const filter = { status, assignmentId: assignment, contactId: contact };
      const [rows, total] = await Promise.all([
        listDeliveries(app.deps.db, request.principal, { ...filter, limit, before: readCursor(cursor, 'number') }),
        countDeliveries(app.deps.db, request.principal, filter),
      ]);
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null, total };
    },
  );

  app.get(
    '/v1/deliveries/counts',
    {
      schema: {
        tags: ['deliveries'],
        operationId: 'countDeliveries',
        summary: 'How many deliveries are pending, sent, failed, digested, dropped',
        response: { 200: Type.Ref('DeliveryCounts'), ...problemResponses(401) },
      },
    },
    async (request) => deliveryCounts(app.deps.db, request.principal),
  );

  app.get(
    '/v1/deliveries/:id',
    {
      schema: {
        tags: ['deliveries'],
        operationId: 'getDelivery',
        summary: 'One delivery with every attempt: when, channel, recipient, outcome, error',
        params: Type.Object({ id: RowId }),
        response: { 200: Type.Ref('DeliveryWithAttempts'), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => getDelivery(app.deps.db, request.principal, request.params.id),
  );
};

export default deliveryRoutes;
