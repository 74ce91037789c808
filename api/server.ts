import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.ts';
import type { Logger } from '../runtime/logger.ts';
import type { FileStore } from '../services/file-store.ts';
import { buildApp } from './app.ts';
import type { InvitationMail } from '../services/invitation-mail.ts';
import type { CidrRange } from '../domain/webhook-target.ts';
import { ensureBootstrapToken } from '../services/tokens.ts';
import { loadCalendarData, warnOfProvisionalYears } from '../runtime/calendar-files.ts';
import { bootstrapAnnouncement } from '../runtime/bootstrap-announcement.ts';

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

export async function startApiServer(options: {
  db: Database;
  temporal: Client;
  taskQueue: string;
  host: string;
  port: number;
  logger: Logger;
  dataDir: string;
  /** Where deliverable files are kept (checked by the caller). */
  files: FileStore;
  bootstrapToken?: string;
  requestsPerMinute: number;
  /** DONDOC_API_DOCS: serve the interactive documentation at /docs. */
  apiDocs?: boolean;
  /** TRUST_PROXY: the reverse proxies believed about the client's address. */
  trustProxy?: boolean | string[];
  /** Where people reach the API; the OpenAPI document's server ("/" without it). */
  publicUrl?: string;
  /** Sends invitations by e-mail. */
  invitationMail?: InvitationMail | undefined;
  /** Internal ranges a webhook contact may point at (DONDOC_WEBHOOK_ALLOW). */
  webhookAllow?: readonly CidrRange[];
  /** Event streams this process keeps open at most (DONDOC_MAX_EVENT_STREAMS). */
  maxEventStreams?: number;
  /** Whether the calendar data was read (and its provisional years told) by the caller: `npm start` reads it once for all. */
  calendarRead?: boolean;
}): Promise<RunningApi> {
  const bootstrap = await ensureBootstrapToken(options.db, {
    configured: options.bootstrapToken,
    dataDir: options.dataDir,
  });
  if (bootstrap.created && bootstrap.generated) {
    options.logger.info({ file: bootstrap.generated.file }, 'first coordinator token created');
    process.stdout.write(bootstrapAnnouncement(bootstrap.generated, Boolean(process.stdout.isTTY)));
  }
  const deps = { db: options.db, temporal: { client: options.temporal, taskQueue: options.taskQueue } };
  const app = await buildApp(deps, {
    logger: options.logger,
    requestsPerMinute: options.requestsPerMinute,
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    apiDocs: options.apiDocs ?? false,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    files: options.files,
    ...(options.invitationMail ? { invitationMail: options.invitationMail } : {}),
    ...(options.webhookAllow ? { webhookAllow: options.webhookAllow } : {}),
    ...(options.maxEventStreams ? { maxEventStreams: options.maxEventStreams } : {}),
  });
  // Read before listening (a broken file stops the start): once /readyz answers, whoever started us
  // may already be asking. What an import still owes its workflows, and news of changed calendar
  // data, are the worker side's rounds (processes/owed-work.ts): API replicas run no background loops.
  if (!options.calendarRead) warnOfProvisionalYears((await loadCalendarData()).calendar, options.logger);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}`;

  return {
    app,
    url,
    async stop() {
      await app.close();
    },
  };
}
