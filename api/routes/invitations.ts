import { abilitiesOf } from '../../domain/permissions.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  acceptInvitation,
  invite,
  listInvitations,
  readInvitation,
  resetPassword,
  revokeInvitation,
  type Invitation,
} from '../../services/invitations.ts';
import { sessionAccount } from '../../services/accounts.ts';
import { emailInvitation } from '../../services/invitation-mail.ts';
import { actorOf } from '../auth/actor.ts';
import { setSessionCookie } from '../auth/cookies.ts';
import { problemResponses } from '../schemas/common.ts';
import { InvitationCreated } from '../schemas/account.ts';

const Email = Type.String({ minLength: 3, maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 500 });
const InvitationToken = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) });
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
// GET and DELETE share the path /v1/invitations/{invitation}, so they share its parameter's name:
// the link's secret for the person who opens it, the invitation's id for the coordinator.
const LinkSecret = Type.Object({
  invitation: Type.String({ minLength: 10, maxLength: 200, description: "The link's secret (inv_…)" }),
});
const InvitationId = Type.Object({
  invitation: Type.String({ format: 'uuid', description: "The invitation's id" }),
});
const strict = { additionalProperties: false } as const;

/**
 * Links that let a person in: invitations (make an account) and password resets (set a new
 * password on one), made by a coordinator, opened by the person at `/#/loi-moi/<token>`.
 */
const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const coordinatorOnly = app.requireRole('coordinator');

  /** E-mails the link when SMTP is set; the coordinator is shown it either way, once. */
  async function handOut(request: FastifyRequest, created: Invitation & { token: string }) {
    const { token, ...invitation } = created;
    let emailed = false;
    if (app.invitationMail)
      try {
        await emailInvitation(app.invitationMail, invitation, token, app.deps.db);
        emailed = true;
      } catch (error) {
        // The address and the link stay out of the log; the coordinator has the link.
        request.log.warn(
          { invitation: invitation.id, error: error instanceof Error ? error.name : 'unknown' },
          'the invitation e-mail was not sent',
        );
      }
    return { ...invitation, token, link: `/#/loi-moi/${token}`, emailed };
  }

  app.post(
    '/v1/invitations',
    {
      preHandler: coordinatorOnly,
      schema: {
        operationId: 'createInvitation',
        tags: ['people'],
        summary: 'Invite a person (coordinator): e-mails the invitation link, and returns it once',
        description:
          'An address without an account may be invited again: its earlier invitation, if still open, is revoked.',
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
      return reply.status(201).send(await handOut(request, created));
    },
  );

  app.get(
    '/v1/invitations',
    {
      preHandler: coordinatorOnly,
      schema: {
        operationId: 'listInvitations',
        tags: ['people'],
        summary:
          'The links still open: invitations and password resets (coordinator; a province coordinator sees its own)',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('Invitation')),
            nextCursor: Type.Null(),
            total: Type.Integer({ minimum: 0, description: 'How many there are in all' }),
          }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => {
      const items = await listInvitations(app.deps.db, request.principal.registry);
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.delete(
    '/v1/invitations/:invitation',
    {
      preHandler: coordinatorOnly,
      schema: {
        operationId: 'revokeInvitation',
        tags: ['people'],
        summary: 'Revoke an open invitation or password-reset link (coordinator): it lets nobody in any more',
        params: InvitationId,
        response: { 200: Type.Ref('Invitation'), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) =>
      revokeInvitation(app.deps.db, request.params.invitation, actorOf(request.principal), request.principal.registry),
  );

  app.get(
    '/v1/invitations/:invitation',
    {
      config: { public: true },
      schema: {
        operationId: 'getInvitation',
        tags: ['people'],
        summary: 'What a link is for (an account, or a new password; name, e-mail, role, agency)',
        params: LinkSecret,
        response: { 200: Type.Ref('Invitation'), ...problemResponses(404) },
      },
    },
    async (request) => readInvitation(app.deps.db, request.params.invitation),
  );

  app.post(
    '/v1/invitations/:token/accept',
    {
      config: { public: true },
      schema: {
        operationId: 'acceptInvitation',
        tags: ['people'],
        summary: 'Choose a password: creates the account (or sets its new password), spends the link and signs in',
        params: InvitationToken,
        body: Type.Object({ password: Password }, strict),
        response: { 201: Type.Ref('SessionInfo'), ...problemResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { account, session } = await acceptInvitation(app.deps.db, request.params.token, request.body.password);
      setSessionCookie(request, reply, session.id, session.expiresAt);
      return reply.status(201).send({
        user: await sessionAccount(app.deps.db, account),
        csrfToken: session.csrfToken,
        abilities: abilitiesOf(account.role),
      });
    },
  );

  app.post(
    '/v1/users/:id/reset',
    {
      preHandler: coordinatorOnly,
      schema: {
        operationId: 'resetUserPassword',
        tags: ['people'],
        summary:
          "Reset a person's password (coordinator): their sessions end, the old password stops working, and a link " +
          'to choose a new one is e-mailed and returned once',
        params: Id,
        response: { 201: InvitationCreated, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await resetPassword(
        app.deps.db,
        request.params.id,
        actorOf(request.principal),
        request.principal.registry,
      );
      return reply.status(201).send(await handOut(request, created));
    },
  );
};

export default invitationRoutes;
