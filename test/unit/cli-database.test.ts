import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedUrlFile } from '../../db/embedded.ts';
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
