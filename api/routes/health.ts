import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkReadiness } from '../../services/readiness.ts';

// Up or down per part, nothing more: the answer is public, so why a part is down (addresses,
// driver messages) goes to the log only.
const Check = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]) });

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true, rateLimit: false },
      schema: {
        tags: ['operations'],
        operationId: 'checkLiveness',
        summary: 'The process is alive',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true, rateLimit: false },
      schema: {
        tags: ['operations'],
        operationId: 'checkReadiness',
        summary: 'The database and Temporal are reachable',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Check, temporal: Check }),
          503: Type.Object({ status: Type.Literal('not ready'), database: Check, temporal: Check }),
        },
      },
    },
    async (request, reply) => {
      const { database, temporal } = await checkReadiness(app.deps);
      const ready = database.status === 'ok' && temporal.status === 'ok';
      if (!ready) request.log.warn({ database, temporal }, 'not ready');
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not ready',
        database: { status: database.status },
        temporal: { status: temporal.status },
      } as never);
    },
  );
};

export default healthRoutes;
