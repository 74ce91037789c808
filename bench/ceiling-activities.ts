import type pg from 'pg';

/** The bench table the ceiling workflows write to; created in each bench database. */
export const BENCH_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_rows (
  key text PRIMARY KEY,
  slept_at timestamptz,
  inserted_at timestamptz NOT NULL DEFAULT clock_timestamp()
)`;

/** One row per workflow, idempotent like our projections: a retried activity writes it once. */
export function createCeilingActivities(pool: pg.Pool) {
  return {
    async insertBenchRow(input: { key: string; sleptAt: number | null }): Promise<void> {
      await pool.query('INSERT INTO bench_rows (key, slept_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
        input.key,
        input.sleptAt === null ? null : new Date(input.sleptAt),
      ]);
    },
  };
}

export type CeilingActivities = ReturnType<typeof createCeilingActivities>;
