import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { connectDatabase } from '../db/client.ts';
import { startEmbeddedDatabase } from '../db/embedded.ts';
import { runMigrations } from '../db/migrate.ts';
import { seedAgencyRegistries } from '../db/seed.ts';
import { startApiServer } from '../api/server.ts';
import { installTemporalLogging, startWorker } from '../worker/main.ts';
import { loadConfig } from '../runtime/config.ts';
import { connectTemporalClient } from '../runtime/connect.ts';
import { createLogger } from '../runtime/logger.ts';
import { Shutdown } from '../runtime/shutdown.ts';
import { startTemporalDevServer } from '../runtime/temporal-dev-server.ts';

/**
 * `npm start`: everything on one machine. Without TEMPORAL_ADDRESS it runs the Temporal dev
 * server (SQLite under .data/); without DATABASE_URL it runs the embedded database (.data/pglite).
 */
export async function run(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ name: 'dondoc', level: config.logLevel });
  installTemporalLogging(logger);
  const shutdown = new Shutdown(logger);
  shutdown.onSignals();
  const where: string[] = [];
  try {
    await mkdir(config.dataDir, { recursive: true });

    let temporalAddress = config.temporalAddress;
    if (temporalAddress) {
      where.push(`Temporal:      ${temporalAddress} (TEMPORAL_ADDRESS)`);
    } else {
      logger.info('starting the Temporal dev server');
      const server = await startTemporalDevServer({
        dbFilename: join(config.dataDir, 'temporal.db'),
        port: config.temporalPort,
        uiPort: config.temporalUiPort,
        namespace: config.temporalNamespace,
        log: (message) => logger.info(message),
      });
      shutdown.add('Temporal dev server', server.stop);
      temporalAddress = server.address;
      where.push(
        `Temporal:      ${server.address} (dev server from ${server.source}, data in ${join(config.dataDir, 'temporal.db')})`,
      );
      where.push(`Temporal UI:   ${server.uiUrl}`);
    }

    let databaseUrl = config.databaseUrl;
    if (databaseUrl) {
      where.push('Database:      DATABASE_URL');
    } else {
      const embedded = await startEmbeddedDatabase({
        dataDir: config.dataDir,
        port: config.embeddedDatabasePort,
        // The worker's and the API's pools, and room for the CLI while this runs.
        maxConnections: config.worker.databasePoolSize + config.apiDatabasePoolSize + 8,
      });
      shutdown.add('embedded database', embedded.stop);
      databaseUrl = embedded.url;
      where.push(`Database:      ${embedded.url} (embedded PGlite, data in ${embedded.dataDir})`);
    }

    // Each part gets the pool it would have as its own process (DONDOC_WORKER_DB_POOL_SIZE,
    // DONDOC_API_DB_POOL_SIZE), so tuning measured on separate processes holds here too.
    const workerDatabase = connectDatabase(databaseUrl, { max: config.worker.databasePoolSize });
    shutdown.add('worker database connections', workerDatabase.close);
    const apiDatabase = connectDatabase(databaseUrl, { max: config.apiDatabasePoolSize });
    shutdown.add('API database connections', apiDatabase.close);
    await runMigrations(apiDatabase.db);
    const seeded = await seedAgencyRegistries(apiDatabase.db);
    if (seeded.length > 0) logger.info({ registries: seeded }, 'seeded agency registries');

    const worker = await startWorker({
      temporalAddress,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      db: workerDatabase.db,
      logger,
      tuning: config.worker,
    });
    shutdown.add('worker', worker.stop);
    where.push(`Worker:        task queue "${config.taskQueue}"`);
    logger.info(
      { workerDatabasePool: workerDatabase.pool.options.max, apiDatabasePool: apiDatabase.pool.options.max },
      'database pools',
    );

    const temporal = await connectTemporalClient(temporalAddress, config.temporalNamespace);
    shutdown.add('Temporal client', () => temporal.connection.close());
    const api = await startApiServer({
      db: apiDatabase.db,
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
    where.push(`API:           ${api.url}`, `API docs:      ${api.url}/docs (OpenAPI: ${api.url}/openapi.json)`);

    process.stdout.write(`\nĐôn đốc is running. Ctrl-C stops everything.\n  ${where.join('\n  ')}\n\n`);
    // A worker that dies on its own takes the rest down with it rather than leaving a half-system.
    worker.done.catch((error) => {
      logger.error({ err: error }, 'worker failed');
      void shutdown.stop();
    });
    await shutdown.finished;
    return 0;
  } catch (error) {
    logger.error({ err: error }, error instanceof Error ? error.message : 'start failed');
    await shutdown.stop();
    return 1;
  }
}
