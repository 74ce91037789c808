import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Database } from './client.ts';
import { migrationsFolder } from './migrate.ts';

/**
 * How many committed migrations the database has not applied yet, read as drizzle's migrator
 * decides it (a migration is applied when its folder time is after the last one recorded). Needs
 * only the right to read `drizzle.__drizzle_migrations`: for processes that do not migrate.
 */
export async function pendingMigrations(db: Database): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  let last: number | undefined;
  try {
    const { rows } = await db.execute<{ created_at: string | null }>(
      sql`select max(created_at)::text as created_at from drizzle.__drizzle_migrations`,
    );
    last = rows[0]?.created_at == null ? undefined : Number(rows[0].created_at);
  } catch (error) {
    const code =
      (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code !== '42P01' && code !== '3F000') throw error; // no table, no schema: nothing applied
  }
  return migrations.filter((migration) => last === undefined || last < migration.folderMillis).length;
}

/** Refuses to go on when migrations are pending: run where the processes do not migrate themselves. */
export async function requireMigrated(db: Database): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending > 0)
    throw new Error(
      `The database lacks ${pending} migration(s) of this version of Đôn đốc, and DONDOC_MIGRATE_AT_START is off: ` +
        "run `dondoc migrate` with the database owner's DATABASE_URL (the migration job), then start again.",
    );
}
