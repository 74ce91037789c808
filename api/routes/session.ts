import { abilitiesOf } from '../../domain/permissions.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { changePassword, findSession, sessionAccount, signIn, signOut } from '../../services/accounts.ts';
import { MIN_PASSWORD_LENGTH } from '../../services/passwords.ts';
import { FREE_FAILURES, MAX_DELAY_SECONDS } from '../../services/sign-in-throttle.ts';
import { actorOf } from '../auth/actor.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { HttpProblem, notFound, unprocessable } from '../problem.ts';
import { problemResponses } from '../schemas/common.ts';

const Email = Type.String({ minLength: 3, maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 500 });
const strict = { additionalProperties: false } as const;

/** 429 for a pair (e-mail, address) that must wait after wrong passwords: how long, in words and in Retry-After. */
function heldBack(reply: FastifyReply, until: Date): HttpProblem {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  reply.header('retry-after', seconds);
  const wait = seconds < 120 ? `${seconds} giây` : `${Math.ceil(seconds / 60)} phút`;
  return new HttpProblem(429, `Đăng nhập sai nhiều lần từ máy này; hãy chờ ${wait} rồi thử lại.`);
}

/** People's sessions: signing in and out, who is signed in, and changing one's own password. */
const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/session',
    {
      config: { public: true },
      schema: {
        operationId: 'signIn',
        tags: ['people'],
        summary: 'Sign in with e-mail and password: sets the session cookie, returns the CSRF token',
        description:
          `After ${FREE_FAILURES} wrong passwords in a row from one address for one e-mail, that pair waits before its ` +
          `next attempt (429 with Retry-After): 1 s, doubling up to ${MAX_DELAY_SECONDS / 60} minutes. Other addresses ` +
          'are not held back, and an unknown e-mail is answered exactly as a known one.',
        body: Type.Object({ email: Email, password: Password }, strict),
        response: { 200: Type.Ref('SessionInfo'), ...problemResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const result = await signIn(app.deps.db, request.body.email, request.body.password, request.ip);
      if (!result.ok) {
        if (result.reason === 'held-back') throw heldBack(reply, result.until);
        throw new HttpProblem(401, 'Sai địa chỉ thư điện tử hoặc mật khẩu.');
      }
      setSessionCookie(request, reply, result.session.id, result.session.expiresAt);
      return {
        user: await sessionAccount(app.deps.db, result.account),
        csrfToken: result.session.csrfToken,
        abilities: abilitiesOf(result.account.role),
      };
    },
  );

  app.get(
    '/v1/session',
    {
      schema: {
        operationId: 'getSession',
        tags: ['people'],
        summary: 'Who is signed in, and the CSRF token to send as X-CSRF-Token with every change',
        response: { 200: Type.Ref('SessionInfo'), ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      if (!request.sessionId) throw notFound('Yêu cầu này dùng mã truy cập, không phải phiên đăng nhập.');
      const session = await findSession(app.deps.db, request.sessionId);
      if (!session) throw new HttpProblem(401, 'Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.');
      return {
        user: await sessionAccount(app.deps.db, session.account),
        csrfToken: session.csrfToken,
        abilities: abilitiesOf(session.account.role),
      };
    },
  );

  app.delete(
    '/v1/session',
    {
      schema: {
        operationId: 'signOut',
        tags: ['people'],
        summary: 'Sign out: the session ends and the cookie is cleared',
        response: { 204: Type.Null(), ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      if (request.sessionId)
        await signOut(app.deps.db, request.sessionId, actorOf(request.principal), request.principal.userId!);
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/session/password',
    {
      schema: {
        operationId: 'changePassword',
        tags: ['people'],
        summary: "Change one's own password (signed in): the other sessions end, this one stays",
        description:
          'Needs the current password; wrong ones count like wrong passwords at sign-in, and the same wait applies (429).',
        body: Type.Object(
          {
            current: Password,
            next: Type.String({
              minLength: 1,
              maxLength: 500,
              description: `At least ${MIN_PASSWORD_LENGTH} characters`,
            }),
          },
          strict,
        ),
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      if (!request.sessionId || !request.principal.userId)
        throw notFound('Yêu cầu này dùng mã truy cập, không phải phiên đăng nhập: mã truy cập không có mật khẩu.');
      const result = await changePassword(app.deps.db, {
        userId: request.principal.userId,
        sessionId: request.sessionId,
        current: request.body.current,
        next: request.body.next,
        from: request.ip,
      });
      if (!result.ok) {
        if (result.reason === 'held-back') throw heldBack(reply, result.until);
        throw unprocessable('Mật khẩu hiện tại không đúng.', [{ field: '/current', message: 'không đúng' }]);
      }
      return reply.status(204).send(null);
    },
  );
};

export default sessionRoutes;
