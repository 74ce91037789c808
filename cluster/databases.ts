import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where the cluster's databases live: one PostgreSQL, reached as a role that may create databases. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The PostgreSQL of `postgres://user:password@host:port/…` (the database part is not used). */
export function postgresServer(url: string): PostgresServer {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
    password: decodeURIComponent(parsed.password),
  };
}

export function databaseUrl(server: PostgresServer, database: string): string {
  const auth = server.password
    ? `${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}`
    : encodeURIComponent(server.user);
  return `postgres://${auth}@${server.host}:${server.port}/${encodeURIComponent(database)}`;
}

/** The cluster's three databases, named after one prefix. */
export interface ClusterDatabases {
  /** Đôn đốc's read model, shared by both APIs and both workers. */
  readModel: string;
  temporal: string;
  visibility: string;
}

export const clusterDatabases = (prefix: string): ClusterDatabases => ({
  readModel: prefix,
  temporal: `${prefix}_temporal`,
  visibility: `${prefix}_temporal_visibility`,
});

/**
 * Temporal's two databases, made and brought to the server's schema by its own tool, as the
 * compose file's job does (deploy/compose/temporal-schema.sh): create-database and setup-schema
 * leave what is there alone, update-schema applies the versions that are missing. The versioned
 * schema is the one the tool carries inside it, the `schema/postgresql/v12` folder of the server's
 * source: always the one of the server it was built with.
 */
export async function prepareTemporalDatabases(
  sqlTool: string,
  server: PostgresServer,
  databases: ClusterDatabases,
  log: (message: string) => void,
): Promise<void> {
  const common = ['--plugin', 'postgres12', '--endpoint', server.host, '--port', String(server.port)];
  const env = { PATH: '', SQL_USER: server.user, SQL_PASSWORD: server.password };
  for (const [database, schema] of [
    [databases.temporal, 'postgresql/v12/temporal'],
    [databases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    for (const command of [
      ['create-database'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '--schema-name', schema],
    ]) {
      try {
        await run(sqlTool, [...common, '--database', database, ...command], { env, maxBuffer: 16 * 1024 * 1024 });
      } catch (error) {
        const output = error as { stdout?: string; stderr?: string };
        throw new Error(
          `temporal-sql-tool ${command[0]} on ${database} failed:\n${output.stdout ?? ''}${output.stderr ?? ''}`,
          { cause: error },
        );
      }
    }
    log(`Temporal schema of ${database} is up to date`);
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The read model's database, made when missing; the first API applies Đôn đốc's migrations. */
export async function ensureDatabase(server: PostgresServer, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl(server, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`create database ${quote(name)}`);
    return true;
  } finally {
    await client.end();
  }
}

/** Drops the cluster's databases (a test's, at its end): nothing of the cluster may still be connected. */
export async function dropClusterDatabases(server: PostgresServer, databases: ClusterDatabases): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(server, 'postgres') });
  await client.connect();
  try {
    for (const name of [databases.readModel, databases.temporal, databases.visibility])
      await client.query(`drop database if exists ${quote(name)} with (force)`);
  } finally {
    await client.end();
  }
}
