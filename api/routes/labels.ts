import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  bucketLabels,
  commandLabels,
  fieldLabels,
  notificationKindLabels,
  personalModeLabels,
  reportStatusLabels,
  roleLabels,
  statusGroupLabels,
  statusLabels,
} from '../../domain/labels.ts';
import { statusGroups } from '../../domain/lifecycle.ts';
import { problemResponses } from '../schemas/common.ts';

/** The words of the domain (domain/labels.ts), for pages that show codes the API gives. */
const labelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/labels',
    {
      schema: {
        tags: ['people'],
        operationId: 'getLabels',
        summary: 'The Vietnamese words for the codes the API uses: statuses, buckets, commands, kinds, roles',
        description:
          'The same words the server writes into its notifications, e-mails and exports (one set everywhere), so a ' +
          'page never spells them differently.',
        response: { 200: Type.Ref('Labels'), ...problemResponses(401) },
      },
    },
    async () => ({
      statuses: statusLabels,
      statusGroups: Object.fromEntries(
        Object.entries(statusGroups).map(([g, statuses]) => [
          g,
          { label: statusGroupLabels[g as keyof typeof statusGroupLabels], statuses: [...statuses] },
        ]),
      ),
      buckets: bucketLabels,
      reportStatuses: reportStatusLabels,
      commands: commandLabels,
      notificationKinds: notificationKindLabels,
      personalModes: personalModeLabels,
      roles: roleLabels,
      fields: fieldLabels,
    }),
  );
};

export default labelRoutes;
