import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAudit, listEscalations } from '../../services/oversight-reads.ts';
import { encodeCursor, readCursor } from '../cursor.ts';
import { Page, PageQuery, problemResponses } from '../schemas/common.ts';
import { agencyStats } from '../../services/agency-stats.ts';
import { readScope } from '../../services/read-scope.ts';

const Escalation = Type.Ref('Escalation');
const AuditEntry = Type.Ref('AuditEntry');

/** What leadership and the coordinator watch: escalations, the figures per agency, the audit trail. */
const oversightRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/escalations',
    {
      schema: {
        tags: ['oversight'],
        operationId: 'listEscalations',
        summary: 'Escalated overdue work, highest level first (an agency sees its own)',
        querystring: Type.Object({
          ...PageQuery,
          open: Type.Optional(Type.Boolean({ default: true })),
          level: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          agency: Type.Optional(Type.String()),
        }),
        response: { 200: Page(Escalation), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, open = true, level, agency } = request.query;
      const offset = readCursor(cursor, 'number') ?? 0;
      const own = request.principal.role === 'agency' ? (request.principal.agencyCode ?? '') : agency;
      const rows = await listEscalations(
        app.deps.db,
        {
          open,
          ...(level ? { level } : {}),
          ...(own ? { agency: own } : {}),
          ...(request.principal.registry !== undefined ? { registry: request.principal.registry } : {}),
        },
        { limit, offset },
      );
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null };
    },
  );

  app.get(
    '/v1/stats/agencies',
    {
      schema: {
        tags: ['oversight'],
        operationId: 'getAgencyStats',
        summary: 'Per agency: completed (on time, late), open, overdue and the rates — in all and by reform area',
        querystring: Type.Object({ plan: Type.Optional(Type.String({ description: 'Plan code' })) }),
        response: {
          200: Type.Ref('AgencyStats'),
          ...problemResponses(401),
        },
      },
    },
    async (request) =>
      agencyStats(
        app.deps.db,
        { ...(request.query.plan ? { plan: request.query.plan } : {}), ...readScope(request.principal) },
        new Date(),
      ),
  );

  app.get(
    '/v1/audit',
    {
      preHandler: app.requireRole('coordinator'),
      schema: {
        tags: ['oversight'],
        operationId: 'listAuditEntries',
        summary: 'The audit trail: who did what, when, from what to what (coordinator)',
        querystring: Type.Object({
          ...PageQuery,
          entityType: Type.Optional(Type.String()),
          entityId: Type.Optional(Type.String()),
          actor: Type.Optional(Type.String()),
          action: Type.Optional(Type.String()),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: Page(AuditEntry), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, entityType, entityId, actor, action, from, to } = request.query;
      const before = readCursor(cursor, 'number');
      const rows = await listAudit(
        app.deps.db,
        {
          entityType,
          entityId,
          actor,
          action,
          ...(from ? { from: new Date(from) } : {}),
          ...(to ? { to: new Date(to) } : {}),
          ...(request.principal.registry !== undefined ? { registry: request.principal.registry } : {}),
        },
        { limit, before },
      );
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null };
    },
  );
};

export default oversightRoutes;
