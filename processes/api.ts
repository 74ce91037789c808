import { connectDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { requireMigrated } from '../db/migration-status.ts';
import { seedAgencyRegistries } from '../db/seed.ts';
import { startApiServer } from '../api/server.ts';
import { loadConfig } from '../runtime/config.ts';
import { connectTemporalClient } from '../runtime/connect.ts';
import { checkDeploymentIdentity, DeploymentMismatch } from '../runtime/deployment-identity.ts';
import { createLogger } from '../runtime/logger.ts';
import { requireServiceAddresses } from '../runtime/require-services.ts';
import { Shutdown } from '../runtime/shutdown.ts';
import { openFileStore } from '../runtime/file-stores.ts';
import { FileStoreUnavailable } from '../services/file-store.ts';
import { processMailer } from '../runtime/mail.ts';
import { apiServerOptions } from './api-options.ts';

/**
 * `dondoc api`: the HTTP API against a running Temporal and PostgreSQL; applies migrations first
 * (unless DONDOC_MIGRATE_AT_START=false, where a migration job does) and checks that the database
 * and the namespace belong together. A file store (FILE_STORAGE_URL) that cannot be used refuses
 * the start, with what is wrong.
 */
export async function run(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ name: 'dondoc-api', level: config.logLevel });
  const { temporalAddress, databaseUrl } = requireServiceAddresses(config, 'The API');
  const shutdown = new Shutdown(logger);
  shutdown.onSignals();
  try {
    // First: a bucket that is missing or refuses us is a mistake of configuration, told before anything starts.
    const files = await openFileStore(config.fileStorage);
    shutdown.add('file store', files.close);
    await files.check();
    logger.info({ files: files.description }, 'deliverable file store checked');
    const database = connectDatabase(databaseUrl, { max: config.apiDatabasePoolSize });
    shutdown.add('database connections', database.close);
    // Invitations go out by e-mail from here, through the transport the worker uses for deliveries.
    const mailer = processMailer(config);
    shutdown.add('mail transport', mailer.close);
    if (config.migrateAtStart) await runMigrations(database.db);
    else await requireMigrated(database.db);
    await seedAgencyRegistries(database.db);
    const temporal = await connectTemporalClient(temporalAddress, config.temporalNamespace, config.temporalAccess);
    shutdown.add('Temporal client', () => temporal.connection.close());
    const identity = await checkDeploymentIdentity({
      db: database.db,
      client: temporal,
      taskQueue: config.taskQueue,
      where: { database: 'DATABASE_URL', temporal: `namespace "${config.temporalNamespace}" at ${temporalAddress}` },
      warn: (message) => logger.warn(message),
    });
    logger.info(identity, 'deployment identity checked');
    const api = await startApiServer(apiServerOptions(config, { db: database.db, temporal, logger, files, mailer }));
    shutdown.add('API', api.stop);
    logger.info({ url: api.url }, 'API listening');
  } catch (error) {
    logger.error({ err: error }, error instanceof Error ? error.message : 'API start failed');
    if (error instanceof DeploymentMismatch || error instanceof FileStoreUnavailable)
      process.stderr.write(`\n${error.message}\n\n`);
    await shutdown.stop();
    return 1;
  }
  await shutdown.finished;
  return 0;
}
