import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { issueToken, listTokens, revokeToken } from '../../services/tokens.ts';
import { actorOf } from '../auth/actor.ts';
import { notFound } from '../problem.ts';
import { problemResponses } from '../schemas/common.ts';
import { Role } from '../schemas/token.ts';

const TokenRecord = Type.Ref('Token');

/** Tokens are the coordinator's to give and take back; the secret is shown once, at creation. */
const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const coordinatorOnly = app.requireRole('coordinator');

  app.post(
    '/v1/tokens',
    {
      preHandler: coordinatorOnly,
      schema: {
        tags: ['tokens'],
        operationId: 'createToken',
        summary: 'Create a bearer token (the token is returned once, never again)',
        body: Type.Object(
          {
            role: Role,
            agency: Type.Optional(
              Type.String({ minLength: 1, maxLength: 40, description: 'Agency code; required for role "agency"' }),
            ),
            registry: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 60,
                description:
                  'Agency registry (province key, or "trung-uong"); required for an agency code several registries know',
              }),
            ),
            name: Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'Who or what holds it, e.g. "Sở Y tế — văn thư"',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([
            TokenRecord,
            Type.Object({ token: Type.String({ description: 'The secret: shown now, never again' }) }),
          ]),
          ...problemResponses(400, 401, 403, 422),
        },
      },
    },
    async (request, reply) => {
      const { role, agency, registry, name } = request.body;
      const created = await issueToken(app.deps.db, {
        name,
        role,
        agency,
        registry,
        by: actorOf(request.principal),
        byRegistry: request.principal.registry,
      });
      request.log.info({ tokenId: created.id, role, agencyCode: agency }, 'token created');
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/v1/tokens',
    {
      preHandler: coordinatorOnly,
      schema: {
        tags: ['tokens'],
        operationId: 'listTokens',
        summary: 'List tokens (without their secrets)',
        response: {
          200: Type.Object({
            items: Type.Array(TokenRecord),
            nextCursor: Type.Null(),
            total: Type.Integer({ minimum: 0, description: 'How many there are in all' }),
          }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => {
      const items = await listTokens(app.deps.db, request.principal.registry);
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.delete(
    '/v1/tokens/:id',
    {
      preHandler: coordinatorOnly,
      schema: {
        tags: ['tokens'],
        operationId: 'revokeToken',
        summary: 'Revoke a token',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: TokenRecord, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const revoked = await revokeToken(
        app.deps.db,
        request.params.id,
        actorOf(request.principal),
        request.principal.registry,
      );
      if (!revoked) throw notFound('Không có mã truy cập này.');
      app.tokens.forget(revoked.id);
      request.log.info({ tokenId: revoked.id }, 'token revoked');
      return revoked;
    },
  );
};

export default tokenRoutes;
