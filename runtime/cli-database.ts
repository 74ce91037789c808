import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { connectDatabase, type Database } from '../db/client.ts';
import { embeddedUrlFile, socketAnswers, startEmbeddedDatabase } from '../db/embedded.ts';
import { runMigrations } from '../db/migrate.ts';
import { seedAgencyRegistries } from '../db/seed.ts';
import type { Config } from './config.ts';
import { keepFilesPrivate } from './private-files.ts';

/** Where the CLI's database came from: DATABASE_URL, a running `npm start`, or its own embedded one. */
export type CliDatabaseSource = 'DATABASE_URL' | 'running' | 'embedded';

export interface CliDatabase {
  db: Database;
  source: CliDatabaseSource;
  url: string;
  close(): Promise<void>;
}

/** The database cannot be opened safely; the message is for the person at the terminal. */
export class CliDatabaseError extends Error {}

const PROBE_TIMEOUT_MS = 3000;

/** Whether a PostgreSQL server answers at `url`, within a few seconds. */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether anything accepts connections where `url` points: its Unix socket, or its TCP host and port. */
async function listening(url: string): Promise<boolean> {
  const parsed = new URL(url);
  const socketDir = parsed.searchParams.get('host');
  if (socketDir?.startsWith('/')) return socketAnswers(join(socketDir, `.s.PGSQL.${parsed.port || 5432}`));
  if (!parsed.port) return false;
  return new Promise((resolve) => {
    const socket = connect({ host: parsed.hostname, port: Number(parsed.port) });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function readUrlFile(dataDir: string): Promise<string | undefined> {
  try {
    const text = (await readFile(embeddedUrlFile(dataDir), 'utf8')).trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The database for a CLI command, in this order: DATABASE_URL; the embedded database of a running
 * `npm start` (its URL is in `<dataDir>/database-url`); else an embedded database of the CLI's own
 * on the same data directory, migrated and seeded, stopped again by `close`.
 */
export async function openCliDatabase(config: Config): Promise<CliDatabase> {
  if (config.databaseUrl) {
    const handle = connectDatabase(config.databaseUrl, { max: 2, applicationName: 'dondoc-cli' });
    return { db: handle.db, source: 'DATABASE_URL', url: config.databaseUrl, close: handle.close };
  }

  const runningUrl = await readUrlFile(config.dataDir);
  if (runningUrl) {
    if (await answers(runningUrl)) {
      const handle = connectDatabase(runningUrl, { max: 2, applicationName: 'dondoc-cli' });
      return { db: handle.db, source: 'running', url: runningUrl, close: handle.close };
    }
    // A file left by a crashed `npm start` is harmless; a live one that does not answer is not:
    // opening the same data directory from a second process could damage it.
    if (await listening(runningUrl)) {
      throw new CliDatabaseError(
        `Cơ sở dữ liệu nhúng tại ${runningUrl} (ghi trong ${embeddedUrlFile(config.dataDir)}) đang chạy nhưng không trả lời. ` +
          'Hãy thử lại sau giây lát, hoặc đặt DATABASE_URL.',
      );
    }
  }

  keepFilesPrivate();
  const embedded = await startEmbeddedDatabase({ dataDir: config.dataDir });
  const handle = connectDatabase(embedded.url, { max: 2, applicationName: 'dondoc-cli' });
  const close = async () => {
    await handle.close();
    await embedded.stop();
  };
  try {
    await runMigrations(handle.db);
    await seedAgencyRegistries(handle.db);
  } catch (error) {
    await close();
    throw error;
  }
  return { db: handle.db, source: 'embedded', url: embedded.url, close };
}
