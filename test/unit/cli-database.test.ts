import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedUrlFile, startEmbeddedDatabase } from '../../db/embedded.ts';
import { loadConfig } from '../../runtime/config.ts';
import { CliDatabaseError, openCliDatabase } from '../../runtime/cli-database.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dondoc-cli-db-'));
  dirs.push(dir);
  return dir;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

describe('openCliDatabase', () => {
  it('takes DATABASE_URL as given, without connecting or starting anything', async () => {
    const dir = await dataDir();
    const database = await openCliDatabase(
      loadConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', DONDOC_DATA_DIR: dir }),
    );
    expect(database.source).toBe('DATABASE_URL');
    expect(database.url).toBe('postgres://nobody@127.0.0.1:1/none');
    await database.close();
    expect(existsSync(join(dir, 'pglite'))).toBe(false);
  });

  it('starts, migrates and seeds its own embedded database past a stale URL file, and stops it', async () => {
    const dir = await dataDir();
    // Left behind by an `npm start` that crashed: nothing listens there.
    const dead = createServer();
    const port = await listen(dead);
    await new Promise((resolve) => dead.close(resolve));
    await writeFile(embeddedUrlFile(dir), `postgres://postgres@127.0.0.1:${port}/postgres\n`);

    const database = await openCliDatabase(loadConfig({ DONDOC_DATA_DIR: dir }));
    try {
      expect(database.source).toBe('embedded');
      const result = await database.db.execute(sql`select key from agency_registries`);
      expect(result.rows.map((r) => r.key)).toContain('vinh-phuc');
    } finally {
      await database.close();
    }
    expect(existsSync(embeddedUrlFile(dir))).toBe(false);
  }, 60_000);

  it('refuses to open the data directory a second time when the recorded database listens but does not answer', async () => {
    const dir = await dataDir();
    const silent = createServer((socket) => socket.on('error', () => {}));
    const port = await listen(silent);
    try {
      await writeFile(embeddedUrlFile(dir), `postgres://postgres@127.0.0.1:${port}/postgres\n`);
      await expect(openCliDatabase(loadConfig({ DONDOC_DATA_DIR: dir }))).rejects.toBeInstanceOf(CliDatabaseError);
      expect(existsSync(join(dir, 'pglite'))).toBe(false);
    } finally {
      silent.close();
    }
  }, 30_000);
});

/** Every file and directory under `dir` whose mode lets anyone but the owner in. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (((await lstat(path)).mode & 0o077) !== 0) found.push(path);
    if (entry.isDirectory()) found.push(...(await openToOthers(path)));
  }
  return found;
}

describe('the embedded database', () => {
  it("listens on a Unix socket in the data directory, not on TCP, and keeps its files its owner's", async () => {
    const dir = await dataDir();
    const embedded = await startEmbeddedDatabase({ dataDir: dir });
    try {
      expect(embedded.socket).toBe(join(dir, '.s.PGSQL.5432'));
      expect(embedded.url).not.toMatch(/127\.0\.0\.1|:\d+\//);
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      // PGlite writes a new database's files as 0666: none may stay so.
      expect(await openToOthers(dir)).toEqual([]);

      // The CLI reaches it through the socket while it runs, and leaves it running.
      const cli = await openCliDatabase(loadConfig({ DONDOC_DATA_DIR: dir }));
      try {
        expect(cli.source).toBe('running');
        const result = await cli.db.execute(sql`select 1 as one`);
        expect(result.rows).toEqual([{ one: 1 }]);
      } finally {
        await cli.close();
      }
      // A second server on the same data directory would damage it: refused.
      await expect(startEmbeddedDatabase({ dataDir: dir })).rejects.toThrow(/already served/);
    } finally {
      await embedded.stop();
    }
    expect(await openToOthers(dir)).toEqual([]);
  }, 120_000);
});
