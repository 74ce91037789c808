import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, desc, eq, gte, isNull, lt, lte, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { assignments, auditLog, escalations, plans, tasks } from '../../db/schema.ts';
import { badRequest } from '../problem.ts';
import { decodeCursor, encodeCursor, Page, PageQuery, problemResponses } from '../schemas/common.ts';
import { agencyStats } from '../services/agency-stats.ts';

const Escalation = Type.Object({
  assignmentId: Type.String(),
  level: Type.Integer(),
  cycle: Type.Integer(),
  agencyCode: Type.String(),
  effectiveDue: Type.Union([Type.String(), Type.Null()]),
  raisedAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  plan: Type.String(),
  task: Type.Object({ number: Type.String(), title: Type.String() }),
  status: Type.String(),
});

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

const Counts = Type.Object({
  total: Type.Integer(),
  completed: Type.Integer(),
  completedOnTime: Type.Integer(),
  completedLate: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  cancelled: Type.Integer(),
  completionRate: Type.Union([Type.Number(), Type.Null()], { description: 'completed / (total − cancelled)' }),
  onTimeRate: Type.Union([Type.Number(), Type.Null()], {
    description: 'completed on time / work that has come due (completed + overdue)',
  }),
});

/** What leadership and the coordinator watch: escalations, the figures per agency, the audit trail. */
const oversightRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/escalations',
    {
      schema: {
        tags: ['oversight'],
        summary: 'Escalated overdue work, highest level first (an agency sees its own)',
        querystring: Type.Object({
          ...PageQuery,
          open: Type.Optional(Type.Boolean({ default: true })),
          level: Type.Optional(Type.Integer({ minimum: 1 })),
          agency: Type.Optional(Type.String()),
        }),
        response: { 200: Page(Escalation), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { limit = 50, cursor, open = true, level, agency } = request.query;
      const offset = Number(decodeCursor(cursor)?.[0] ?? 0);
      if (cursor && !Number.isInteger(offset))
        throw badRequest('Con trỏ trang (cursor) không hợp lệ.', [{ field: 'cursor', message: 'không hợp lệ' }]);
      const own = request.principal.role === 'agency' ? (request.principal.agencyCode ?? '') : agency;
      const rows = await app.deps.db
        .select({
          e: escalations,
          plan: plans.code,
          number: tasks.number,
          title: tasks.title,
          status: assignments.status,
        })
        .from(escalations)
        .innerJoin(assignments, eq(assignments.id, escalations.assignmentId))
        .innerJoin(tasks, eq(tasks.id, assignments.taskId))
        .innerJoin(plans, eq(plans.id, assignments.planId))
        .where(
          and(
            open ? isNull(escalations.resolvedAt) : undefined,
            level ? eq(escalations.level, level) : undefined,
            own ? eq(escalations.agencyCode, own) : undefined,
          ),
        )
        .orderBy(desc(escalations.level), escalations.raisedAt, escalations.assignmentId)
        .limit(limit + 1)
        .offset(offset);
      const items = rows.slice(0, limit).map((r) => ({
        assignmentId: r.e.assignmentId,
        level: r.e.level,
        cycle: r.e.cycle,
        agencyCode: r.e.agencyCode,
        effectiveDue: r.e.effectiveDue,
        raisedAt: r.e.raisedAt.toISOString(),
        resolvedAt: r.e.resolvedAt?.toISOString() ?? null,
        plan: r.plan,
        task: { number: r.number, title: r.title },
        status: r.status,
      }));
      return { items, nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null };
    },
  );

  app.get(
    '/v1/stats/agencies',
    {
      schema: {
        tags: ['oversight'],
        summary: 'Per agency: completed (on time, late), open, overdue and the rates — in all and by reform area',
        querystring: Type.Object({ plan: Type.Optional(Type.String({ description: 'Plan code' })) }),
        response: {
          200: Type.Object({
            asOf: Type.String({ description: 'The local day the figures are for' }),
            items: Type.Array(
              Type.Intersect([
                Type.Object({
                  agencyCode: Type.String(),
                  byArea: Type.Array(
                    Type.Intersect([Type.Object({ area: Type.Union([Type.String(), Type.Null()]) }), Counts]),
                  ),
                }),
                Counts,
              ]),
            ),
            total: Counts,
          }),
          ...problemResponses(401),
        },
      },
    },
    async (request) =>
      agencyStats(
        app.deps.db,
        {
          ...(request.query.plan ? { plan: request.query.plan } : {}),
          ...(request.principal.role === 'agency' ? { agency: request.principal.agencyCode ?? '' } : {}),
        },
        new Date(),
      ),
  );

  app.get(
    '/v1/audit',
    {
      preHandler: app.requireRole('coordinator'),
      schema: {
        tags: ['oversight'],
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
      const before = decodeCursor(cursor)?.[0];
      if (cursor && typeof before !== 'number')
        throw badRequest('Con trỏ trang (cursor) không hợp lệ.', [{ field: 'cursor', message: 'không hợp lệ' }]);
      const rows = await app.deps.db
        .select()
        .from(auditLog)
        .where(
          and(
            entityType ? eq(auditLog.entityType, entityType) : undefined,
            entityId ? eq(auditLog.entityId, entityId) : undefined,
            actor ? sql`${auditLog.actor} like ${`%${actor}%`}` : undefined,
            action ? eq(auditLog.action, action) : undefined,
            from ? gte(auditLog.at, new Date(from)) : undefined,
            to ? lte(auditLog.at, new Date(to)) : undefined,
            typeof before === 'number' ? lt(auditLog.id, before) : undefined,
          ),
        )
        .orderBy(desc(auditLog.id))
        .limit(limit + 1);
      const items = rows.slice(0, limit).map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        from: r.fromState,
        to: r.toState,
        details: r.details as Record<string, unknown>,
      }));
      return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.id]) : null };
    },
  );
};

export default oversightRoutes;
