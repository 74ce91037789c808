import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { addContact, getContact, listContacts, removeContact, updateContact } from '../../services/contacts.ts';
import { actorOf } from '../auth/actor.ts';
import { problemResponses } from '../schemas/common.ts';
import {
  ContactRoleSchema,
  DeliveryChannelSchema,
  DeliveryModeSchema,
  NotificationKindSchema,
} from '../schemas/delivery.ts';

const ContactId = Type.Object({ id: Type.String({ format: 'uuid' }) });
// Partial: a record keyed by a union of literals would otherwise require every kind.
const Preferences = Type.Partial(
  Type.Record(NotificationKindSchema, DeliveryModeSchema, {
    description: 'Per kind of notification: immediate or digest (absent kinds keep their defaults)',
  }),
);

/**
 * Who receives notifications by e-mail or webhook: the coordinator manages its registry's contacts
 * (agencies' and roles'), an agency its own; leadership reads them.
 */
const contactRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const managers = app.requireRole('coordinator', 'agency');

  app.get(
    '/v1/contacts',
    {
      schema: {
        tags: ['contacts'],
        operationId: 'listContacts',
        summary: 'Contacts that receive notifications by e-mail or webhook',
        querystring: Type.Object({
          registry: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
          agency: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('Contact')),
            nextCursor: Type.Null(),
            total: Type.Integer({ minimum: 0, description: 'How many there are in all' }),
          }),
          ...problemResponses(400, 401),
        },
      },
    },
    async (request) => {
      const items = await listContacts(app.deps.db, request.principal, request.query);
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.get(
    '/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        operationId: 'getContact',
        summary: 'One contact',
        params: ContactId,
        response: { 200: Type.Ref('Contact'), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => getContact(app.deps.db, request.principal, request.params.id),
  );

  app.post(
    '/v1/contacts',
    {
      preHandler: managers,
      schema: {
        tags: ['contacts'],
        operationId: 'addContact',
        summary: "Add an e-mail address or a webhook for an agency or a role (a webhook's secret is returned once)",
        body: Type.Object(
          {
            registry: Type.Optional(
              Type.String({ minLength: 1, maxLength: 60, description: 'Required for a deployment-wide coordinator' }),
            ),
            agency: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Agency code' })),
            role: Type.Optional(ContactRoleSchema),
            channel: DeliveryChannelSchema,
            address: Type.String({
              minLength: 3,
              maxLength: 2000,
              description:
                'E-mail address or webhook URL (http or https, no user or password; an internal address only inside DONDOC_WEBHOOK_ALLOW)',
            }),
            name: Type.Optional(Type.String({ maxLength: 200 })),
            secret: Type.Optional(
              Type.String({ maxLength: 200, description: 'A webhook secret whsec_<base64>; generated when absent' }),
            ),
            preferences: Type.Optional(Preferences),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('CreatedContact'), ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { secret, ...contact } = await addContact(
        app.deps.db,
        { principal: request.principal, actor: actorOf(request.principal) },
        request.body,
        { webhookAllow: app.webhookAllow },
      );
      request.log.info({ contactId: contact.id, channel: contact.channel }, 'contact added');
      return reply.status(201).send({ contact, ...(secret ? { secret } : {}) });
    },
  );

  app.patch(
    '/v1/contacts/:id',
    {
      preHandler: managers,
      schema: {
        tags: ['contacts'],
        operationId: 'updateContact',
        summary: 'Change a contact: its name, address, or how it receives each kind (null: back to the default)',
        params: ContactId,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            address: Type.Optional(Type.String({ minLength: 3, maxLength: 2000 })),
            preferences: Type.Optional(
              Type.Partial(Type.Record(NotificationKindSchema, Type.Union([DeliveryModeSchema, Type.Null()]))),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Contact'), ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const updated = await updateContact(
        app.deps.db,
        { principal: request.principal, actor: actorOf(request.principal) },
        request.params.id,
        request.body,
        { webhookAllow: app.webhookAllow },
      );
      request.log.info({ contactId: updated.id }, 'contact updated');
      return updated;
    },
  );

  app.delete(
    '/v1/contacts/:id',
    {
      preHandler: managers,
      schema: {
        tags: ['contacts'],
        operationId: 'removeContact',
        summary: 'Remove a contact: it receives nothing more',
        params: ContactId,
        response: { 200: Type.Ref('Contact'), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const removed = await removeContact(
        app.deps.db,
        { principal: request.principal, actor: actorOf(request.principal) },
        request.params.id,
      );
      request.log.info({ contactId: removed.id }, 'contact removed');
      return removed;
    },
  );
};

export default contactRoutes;
