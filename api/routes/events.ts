import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { ChangeFeed } from '../../services/change-feed.ts';
import { HttpProblem } from '../problem.ts';
import { problemResponses } from '../schemas/common.ts';

/** How often the process's one poller asks whether assignments changed (and whether each stream's caller still may listen). */
export const POLL_MS = 1000;
const KEEP_ALIVE_MS = 15_000;
/** Open streams per token or person: a few pages open at once. */
export const MAX_STREAMS_PER_PRINCIPAL = 3;
/** When a refused stream may try again, in seconds. */
const RETRY_AFTER_SECONDS = 30;

/**
 * Server-sent events: an `assignments` event whenever an assignment the caller may see changes, so
 * that open pages (the dashboard, "Việc của tôi") refresh themselves. The event says only that
 * something changed; the page reads what through the API, under the same scope. One poller
 * (services/change-feed.ts) serves every stream of the process. A stream whose token is revoked,
 * whose account is disabled or whose session ends gets a `revoked` event and is closed.
 */
const eventRoutes: FastifyPluginAsyncTypebox<{ maxStreams: number }> = async (app, options) => {
  const open = new Set<ServerResponse>();
  const feed = new ChangeFeed(app.deps.db, {
    intervalMs: POLL_MS,
    maxStreams: options.maxStreams,
    maxPerPrincipal: MAX_STREAMS_PER_PRINCIPAL,
    onError: (error) => app.log.warn({ err: error }, 'event streams: checking for changes failed'),
  });
  app.addHook('onClose', async () => {
    feed.stop();
    for (const stream of open) stream.end();
  });

  app.get(
    '/v1/events',
    {
      schema: {
        operationId: 'streamEvents',
        tags: ['oversight'],
        summary: 'Server-sent events: "assignments" when work the caller may see changes',
        description:
          `text/event-stream. The server checks for changes every ${POLL_MS} ms. At most ` +
          `${MAX_STREAMS_PER_PRINCIPAL} streams per token or person (429) and a ceiling per server process ` +
          '(503, with Retry-After). A stream ends with a "revoked" event when its token is revoked, its ' +
          'account disabled or its session signed out or expired.',
        response: {
          200: Type.Unsafe({
            description: 'An event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          }),
          ...problemResponses(401, 503),
        },
      },
    },
    async (request, reply) => {
      const stream = reply.raw;
      // Told by the feed from the moment it counts the stream, which is before the answer starts.
      let started = false;
      let revoked = false;
      let ended = false;
      const opening = await feed.open(request.principal, request.sessionId, {
        changed: () => {
          if (started && !ended)
            stream.write(`event: assignments\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
        },
        revoked: () => {
          revoked = true;
          if (!started || ended) return;
          ended = true;
          stream.end(`event: revoked\ndata: {}\n\n`);
        },
      });
      if (!opening.ok) {
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        if (opening.reason === 'principal-limit')
          throw new HttpProblem(
            429,
            `Đã mở đủ ${MAX_STREAMS_PER_PRINCIPAL} luồng cập nhật trực tiếp cho cùng một tài khoản hoặc mã truy cập; ` +
              'hãy đóng bớt trang đang mở.',
          );
        throw new HttpProblem(503, 'Máy chủ đang phục vụ quá nhiều luồng cập nhật trực tiếp; vui lòng thử lại sau.');
      }
      if (revoked) throw new HttpProblem(401, 'Mã truy cập đã bị thu hồi hoặc phiên đăng nhập đã kết thúc.');
      // The caller may have gone while the stream's scope was read.
      if (request.socket.destroyed) {
        opening.close();
        reply.hijack();
        return;
      }
      reply.hijack();
      started = true;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      stream.write(`retry: 3000\nevent: ready\ndata: {}\n\n`);
      open.add(stream);
      const keepAlive = setInterval(() => stream.write(': \n\n'), KEEP_ALIVE_MS);
      stream.on('close', () => {
        ended = true;
        clearInterval(keepAlive);
        open.delete(stream);
        opening.close();
      });
    },
  );
};

export default eventRoutes;
