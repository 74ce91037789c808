import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../db/client.ts';
import { runMigrations } from '../../db/migrate.ts';
import { databaseUrl, dropDatabases, quoteIdent } from '../support/databases.ts';

const name = `dondoc_m_${inject('runId')}_${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  await dropDatabases(inject('pgAdminUrl'), (n) => n === name);
});

describe('migrations', () => {
  it('run once when several API processes start together on an empty database', async () => {
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    await admin.end();
    const url = databaseUrl(inject('pgAdminUrl'), name);
    // Three "replicas", each with its own pool, as three processes would have.
    const replicas = [connectDatabase(url), connectDatabase(url), connectDatabase(url)];
    try {
      await Promise.all(replicas.map((r) => runMigrations(r.db)));
      const { rows } = await replicas[0]!.pool.query<{ n: string }>(
        'select count(*) as n from drizzle.__drizzle_migrations',
      );
      const files = await replicas[0]!.pool.query<{ n: string }>(
        "select count(*) as n from information_schema.tables where table_name = 'assignments'",
      );
      expect(Number(files.rows[0]!.n)).toBe(1);
      // Each migration recorded once, not once per replica.
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
      const { rows: distinct } = await replicas[0]!.pool.query<{ n: string }>(
        'select count(distinct hash) as n from drizzle.__drizzle_migrations',
      );
      expect(distinct[0]!.n).toBe(rows[0]!.n);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});
