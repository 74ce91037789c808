import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { plans } from '../../db/schema.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { dondoc as runDondoc } from '../support/cli.ts';

const SEED = 'test/fixtures/vinh-phuc-cchc-plan-2021-2025.txt';
let ctx: TestContext;
let scratch: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  scratch = await mkdtemp(join(tmpdir(), 'dondoc-plan-import-'));
});

afterAll(async () => {
  await ctx?.close();
  await rm(scratch, { recursive: true, force: true });
});

const dondoc = (...args: string[]) =>
  runDondoc(args, {
    env: {
      DATABASE_URL: ctx.databaseUrl,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: ctx.namespace,
      TEMPORAL_TASK_QUEUE: ctx.taskQueue,
    },
  });

const plan = [
  '--code',
  '2866/QĐ-UBND',
  '--title',
  'Kế hoạch CCHC',
  '--period-start',
  '2021-01-01',
  '--period-end',
  '2025-12-31',
];

describe('dondoc plan import', () => {
  it('imports the seed through the same service as the API and waits for every workflow to record its state', async () => {
    const { status, stdout, stderr } = await dondoc(
      'plan',
      'import',
      SEED,
      '--province',
      'Vĩnh Phúc',
      ...plan,
      '--json',
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as { outcome: string; assignments: { total: number }; projected: number };
    expect(result.outcome).toBe('created');
    expect(result.assignments.total).toBeGreaterThan(61);
    expect(result.projected).toBe(result.assignments.total);
  }, 180_000);

  it('changes nothing when the same plan is imported again', async () => {
    const { status, stdout } = await dondoc('plan', 'import', SEED, '--province', 'Vĩnh Phúc', ...plan);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Không thay đổi kế hoạch 2866\/QĐ-UBND/);
  }, 120_000);

  it('refuses a file with errors, naming the row, and imports nothing', async () => {
    const file = join(scratch, 'bad.csv');
    await writeFile(file, 'STT,Nội dung,Cơ quan chủ trì,Thời gian hoàn thành\n1,Rà soát,,Năm 2026\n');
    const { status, stderr } = await dondoc(
      'plan',
      'import',
      file,
      '--province',
      'Vĩnh Phúc',
      ...plan.map((a) => (a === '2866/QĐ-UBND' ? 'KHAC/KH' : a)),
    );
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/row 2|dòng 2/);
    expect(await ctx.database.db.select().from(plans).where(eq(plans.code, 'KHAC/KH'))).toEqual([]);
  }, 60_000);
});
