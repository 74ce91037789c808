import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import { Type } from 'typebox';

const Check = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  error: Type.Optional(Type.String()),
});

async function check(
  probe: () => Promise<unknown>,
  timeoutMs = 2000,
): Promise<{ status: 'ok' | 'unavailable'; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'unavailable', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true, rateLimit: false },
      schema: {
        tags: ['operations'],
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
        summary: 'The database and Temporal are reachable',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Check, temporal: Check }),
          503: Type.Object({ status: Type.Literal('not ready'), database: Check, temporal: Check }),
        },
      },
    },
    async (_request, reply) => {
      const [database, temporal] = await Promise.all([
        check(() => app.deps.db.execute(sql`select 1`)),
        check(() => app.deps.temporal.client.workflowService.getSystemInfo({})),
      ]);
      const ready = database.status === 'ok' && temporal.status === 'ok';
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not ready', database, temporal } as never);
    },
  );
};

export default healthRoutes;
