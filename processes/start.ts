import { join } from 'node:path';
import { chmod, mkdir } from 'node:fs/promises';
import { connectDatabase } from '../db/client.ts';
import { startEmbeddedDatabase } from '../db/embedded.ts';
import { runMigrations } from '../db/migrate.ts';
import { requireMigrated } from '../db/migration-status.ts';
import { seedAgencyRegistries } from '../db/seed.ts';
import { startApiServer } from '../api/server.ts';
import { installTemporalLogging, startWorker } from '../worker/main.ts';
import { WORKER_SHUTDOWN } from '../worker/create-worker.ts';
import { loadConfig } from '../runtime/config.ts';
import { connectTemporalClient } from '../runtime/connect.ts';
import { checkDeploymentIdentity, DeploymentMismatch } from '../runtime/deployment-identity.ts';
import { createLogger } from '../runtime/logger.ts';
import { keepFilesPrivate } from '../runtime/private-files.ts';
import { Shutdown } from '../runtime/shutdown.ts';
import { processMailer } from '../runtime/mail.ts';
import { openFileStore } from '../runtime/file-stores.ts';
import { FileStoreUnavailable } from '../services/file-store.ts';
import { deliveryOf } from '../runtime/delivery.ts';
import { ensureDeliveryDispatcher } from '../services/delivery-dispatch.ts';
import { ensureHousekeeping } from '../services/housekeeping.ts';
import { loadCalendarData, warnOfProvisionalYears } from '../runtime/calendar-files.ts';
import { apiServerOptions } from './api-options.ts';
import { runOwedWork } from './owed-work.ts';
import { DEFAULT_RESTART_POLICY, startTemporalDevServer } from '../runtime/temporal-dev-server.ts';

/**
 * `npm start`: everything on one machine. Without TEMPORAL_ADDRESS it runs the Temporal dev
 * server (SQLite under .data/); without DATABASE_URL it runs the embedded database (.data/pglite).
 *
 * A part that dies is not left dead behind a running API. The dev server, a child process whose
 * state is all in its SQLite file, is started again on the same file and port, up to three times in
 * ten minutes: the worker and the API reconnect by themselves, and nothing is lost. A dev server
 * that keeps dying (a damaged file, a full disk, its port taken) stops everything, with a message
 * naming it and its log, and `npm start` exits with 1. A worker that fails does the same. The
 * embedded database runs inside this process: it cannot die without it.
 */
