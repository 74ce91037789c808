import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { countAudit, countEscalations, listAudit, listEscalations } from '../../services/oversight-reads.ts';
import { encodeCursor, readCursor } from '../cursor.ts';
import { CountedPage, PageQuery, problemResponses } from '../schemas/common.ts';
import { Period } from '../schemas/dashboard.ts';
import { agencyStats } from '../../services/agency-stats.ts';
import { readScope } from '../../services/read-scope.ts';
import { dashboard } from '../../services/dashboard.ts';
import { JSON_TYPE, sharedJsonRead } from '../shared-reads.ts';
import { forbidden } from '../problem.ts';

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
        response: { 200: CountedPage(Escalation), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, open = true, level, agency } = request.query;
      const offset = readCursor(cursor, 'number') ?? 0;
      const own = request.principal.role === 'agency' ? (request.principal.agencyCode ?? '') : agency;
      const filter = {
        open,
        ...(level ? { level } : {}),
        ...(own ? { agency: own } : {}),
        ...(request.principal.registry !== undefined ? { registry: request.principal.registry } : {}),
      };
      const [rows, total] = await Promise.all([
        listEscalations(app.deps.db, filter, { limit, offset }),
        countEscalations(app.deps.db, filter),
      ]);
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null, total };
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
    '/v1/dashboard',
    {
      schema: {
        tags: ['oversight'],
        operationId: 'getDashboard',
        summary: 'The four buckets of a plan’s tasks as of a period’s cut-off or today: by agency, by area, by quarter',
        description:
          'Leadership and the coordinator see every agency of their registry (or one, with agency=); an agency sees ' +
          'its own figures only, and asking for another agency’s is refused.',
        querystring: Type.Object({
          plan: Type.Optional(Type.String({ description: 'Plan code; every plan in scope without it' })),
          period: Type.Optional(Type.String({ ...Period, default: 'now' })),
          agency: Type.Optional(Type.String({ description: 'Only the work this agency leads' })),
        }),
        response: { 200: Type.Ref('Dashboard'), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { plan, period = 'now', agency } = request.query;
      const scope = readScope(request.principal);
      if (agency !== undefined && scope.agency !== undefined && agency !== scope.agency) {
        throw forbidden('Quý cơ quan chỉ xem được số liệu của cơ quan mình.');
      }
      const filter = { ...(plan ? { plan } : {}), ...(agency !== undefined ? { agency } : {}), ...scope };
      // Every open dashboard reads again when anything changes (server-sent events): one read serves them all.
      const body = await sharedJsonRead(app.deps.db, ['dashboard', period, filter], () =>
        dashboard(app.deps.db, filter, period, new Date()),
      );
      return reply.type(JSON_TYPE).send(body as never);
    },
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
        response: { 200: CountedPage(AuditEntry), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, entityType, entityId, actor, action, from, to } = request.query;
      const before = readCursor(cursor, 'number');
      const filter = {
        entityType,
        entityId,
        actor,
        action,
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
        ...(request.principal.registry !== undefined ? { registry: request.principal.registry } : {}),
      };
      const [rows, total] = await Promise.all([
        listAudit(app.deps.db, filter, { limit, before }),
        countAudit(app.deps.db, filter),
      ]);
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null, total };
    },
  );
};

export default oversightRoutes;
