import type { Client } from '@temporalio/client';
import type { startApiServer } from '../api/server.ts';
import type { Database } from '../db/client.ts';
import type { Config } from '../runtime/config.ts';
import { invitationMailOf } from '../runtime/delivery.ts';
import type { Logger } from '../runtime/logger.ts';
import type { Mailer } from '../activities/mailer.ts';
import type { FileStore } from '../services/file-store.ts';

/** The API server's settings from the configuration, the same for `dondoc api` and `dondoc start`. */
export function apiServerOptions(
  config: Config,
  parts: { db: Database; temporal: Client; logger: Logger; files: FileStore; mailer: Mailer },
): Parameters<typeof startApiServer>[0] {
  return {
    db: parts.db,
    temporal: parts.temporal,
    taskQueue: config.taskQueue,
    host: config.host,
    port: config.port,
    logger: parts.logger,
    dataDir: config.dataDir,
    files: parts.files,
    bootstrapToken: config.bootstrapToken,
    requestsPerMinute: config.requestsPerMinute,
    trustProxy: config.trustProxy,
    apiDocs: config.apiDocs,
    invitationMail: invitationMailOf(config, parts.mailer),
    webhookAllow: config.delivery.webhookAllow,
    maxEventStreams: config.maxEventStreams,
  };
}