export async function run(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ name: 'dondoc', level: config.logLevel });
  installTemporalLogging(logger);
  const shutdown = new Shutdown(logger);
  shutdown.onSignals();
  const where: string[] = [];
  let failure: string | undefined;
  /** Stops everything because a part died; the message is for the user, in plain words. */
  const fail = (message: string, details: Record<string, unknown> = {}) => {
    if (failure) return;
    failure = message;
    logger.error(details, message);
    process.stderr.write(`\n${message}\nĐôn đốc is stopping.\n\n`);
    void shutdown.stop();
  };
  // Everything written under the data directory (and by the dev server) is the owner's alone.
  keepFilesPrivate();
  try {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await chmod(config.dataDir, 0o700);
    // Before anything starts: a bucket that is missing or refuses us is a mistake of configuration.
    const files = await openFileStore(config.fileStorage);
    shutdown.add('file store', files.close);
    await files.check();
    where.push(`Files:         ${files.description}${config.fileStorage.kind === 's3' ? ' (FILE_STORAGE_URL)' : ''}`);

    let temporalAddress = config.temporalAddress;
    // TLS and an API key apply to a Temporal given by TEMPORAL_ADDRESS, never to our own dev server.
    const temporalAccess = temporalAddress ? config.temporalAccess : {};
    let temporalWhere: string;
    if (temporalAddress) {
      where.push(`Temporal:      ${temporalAddress} (TEMPORAL_ADDRESS)`);
      temporalWhere = `namespace "${config.temporalNamespace}" at ${temporalAddress} (TEMPORAL_ADDRESS)`;
    } else {
      logger.info('starting the Temporal dev server');
      const dbFilename = join(config.dataDir, 'temporal.db');
      const server = await startTemporalDevServer({
        dbFilename,
        port: config.temporalPort,
        uiPort: config.temporalUiPort,
        namespace: config.temporalNamespace,
        log: (message) => logger.info(message),
        warn: (message) => logger.warn(message),
        logFile: join(config.dataDir, 'temporal.log'),
        pidFile: join(config.dataDir, 'temporal.pid'),
        restart: DEFAULT_RESTART_POLICY,
      });
      shutdown.add('Temporal dev server', server.stop);
      void server.failed.then((died) => fail(died.message, { lastExit: died.lastExit, log: died.logFile }));
      temporalAddress = server.address;
      temporalWhere = `namespace "${config.temporalNamespace}" of the dev server (data in ${dbFilename})`;
      where.push(
        `Temporal:      ${server.address} (dev server from ${server.source}, pid ${server.pid}, data in ${dbFilename}, log in ${server.logFile})`,
      );
      where.push(`Temporal UI:   ${server.uiUrl}`);
    }

    let databaseUrl = config.databaseUrl;
    let databaseWhere: string;
    if (databaseUrl) {
      where.push('Database:      DATABASE_URL');
      databaseWhere = 'DATABASE_URL';
    } else {
      const embedded = await startEmbeddedDatabase({
        dataDir: config.dataDir,
        // The worker's and the API's pools, and room for the CLI while this runs.
        maxConnections: config.worker.databasePoolSize + config.apiDatabasePoolSize + 8,
      });
      shutdown.add('embedded database', embedded.stop);
      databaseUrl = embedded.url;
      databaseWhere = `embedded, data in ${embedded.dataDir}`;
      where.push(`Database:      embedded PGlite on the socket ${embedded.socket} (data in ${embedded.dataDir})`);
    }

    // Each part gets the pool it would have as its own process (DONDOC_WORKER_DB_POOL_SIZE,
    // DONDOC_API_DB_POOL_SIZE), so tuning measured on separate processes holds here too.
    const workerDatabase = connectDatabase(databaseUrl, { max: config.worker.databasePoolSize });
    shutdown.add('worker database connections', workerDatabase.close);
    const apiDatabase = connectDatabase(databaseUrl, { max: config.apiDatabasePoolSize });
    shutdown.add('API database connections', apiDatabase.close);
    if (config.migrateAtStart || !config.databaseUrl) await runMigrations(apiDatabase.db);
    else await requireMigrated(apiDatabase.db);
    const seeded = await seedAgencyRegistries(apiDatabase.db);
    if (seeded.length > 0) logger.info({ registries: seeded }, 'seeded agency registries');

    if (failure) throw new Error(failure);
    // Before the worker: a worker on a namespace of another database would run that one's workflows.
    const temporal = await connectTemporalClient(temporalAddress, config.temporalNamespace, temporalAccess);
    shutdown.add('Temporal client', () => temporal.connection.close());
    const identity = await checkDeploymentIdentity({
      db: apiDatabase.db,
      client: temporal,
      taskQueue: config.taskQueue,
      where: { database: databaseWhere, temporal: temporalWhere },
      warn: (message) => logger.warn(message),
    });
    logger.info(identity, 'deployment identity checked');

    const mailer = processMailer(config);
    shutdown.add('mail transport', mailer.close);
    if (config.delivery.smtpUrl) where.push(`Mail:          ${mailer.description} (SMTP_URL)`);
    else {
      where.push(
        `Mail:          no SMTP_URL: each e-mail is written as an .eml file in ${join(config.dataDir, 'mail')}`,
      );
      logger.info({ mailDir: join(config.dataDir, 'mail') }, 'no SMTP_URL: e-mail is written as .eml files');
    }
    // Read once for the worker, the API and the rounds (a broken file stops the start here).
    const calendar = await loadCalendarData();
    warnOfProvisionalYears(calendar.calendar, logger);
    // Before the worker, so that a stop ends the worker first (its stop is timed from the signal).
    const owed = runOwedWork({
      deps: { db: workerDatabase.db, temporal: { client: temporal, taskQueue: config.taskQueue } },
      logger,
      calendarVersion: calendar.version,
    });
    shutdown.add('rounds of owed work', owed.stop);
    const worker = await startWorker({
      temporalAddress,
      temporalAccess,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      db: workerDatabase.db,
      logger,
      tuning: config.worker,
      delivery: deliveryOf(config, mailer),
      files,
      calendar,
    });
    // Its grace time for activities in flight, then its force time, and a margin to close the connection.
    shutdown.add('worker', worker.stop, WORKER_SHUTDOWN.forceMs + 5_000);
    await ensureDeliveryDispatcher(temporal, config.taskQueue);
    await ensureHousekeeping(temporal, config.taskQueue);
    where.push(`Worker:        task queue "${config.taskQueue}"`);
    logger.info(
      { workerDatabasePool: workerDatabase.pool.options.max, apiDatabasePool: apiDatabase.pool.options.max },
      'database pools',
    );

    if (failure) throw new Error(failure);
    const api = await startApiServer({
      ...apiServerOptions(config, { db: apiDatabase.db, temporal, logger, files, mailer }),
      calendarRead: true,
    });
    shutdown.add('API', api.stop);
    where.push(
      `Web app:       ${api.url}/`,
      `API:           ${api.url}`,
      config.apiDocs
        ? `API docs:      ${api.url}/docs (OpenAPI: ${api.url}/openapi.json)`
        : `API docs:      ${api.url}/openapi.json (the interactive page at /docs: DONDOC_API_DOCS=true)`,
    );

    if (!failure) process.stdout.write(`\nĐôn đốc is running. Ctrl-C stops everything.\n  ${where.join('\n  ')}\n\n`);
    // A worker that dies on its own takes the rest down with it rather than leaving a half-system.
    worker.done.catch((error) =>
      fail(`The worker stopped: ${error instanceof Error ? error.message : String(error)}`, { err: error }),
    );
    await shutdown.finished;
    return failure ? 1 : 0;
  } catch (error) {
    if (!failure) logger.error({ err: error }, error instanceof Error ? error.message : 'start failed');
    if (error instanceof DeploymentMismatch || error instanceof FileStoreUnavailable)
      process.stderr.write(`\n${error.message}\n\n`);
    await shutdown.stop();
    return 1;
  }
}
