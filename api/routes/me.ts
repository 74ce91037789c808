import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { myPreferences, setMyPreferences } from '../../services/personal-preferences.ts';
import { createCalendarFeed, revokeCalendarFeed } from '../../services/calendar-feed.ts';
import { actorOf } from '../auth/actor.ts';
import { problemResponses } from '../schemas/common.ts';
import { PreferencesBody } from '../schemas/me.ts';

/** The address people reach the app at: the configured public URL, or the one this request came to. */
export function baseUrl(configured: string | undefined, request: { protocol: string; host: string }): string {
  return (configured ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

/** What a signed-in person sets for themselves: how they hear about their work, their calendar feed. */
const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/me/preferences',
    {
      schema: {
        tags: ['people'],
        operationId: 'getMyPreferences',
        summary: 'How I receive each kind of notification by e-mail: at once, in the morning digest, or not at all',
        description:
          'Every person with an account receives what concerns their agency or role at the address they sign in ' +
          'with, by default. A token (not a person) is refused.',
        response: { 200: Type.Ref('MyPreferences'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => myPreferences(app.deps.db, request.principal),
  );

  app.put(
    '/v1/me/preferences',
    {
      schema: {
        tags: ['people'],
        operationId: 'setMyPreferences',
        summary: 'Choose, per kind, immediate, digest or off',
        body: PreferencesBody,
        response: { 200: Type.Ref('MyPreferences'), ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      setMyPreferences(app.deps.db, request.principal, actorOf(request.principal), request.body.preferences),
  );

  app.post(
    '/v1/me/calendar',
    {
      schema: {
        tags: ['people'],
        operationId: 'createMyCalendarFeed',
        summary: 'Make (or replace) my private calendar feed of deadlines and report due days',
        description:
          'The answer’s URL is an iCalendar feed (RFC 5545) that Outlook, Google Calendar or a phone subscribes to: one ' +
          'all-day event per open assignment’s due day and per owed report’s due day, of the person’s agency (an ' +
          'agency’s people) or registry (the coordinator’s and leadership’s, 90 days back to 400 ahead). Its secret is ' +
          'the only credential and is shown this once; making a new one ends the old URL. A token is refused.',
        response: {
          201: Type.Object({
            url: Type.String({ description: 'https://…/calendar/cal_….ics: keep it private' }),
            createdAt: Type.String({ format: 'date-time' }),
          }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request, reply) => {
      const { secret, createdAt } = await createCalendarFeed(
        app.deps.db,
        request.principal,
        actorOf(request.principal),
      );
      return reply.status(201).send({ url: `${baseUrl(app.publicUrl, request)}/calendar/${secret}.ics`, createdAt });
    },
  );

  app.delete(
    '/v1/me/calendar',
    {
      schema: {
        tags: ['people'],
        operationId: 'revokeMyCalendarFeed',
        summary: 'Revoke my calendar feed: its URL answers 404 from now on',
        response: { 204: Type.Null({ description: 'Revoked' }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeCalendarFeed(app.deps.db, request.principal, actorOf(request.principal));
      return reply.status(204).send(null);
    },
  );
};

export default meRoutes;
