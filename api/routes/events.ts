import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { assignmentsFingerprint } from '../../services/change-feed.ts';
import { problemResponses } from '../schemas/common.ts';

/** How often each stream asks whether its assignments changed, and sends a comment to keep proxies from closing it. */
export const POLL_MS = 1000;
const KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent events: an `assignments` event whenever an assignment the caller may see changes, so
 * that open pages (the dashboard, "Việc của tôi") refresh themselves. The event says only that
 * something changed; the page reads what through the API, under the same scope.
 */
const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const open = new Set<ServerResponse>();
  app.addHook('onClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get(
    '/v1/events',
    {
      schema: {
        operationId: 'streamEvents',
        tags: ['oversight'],
        summary: 'Server-sent events: "assignments" when work the caller may see changes',
        description: `text/event-stream. The server checks for changes every ${POLL_MS} ms.`,
        response: {
          200: Type.Unsafe({
            description: 'An event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          }),
          ...problemResponses(401),
        },
      },
    },
    async (request, reply) => {
      const { principal } = request;
      let last = await assignmentsFingerprint(app.deps.db, principal);
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      stream.write(`retry: 3000\nevent: ready\ndata: {}\n\n`);
      open.add(stream);
      let checking = false;
      const poll = setInterval(() => {
        if (checking) return;
        checking = true;
        assignmentsFingerprint(app.deps.db, principal)
          .then((now) => {
            if (now !== last) {
              last = now;
              stream.write(`event: assignments\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
            }
          })
          .catch((error: unknown) => request.log.warn({ err: error }, 'event stream check failed'))
          .finally(() => {
            checking = false;
          });
      }, POLL_MS);
      const keepAlive = setInterval(() => stream.write(': \n\n'), KEEP_ALIVE_MS);
      stream.on('close', () => {
        clearInterval(poll);
        clearInterval(keepAlive);
        open.delete(stream);
      });
    },
  );
};

export default eventRoutes;
