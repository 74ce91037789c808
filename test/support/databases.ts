import pg from 'pg';

export function adminUrl(): string {
  return process.env.DONDOC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function databaseUrl(admin: string, name: string): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabases(admin: string, which: (name: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'dondoc_%'",
    );
    for (const { datname } of rows.filter((r) => which(r.datname))) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
