import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';
import { calendarFeed } from '../../services/calendar-feed.ts';
import { notFound } from '../problem.ts';
import { problemResponses } from '../schemas/common.ts';
import { baseUrl } from './me.ts';

/**
 * The calendar feeds people subscribe to from Outlook, Google Calendar or a phone: public, since
 * those apps send no credentials; the secret in the path is the credential (and never logged:
 * runtime/logger.ts).
 */
const calendarRoutes: FastifyPluginAsyncTypebox<{ calendar?: WorkingCalendar }> = async (app, options) => {
  // Report due days move to a working day by the plan's policy: the shipped working calendar says which.
  let calendar: Promise<WorkingCalendar> | undefined = options.calendar ? Promise.resolve(options.calendar) : undefined;

  app.get(
    '/calendar/:file',
    {
      config: { public: true },
      schema: {
        tags: ['people'],
        operationId: 'getCalendarFeed',
        summary: 'A person’s calendar feed (iCalendar): their deadlines and report due days',
        description:
          'The URL given by POST /v1/me/calendar. text/calendar (RFC 5545): all-day events, one per open assignment’s ' +
          'due day and per owed report’s due day, each with a stable UID, updated when a deadline moves. 404 for a ' +
          'secret that is unknown or revoked, or whose person’s account is disabled.',
        params: Type.Object({ file: Type.String({ description: 'cal_<secret>.ics', maxLength: 200 }) }),
        response: {
          200: {
            description: 'The feed',
            content: { 'text/calendar': { schema: Type.String({ description: 'iCalendar, UTF-8, CRLF' }) } },
          },
          ...problemResponses(404),
        },
      },
    },
    async (request, reply) => {
      const secret = request.params.file.replace(/\.ics$/, '');
      calendar ??= loadCalendar();
      const body =
        request.params.file.endsWith('.ics') &&
        (await calendarFeed(app.deps.db, secret, {
          calendar: await calendar,
          publicUrl: baseUrl(app.publicUrl, request),
        }));
      if (!body) throw notFound('Không có lịch này (đường dẫn sai hoặc đã bị thu hồi).');
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header('content-disposition', 'inline; filename="don-doc.ics"')
        .send(body);
    },
  );
};

export default calendarRoutes;
