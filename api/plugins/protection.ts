import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { problemBody } from '../problem.ts';

/**
 * Security headers, and a request budget per token (per address without one), so that a runaway
 * script cannot starve everyone else. The budget is per API process.
 */
export default fp<{ requestsPerMinute: number }>(async (app, options) => {
  await app.register(helmet, {
    // The documentation page (Swagger UI) needs its inline script and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  await app.register(rateLimit, {
    max: options.requestsPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (request) => {
      const auth = request.headers.authorization;
      return auth ? `token:${createHash('sha256').update(auth).digest('hex').slice(0, 32)}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (request, context) => ({
      statusCode: 429,
      ...problemBody(429, 'Too Many Requests', `Quá nhiều yêu cầu; hãy thử lại sau ${Math.ceil(context.ttl / 1000)} giây.`, request.url),
    }),
  });
}, { name: 'protection', dependencies: ['errors'] });
