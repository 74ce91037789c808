import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from '../problem.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Counts one failed authentication (no credentials, an unknown token, an expired session) for
     * the caller's address; throws 429 once the address has failed too often this minute.
     */
    countFailedAuthentication(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

const tooMany = (seconds: number) => new HttpProblem(429, `Quá nhiều yêu cầu; hãy thử lại sau ${seconds} giây.`);

/** Failed authentications an address may make per minute: a tenth of the request budget, at least 10. */
export function failedAuthenticationBudget(requestsPerMinute: number): number {
  return Math.max(10, Math.ceil(requestsPerMinute / 10));
}

/**
 * Security headers, and request budgets per API process, so that a runaway script cannot starve
 * everyone else, and nobody can spend another's budget:
 *
 * - an authenticated request counts against its token (`token:<id>`) or its person's sessions
 *   (`user:<id>`), whatever its address: a whole department may sit behind one address;
 * - a request that fails authentication counts against its address's own, smaller budget
 *   (`authfail:<ip>`), which no valid caller shares;
 * - a public route (sign-in, invitation pages, the web app) counts against its address (`ip:<ip>`).
 *
 * The address is the client's own behind a reverse proxy only when TRUST_PROXY says which proxies
 * to believe (`trustProxy` of Fastify); otherwise X-Forwarded-For is ignored, since anyone can send it.
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
    await app.register(rateLimit, {
      max: options.requestsPerMinute,
      timeWindow: '1 minute',
      // After authentication (a preParsing hook of the auth plugin, which runs before this
      // route-level one) and still before the body is read.
      hook: 'preParsing',
      keyGenerator: (request) => {
        const principal = request.principal as FastifyRequest['principal'] | null;
        if (!principal) return `ip:${request.ip}`;
        return principal.userId ? `user:${principal.userId}` : `token:${principal.tokenId}`;
      },
      // Thrown by the plugin, so it goes through the error handler like every other problem.
      errorResponseBuilder: (_request, context) => tooMany(Math.ceil(context.ttl / 1000)),
    });

    const failures = app.createRateLimit({
      max: failedAuthenticationBudget(options.requestsPerMinute),
      timeWindow: '1 minute',
      keyGenerator: (request) => `authfail:${request.ip}`,
    });
    app.decorate('countFailedAuthentication', async (request: FastifyRequest, reply: FastifyReply) => {
      const counted = await failures(request);
      if (!counted.isAllowed && counted.isExceeded) {
        reply.header('retry-after', counted.ttlInSeconds);
        throw tooMany(counted.ttlInSeconds);
      }
    });
  },
  { name: 'protection', dependencies: ['errors'] },
);
