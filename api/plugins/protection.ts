import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { HttpProblem } from '../problem.ts';

/**
 * Security headers, and a request budget per token (per address without one), so that a runaway
 * script cannot starve everyone else. The budget is per API process.
 */
export default fp<{ requestsPerMinute: number }>(
  async (app, options) => {
    // Our pages run our own script files and nothing else: no inline script, no other origin.
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    });
    // The documentation page (Swagger UI) alone needs its inline script and styles.
    app.addHook('onSend', async (request, reply) => {
      if (request.url === '/docs' || request.url.startsWith('/docs/'))
        reply.header(
          'content-security-policy',
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        );
    });
    await app.register(rateLimit, {
      max: options.requestsPerMinute,
      timeWindow: '1 minute',
      // A valid token has its own budget (a whole department may sit behind one address); anything
      // else counts against the address, so inventing tokens buys no extra requests. The verifier
      // remembers, so the auth hook that runs next asks the database nothing more, and it looks
      // up no more unknown tokens per address and minute than this budget.
      keyGenerator: async (request) => {
        const token = request.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
        const principal = token ? await request.server.tokens.verify(token, request.ip) : undefined;
        return principal ? `token:${principal.tokenId}` : `ip:${request.ip}`;
      },
      // Thrown by the plugin, so it goes through the error handler like every other problem.
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(429, `Quá nhiều yêu cầu; hãy thử lại sau ${Math.ceil(context.ttl / 1000)} giây.`),
    });
  },
  { name: 'protection', dependencies: ['errors'] },
);
