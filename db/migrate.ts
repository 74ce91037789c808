import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** One number for the advisory lock every Đôn đốc process takes while it migrates. */
const MIGRATION_LOCK = 0x646f6e64; // "dond"

/**
 * Applies the committed SQL migrations; drizzle records them so each runs once. Several API
 * replicas may start together: each waits for the session lock, and the ones after the first
 * find nothing left to do.
 */
export async function runMigrations(db: Database): Promise<void> {
  // The lock belongs to one session: take a connection of the pool drizzle was given, and keep it.
  const client = await (db as Database & { $client: pg.Pool }).$client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
