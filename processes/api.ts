import { connectDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { seedAgencyRegistries } from '../db/seed.ts';
import { startApiServer } from '../api/server.ts';
import { loadConfig } from '../runtime/config.ts';
import { connectTemporalClient } from '../runtime/connect.ts';
import { createLogger } from '../runtime/logger.ts';
import { requireServiceAddresses } from '../runtime/require-services.ts';
import { Shutdown } from '../runtime/shutdown.ts';

/** `dondoc api`: the HTTP API against a running Temporal and PostgreSQL; applies migrations first. */
export async function run(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ name: 'dondoc-api', level: config.logLevel });
  const { temporalAddress, databaseUrl } = requireServiceAddresses(config, 'The API');
  const shutdown = new Shutdown(logger);
  shutdown.onSignals();
  const database = connectDatabase(databaseUrl, { max: config.apiDatabasePoolSize });
  shutdown.add('database connections', database.close);
  await runMigrations(database.db);
  await seedAgencyRegistries(database.db);
  const temporal = await connectTemporalClient(temporalAddress, config.temporalNamespace);
  shutdown.add('Temporal client', () => temporal.connection.close());
  const api = await startApiServer({
    db: database.db,
    temporal,
    taskQueue: config.taskQueue,
    host: config.host,
    port: config.port,
    logger,
    dataDir: config.dataDir,
    bootstrapToken: config.bootstrapToken,
    requestsPerMinute: config.requestsPerMinute,
  });
  shutdown.add('API', api.stop);
  logger.info({ url: api.url }, 'API listening');
  await shutdown.finished;
  return 0;
}
