import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { searchAccounts, setAccountDisabled } from '../../services/accounts.ts';
import { actorOf } from '../auth/actor.ts';
import { encodeCursor, readCursor } from '../cursor.ts';
import { CountedPage, PageQuery, problemResponses } from '../schemas/common.ts';

/** The coordinator's list of accounts, and turning one off and on. */
const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const coordinatorOnly = app.requireRole('coordinator');

  app.get(
    '/v1/users',
    {
      preHandler: coordinatorOnly,
      schema: {
        operationId: 'listUsers',
        tags: ['people'],
        summary: 'The accounts, or find people by name (coordinator; a province coordinator sees its own)',
        description:
          'In name order, paged, with how many match in all. `q` matches the name or the e-mail with or without ' +
          'diacritics ("nguyen van an"): the people picker types a few letters.',
        querystring: Type.Object({
          ...PageQuery,
          // Up to 500 at once by default: the page that lists every account reads one page.
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 500 })),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          role: Type.Optional(
            Type.Union([Type.Literal('coordinator'), Type.Literal('agency'), Type.Literal('leadership')]),
          ),
          agency: Type.Optional(Type.String({ description: 'Only the people of this agency (its code)' })),
        }),
        response: {
          200: CountedPage(Type.Ref('Account')),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { limit = 500, cursor, q, role, agency } = request.query;
      const offset = readCursor(cursor, 'number') ?? 0;
      const { items, total } = await searchAccounts(app.deps.db, request.principal.registry, {
        ...(q ? { q } : {}),
        ...(role ? { role } : {}),
        ...(agency ? { agency } : {}),
        limit,
        offset,
      });
      return { items, nextCursor: offset + limit < total ? encodeCursor([offset + limit]) : null, total };
    },
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

export default userRoutes;
