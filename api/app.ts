import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Logger } from '../runtime/logger.ts';
import type { ServiceDeps } from '../services/deps.ts';
import type { FileStore } from '../services/file-store.ts';
import type { InvitationMail } from '../services/invitation-mail.ts';
import type { CidrRange } from '../domain/webhook-target.ts';
import type { WorkingCalendar } from '../domain/calendar.ts';
import { createDirectoryFileStore } from '../runtime/directory-file-store.ts';
import errors from './plugins/errors.ts';
import inputGuard from './plugins/input-guard.ts';
import openapi from './plugins/openapi.ts';
import uploads from './plugins/uploads.ts';
import auth from './plugins/auth.ts';
import protection from './plugins/protection.ts';
import { namedSchemas } from './schemas/components.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The application's dependencies, handed to every service a route calls. */
    deps: ServiceDeps;
    /** Where deliverable files are kept, one per content, under their SHA-256. */
    files: FileStore;
    /** How invitations are e-mailed; absent, the coordinator hands the link on. */
    invitationMail: InvitationMail | undefined;
    /** Internal ranges a webhook contact may point at (DONDOC_WEBHOOK_ALLOW). */
    webhookAllow: readonly CidrRange[];
    /** The address people reach the app at (PUBLIC_URL), for links the API gives out; else the request's. */
    publicUrl: string | undefined;
  }
}
import healthRoutes from './routes/health.ts';
import planRoutes from './routes/plans.ts';
import planDraftRoutes from './routes/plan-drafts.ts';
import assignmentRoutes from './routes/assignments.ts';
import agencyRoutes from './routes/agencies.ts';
import tokenRoutes from './routes/tokens.ts';
import notificationRoutes from './routes/notifications.ts';
import oversightRoutes from './routes/oversight.ts';
import reportRoutes, { narrativeRoutes } from './routes/reports.ts';
import sessionRoutes from './routes/session.ts';
import invitationRoutes from './routes/invitations.ts';
import userRoutes from './routes/users.ts';
import fileRoutes from './routes/files.ts';
import eventRoutes from './routes/events.ts';
import web from './plugins/web.ts';
import contactRoutes from './routes/contacts.ts';
import deliveryRoutes from './routes/deliveries.ts';
import meRoutes from './routes/me.ts';
import calendarRoutes from './routes/calendar.ts';
import labelRoutes from './routes/labels.ts';
import { deliverySchemas } from './schemas/delivery.ts';

export interface AppOptions {
  logger: Logger;
  /** Requests a token (or an address without one) may make per minute. */
  requestsPerMinute?: number;
  /**
   * Which reverse proxies to believe about the client's address and protocol (TRUST_PROXY); none
   * by default, since anyone can send X-Forwarded-For.
   */
  trustProxy?: boolean | string[];
  /** Largest request body, in bytes (plan files included). */
  bodyLimit?: number;
  /** The URL people reach the API at, named as the server in the OpenAPI document; else "/". */
  publicUrl?: string;
  /** Serve the interactive API documentation at /docs (DONDOC_API_DOCS); /openapi.json is always served. */
  apiDocs?: boolean;
  /** Where deliverable files are stored; else the directory `filesDir`. */
  files?: FileStore;
  /** Sends each invitation's link by e-mail; without it the link is only shown to the coordinator. */
  invitationMail?: InvitationMail;
  /** The directory of deliverable files when no `files` is given; `.data/files` under the working directory by default. */
  filesDir?: string;
  /** Internal ranges a webhook contact may point at; none by default. */
  webhookAllow?: readonly CidrRange[];
  /** Event streams (`GET /v1/events`) this process keeps open at most; 500 by default. */
  maxEventStreams?: number;
  /** The working calendar report due days are moved on; the shipped one (data/calendar/) by default. */
  calendar?: WorkingCalendar;
}

/** A JSON body of any route but the plan import: commands, tokens, registry edits. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function buildApp(deps: ServiceDeps, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // Unknown fields are refused, not silently dropped: the sender learns about the typo.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  app.decorate('invitationMail', options.invitationMail);
  app.decorate('webhookAllow', options.webhookAllow ?? []);
  app.decorate('publicUrl', options.publicUrl);
  app.decorate('files', options.files ?? createDirectoryFileStore(options.filesDir ?? resolve('.data', 'files')));
  // An unknown query parameter is refused like an unknown body field, so that a typo
  // ("?statsu=overdue") never returns the unfiltered list.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/')) return;
    const schema = (route.schema ??= {});
    const query = (schema.querystring ?? Type.Object({})) as { additionalProperties?: unknown };
    if (query.additionalProperties === undefined) query.additionalProperties = false;
    schema.querystring = query;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  for (const schema of namedSchemas) app.addSchema(schema);
  for (const schema of deliverySchemas) app.addSchema(schema);
  await app.register(errors);
  await app.register(inputGuard);
  await app.register(protection, { requestsPerMinute: options.requestsPerMinute ?? 600 });
  await app.register(auth);
  await app.register(openapi, { publicUrl: options.publicUrl, docsPage: options.apiDocs ?? false });
  await app.register(uploads);
  await app.register(healthRoutes);
  await app.register(planRoutes);
  await app.register(planDraftRoutes, { ...(options.calendar ? { calendar: options.calendar } : {}) });
  await app.register(assignmentRoutes);
  await app.register(agencyRoutes);
  await app.register(tokenRoutes);
  await app.register(notificationRoutes);
  await app.register(oversightRoutes);
  await app.register(reportRoutes);
  await app.register(narrativeRoutes);
  await app.register(sessionRoutes);
  await app.register(invitationRoutes);
  await app.register(userRoutes);
  await app.register(fileRoutes);
  await app.register(eventRoutes, { maxStreams: options.maxEventStreams ?? 500 });
  await app.register(web);
  await app.register(contactRoutes);
  await app.register(deliveryRoutes);
  await app.register(meRoutes);
  await app.register(labelRoutes);
  await app.register(calendarRoutes, { ...(options.calendar ? { calendar: options.calendar } : {}) });
  return app;
}
