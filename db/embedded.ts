import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Where a running `npm start` leaves the embedded database's URL, so the CLI can reach it. */
export function embeddedUrlFile(dataDir: string): string {
  return join(dataDir, 'database-url');
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) under `.data/pglite`, served on a local TCP port with
 * the PostgreSQL wire protocol. Everything then talks to it through `pg` exactly as to a real
 * server, and the CLI can connect while `npm start` runs. PGlite runs as any user, root included,
 * which a real PostgreSQL refuses.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  host?: string;
  /** Client connections served at once (they share PGlite's one session); default 32. */
  maxConnections?: number;
}): Promise<EmbeddedDatabase> {
  const dir = join(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const host = options.host ?? '127.0.0.1';
  // The multiplexer serialises transactions of different connections onto PGlite's one session.
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port,
    maxConnections: Math.max(32, options.maxConnections ?? 0),
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw new Error(
      `The embedded database could not listen on ${host}:${options.port} (is another Đôn đốc running? set DONDOC_EMBEDDED_DB_PORT)`,
      { cause: error },
    );
  }
  const url = `postgres://postgres@${host}:${options.port}/postgres`;
  const urlFile = embeddedUrlFile(options.dataDir);
  await writeFile(urlFile, `${url}\n`);
  return {
    url,
    dataDir: dir,
    async stop() {
      await rm(urlFile, { force: true });
      await server.stop();
      await db.close();
    },
  };
}
