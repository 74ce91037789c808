import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../runtime/free-port.ts';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the chaos run's own, made with the machine's binaries in a temp
 * directory on a free port: the run stops and starts it, which it must never do to a database
 * others use.
 */
export interface OwnPostgres {
  url: string;
  port: number;
  dataDir: string;
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: open connections are ended, as in a restart of the server. */
  stop(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  destroy(): Promise<void>;
}

/** The newest PostgreSQL of /usr/lib/postgresql (Debian's layout), or PG_BIN. */
function binaries(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error('The chaos run needs PostgreSQL server binaries (initdb, pg_ctl): set PG_BIN to their directory.');
  return join(root, versions[0]!, 'bin');
}

export async function startOwnPostgres(log: (message: string) => void): Promise<OwnPostgres> {
  const bin = binaries();
  const base = await mkdtemp(join(tmpdir(), 'dondoc-chaos-pg-'));
  const dataDir = join(base, 'data');
  const logFile = join(base, 'postgres.log');
  // initdb refuses root: as root, the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(base, Number(stdout.trim()), Number(gid.trim()));
  }
  const as = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]) : run(join(bin, command), args);
  await as('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c max_connections=100`;
  const start = async () => {
    await as('pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', options]);
  };
  const stop = async () => {
    await as('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', dataDir]);
  };
  await start();
  log(`own PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('create database dondoc');
  await admin.end();
  let destroyed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/dondoc`,
    port,
    dataDir,
    start,
    stop,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await stop().catch(() => {});
      await rm(base, { recursive: true, force: true });
    },
  };
}
