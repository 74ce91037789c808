import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedRegistries } from '../../db/seed.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { dondoc as runDondoc } from '../support/cli.ts';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx?.close();
});

const dondoc = (...args: string[]) => runDondoc(args, { env: { DATABASE_URL: ctx.databaseUrl } });

describe('dondoc registries list', () => {
  it('prints every registry with its name, kind and number of agencies', async () => {
    const { status, stdout, stderr } = await dondoc('registries', 'list', '--json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const items = JSON.parse(stdout) as { key: string; name: string; kind: string; agencies: number }[];
    expect(Object.keys(items[0]!).sort()).toEqual(['agencies', 'key', 'kind', 'name']);
    const shipped = await shippedRegistries();
    expect(items.map((r) => r.key).sort()).toEqual(shipped.map((r) => r.id).sort());
    expect(items.filter((r) => r.kind === 'central')).toEqual([
      { key: 'trung-uong', name: 'Trung ương', kind: 'central', agencies: expect.any(Number) },
    ]);
    // The 34 provinces of today, and Vĩnh Phúc as it was for the plans issued before July 2025.
    expect(items.filter((r) => r.kind === 'province')).toHaveLength(35);
    expect(items).toContainEqual({
      key: 'phu-tho',
      name: 'Phú Thọ',
      kind: 'province',
      agencies: shipped.find((r) => r.id === 'phu-tho')!.data.agencies.length,
    });
  });

  it('refuses another subcommand with exit code 2', async () => {
    const { status, stderr } = await dondoc('registries', 'show');
    expect(status).toBe(2);
    expect(stderr).toContain('lệnh con không hợp lệ');
  });

  it('exports a registry as CSV and imports communes from a file', async () => {
    const exported = await dondoc('agencies', 'export', '--registry', 'dong-nai');
    expect(exported.status).toBe(0);
    expect(exported.stdout.replace(/^\ufeff/, '').split('\r\n')[0]).toBe('Mã,Tên,Loại,Tên khác,Hợp nhất vào');
    const dir = await mkdtemp(join(tmpdir(), 'dondoc-communes-'));
    try {
      const file = join(dir, 'xa.csv');
      await writeFile(file, 'Mã,Tên,Cấp\nX99001,Phường Thử Nghiệm,Phường\n');
      const imported = await dondoc('agencies', 'import', file, '--registry', 'dong-nai', '--json');
      expect(imported.status).toBe(0);
      expect(JSON.parse(imported.stdout)).toEqual({ added: 1, updated: 0 });
      // A name the shipped communes already hold is refused, naming the file and both agencies.
      await writeFile(file, 'Mã,Tên,Cấp\nX26041,Phường Trấn Biên,Phường\n');
      const clash = await dondoc('agencies', 'import', file, '--registry', 'dong-nai');
      expect(clash.status).toBe(2);
      expect(clash.stderr).toContain('TỆP, cơ quan X26041');
      expect(clash.stderr).toContain('UBND phường Trấn Biên');
      const shown = await dondoc('agencies', 'show', 'X99001', '--registry', 'dong-nai', '--json');
      expect(JSON.parse(shown.stdout)).toMatchObject({ name: 'Phường Thử Nghiệm', kind: 'commune' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
