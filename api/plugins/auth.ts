import fp from 'fastify-plugin';
import type { preHandlerAsyncHookHandler, preParsingAsyncHookHandler } from 'fastify';
import type { Principal, Role } from '../../domain/permissions.ts';
import { timingSafeEqual } from 'node:crypto';
import { LOOKUP_BUSY, TokenVerifier } from '../../services/tokens.ts';
import { findSession } from '../../services/accounts.ts';
import { forbidden, HttpProblem } from '../problem.ts';
import { readSessionCookie } from '../auth/cookies.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** The session cookie's value, when a person (not a token) made the request. */
    sessionId?: string;
  }
  interface FastifyInstance {
    tokens: TokenVerifier;
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
    /** The same check, made before the body is read: for routes that take large bodies. */
    requireRoleBeforeBody(...roles: Role[]): preParsingAsyncHookHandler;
  }
  interface FastifyContextConfig {
    /** Reachable without a token (health, documentation). */
    public?: boolean;
  }
}

const roleNames: Record<Role, string> = {
  coordinator: 'cơ quan thường trực',
  agency: 'cơ quan chủ trì',
  leadership: 'lãnh đạo',
};

/** What a person is told when their role may not do something: plainly, and who may. */
function notAllowed(roles: readonly Role[]): string {
  return `Không có quyền: chỉ ${roles.map((r) => roleNames[r]).join(' hoặc ')} được thực hiện thao tác này.`;
}

function isPublic(url: string, config: { public?: boolean } | undefined): boolean {
  return config?.public === true || url === '/docs' || url.startsWith('/docs/');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Every request carries a bearer token (machines) or a session cookie (people), except health
 * checks, the documentation, the web pages and signing in. A cookie is sent by the browser on its
 * own, so a change made with one must also carry the session's CSRF token in X-CSRF-Token, which
 * only our own pages can read.
 */
export default fp(
  async (app) => {
    app.decorate('tokens', new TokenVerifier(app.deps.db));
    app.decorateRequest('principal', null as unknown as Principal);

    // preParsing, not onRequest: the body is still not read before the caller is known, and the
    // request budget (a route-level preParsing hook, which runs after this one) is then the
    // caller's own. A request that fails here counts against its address's failed-authentication
    // budget instead, which no valid caller spends (api/plugins/protection.ts).
    app.addHook('preParsing', async (request, reply, payload) => {
      if (isPublic(request.url.split('?')[0]!, request.routeOptions.config as { public?: boolean })) return payload;
      const refuse = async (problem: HttpProblem) => {
        await app.countFailedAuthentication(request, reply);
        return problem;
      };
      const header = request.headers.authorization;
      const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
      const cookie = match ? undefined : readSessionCookie(request.headers.cookie);
      if (cookie) {
        const session = await findSession(app.deps.db, cookie);
        if (!session) throw await refuse(new HttpProblem(401, 'Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.'));
        if (!SAFE_METHODS.has(request.method)) {
          const given = request.headers['x-csrf-token'];
          if (typeof given !== 'string' || !sameSecret(given, session.csrfToken))
            throw forbidden('Thiếu hoặc sai mã chống giả mạo yêu cầu (X-CSRF-Token); hãy tải lại trang.');
        }
        request.principal = session.principal;
        request.sessionId = cookie;
        return payload;
      }
      reply.header('www-authenticate', 'Bearer');
      if (!match)
        throw await refuse(new HttpProblem(401, 'Cần mã truy cập: gửi tiêu đề "Authorization: Bearer <mã>".'));
      const principal = await app.tokens.verify(match[1]!, request.ip);
      if (principal === LOOKUP_BUSY) {
        reply.header('retry-after', 1);
        throw new HttpProblem(
          429,
          'Máy chủ đang kiểm tra nhiều mã truy cập gửi từ địa chỉ này; hãy thử lại sau giây lát.',
        );
      }
      if (!principal) throw await refuse(new HttpProblem(401, 'Mã truy cập không hợp lệ hoặc đã bị thu hồi.'));
      reply.removeHeader('www-authenticate');
      request.principal = principal;
      return payload;
    });

    app.decorate(
      'requireRoleBeforeBody',
      (...roles: Role[]): preParsingAsyncHookHandler =>
        async (request, _reply, payload) => {
          // Route hooks run after the auth hook of the same stage, so the principal is known here.
          if (!roles.includes(request.principal.role)) throw forbidden(notAllowed(roles));
          return payload;
        },
    );

    app.decorate('requireRole', (...roles: Role[]): preHandlerAsyncHookHandler => async (request) => {
      if (!roles.includes(request.principal.role)) throw forbidden(notAllowed(roles));
    });
  },
  { name: 'auth', dependencies: ['errors', 'protection'] },
);
