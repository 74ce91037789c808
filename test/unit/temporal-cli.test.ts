import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findTemporalCli, TemporalCliNotFound, temporalCliCacheDir } from '../../runtime/temporal-cli.ts';

let dir: string;

async function fakeBinary(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\necho temporal\n');
  await chmod(path, 0o755);
  return path;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dondoc-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('finding the Temporal CLI', () => {
  it('takes $TEMPORAL_CLI first', async () => {
    const path = await fakeBinary(join(dir, 'custom', 'temporal'));
    const found = await findTemporalCli({ env: { TEMPORAL_CLI: path, PATH: '' } });
    expect(found.executable).toEqual({ type: 'existing-path', path });
  });

  it('says so when $TEMPORAL_CLI is not an executable', async () => {
    await expect(findTemporalCli({ env: { TEMPORAL_CLI: join(dir, 'missing'), PATH: '' } })).rejects.toThrow(
      /TEMPORAL_CLI=.*missing is not an executable/,
    );
  });

  it('then `temporal` on the PATH', async () => {
    const path = await fakeBinary(join(dir, 'bin', 'temporal'));
    const found = await findTemporalCli({ env: { PATH: join(dir, 'bin'), HOME: dir } });
    expect(found.executable).toEqual({ type: 'existing-path', path });
  });

  it('then the cached build under XDG_CACHE_HOME', async () => {
    const env = { PATH: '', XDG_CACHE_HOME: join(dir, 'cache') };
    const path = await fakeBinary(join(temporalCliCacheDir(env), 'temporal'));
    expect(path).toContain(join('cache', 'dondoc', 'temporal-cli-v1.5.1'));
    expect((await findTemporalCli({ env, build: false })).executable).toEqual({ type: 'existing-path', path });
  });

  it('then the SDK download; and when that is not allowed either, one message names every option', async () => {
    const env = { PATH: '', HOME: dir };
    expect((await findTemporalCli({ env, build: false })).executable).toEqual({ type: 'cached-download' });
    const failure = findTemporalCli({ env, build: false, allowDownload: false });
    await expect(failure).rejects.toBeInstanceOf(TemporalCliNotFound);
    await expect(failure).rejects.toThrow(
      /TEMPORAL_ADDRESS[\s\S]*TEMPORAL_CLI[\s\S]*PATH[\s\S]*go install github.com\/temporalio\/cli\/cmd\/temporal@v1.5.1[\s\S]*internet/,
    );
  });
});
