import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAccounts, setAccountDisabled } from '../../services/accounts.ts';
import { actorOf } from '../auth/actor.ts';
import { problemResponses } from '../schemas/common.ts';

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

export default userRoutes;
