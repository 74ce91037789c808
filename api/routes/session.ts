import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  acceptInvitation,
  findSession,
  invite,
  listAccounts,
  readInvitation,
  setAccountDisabled,
  signIn,
  signOut,
} from '../../services/accounts.ts';
import { actorOf } from '../auth/actor.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { HttpProblem, notFound } from '../problem.ts';
import { problemResponses } from '../schemas/common.ts';
import { Account, Invitation, InvitationCreated, SessionInfo } from '../schemas/account.ts';
import { FREE_FAILURES, MAX_DELAY_SECONDS } from '../../services/sign-in-throttle.ts';
import { emailInvitation } from '../../services/invitation-mail.ts';

const Email = Type.String({ minLength: 3, maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 500 });
const InvitationToken = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) });
const strict = { additionalProperties: false } as const;

/** People: signing in and out, invitations, and the coordinator's list of accounts. */
const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Account);
  app.addSchema(SessionInfo);
  app.addSchema(Invitation);
  const coordinatorOnly = app.requireRole('coordinator');

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
        if (result.reason === 'held-back') {
          const seconds = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 1000));
          reply.header('retry-after', seconds);
          throw new HttpProblem(
            429,
            `Đăng nhập sai nhiều lần từ máy này; hãy chờ ${seconds < 120 ? `${seconds} giây` : `${Math.ceil(seconds / 60)} phút`} rồi thử lại.`,
          );
        }
        throw new HttpProblem(401, 'Sai địa chỉ thư điện tử hoặc mật khẩu.');
      }
      setSessionCookie(request, reply, result.session.id, result.session.expiresAt);
      return { user: result.account, csrfToken: result.session.csrfToken };
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
      return { user: session.account, csrfToken: session.csrfToken };
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
    '/v1/invitations',
    {
      preHandler: coordinatorOnly,
      schema: {
        operationId: 'createInvitation',
        tags: ['people'],
        summary: 'Invite a person (coordinator): e-mails the invitation link, and returns it once',
        body: Type.Object(
          {
            email: Email,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: Type.Union([Type.Literal('coordinator'), Type.Literal('agency'), Type.Literal('leadership')]),
            agency: Type.Optional(
              Type.String({ minLength: 1, maxLength: 40, description: 'Agency code, for role agency' }),
            ),
            registry: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
          },
          strict,
        ),
        response: { 201: InvitationCreated, ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const { agency, registry, ...rest } = request.body;
      const created = await invite(app.deps.db, {
        ...rest,
        ...(agency ? { agency } : {}),
        ...(registry ? { registry } : {}),
        by: actorOf(request.principal),
        ...(request.principal.registry !== undefined ? { byRegistry: request.principal.registry } : {}),
      });
      const { token, ...invitation } = created;
      let emailed = false;
      if (app.invitationMail)
        try {
          await emailInvitation(app.invitationMail, invitation, token);
          emailed = true;
        } catch (error) {
          // The address and the link stay out of the log; the coordinator has the link.
          request.log.warn(
            { invitation: invitation.id, error: error instanceof Error ? error.name : 'unknown' },
            'the invitation e-mail was not sent',
          );
        }
      return reply.status(201).send({ ...invitation, token, link: `/#/loi-moi/${token}`, emailed });
    },
  );

  app.get(
    '/v1/invitations/:token',
    {
      config: { public: true },
      schema: {
        operationId: 'getInvitation',
        tags: ['people'],
        summary: 'What an invitation link is for (name, e-mail, role, agency)',
        params: InvitationToken,
        response: { 200: Type.Ref('Invitation'), ...problemResponses(404) },
      },
    },
    async (request) => readInvitation(app.deps.db, request.params.token),
  );

  app.post(
    '/v1/invitations/:token/accept',
    {
      config: { public: true },
      schema: {
        operationId: 'acceptInvitation',
        tags: ['people'],
        summary: 'Choose a password: creates the account, spends the link and signs in',
        params: InvitationToken,
        body: Type.Object({ password: Password }, strict),
        response: { 201: Type.Ref('SessionInfo'), ...problemResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { account, session } = await acceptInvitation(app.deps.db, request.params.token, request.body.password);
      setSessionCookie(request, reply, session.id, session.expiresAt);
      return reply.status(201).send({ user: account, csrfToken: session.csrfToken });
    },
  );

  app.get(
    '/v1/users',
    {
      preHandler: coordinatorOnly,
      schema: {
        operationId: 'listUsers',
        tags: ['people'],
        summary: 'The accounts (coordinator; a province coordinator sees its own)',
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('Account')), nextCursor: Type.Null() }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => ({ items: await listAccounts(app.deps.db, request.principal.registry), nextCursor: null }),
  );

  for (const [path, disabled, operationId, summary] of [
    ['disable', true, 'disableUser', 'Disable an account: its sessions end (coordinator)'],
    [
      'enable',
      false,
      'enableUser',
      'Enable an account again, and let every address try its password at once (coordinator)',
    ],
  ] as const)
    app.post(
      `/v1/users/:id/${path}`,
      {
        preHandler: coordinatorOnly,
        schema: {
          operationId,
          tags: ['people'],
          summary,
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: Type.Ref('Account'), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) =>
        setAccountDisabled(
          app.deps.db,
          request.params.id,
          disabled,
          actorOf(request.principal),
          request.principal.registry,
        ),
    );
};

export default sessionRoutes;
