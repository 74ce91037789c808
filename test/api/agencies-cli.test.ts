import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../db/client.ts';
import { embeddedUrlFile, startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded.ts';
import { runMigrations } from '../../db/migrate.ts';
import { agencyRegistries, assignments, plans, tasks } from '../../db/schema.ts';
import { seedAgencyRegistries } from '../../db/seed.ts';
import type { RegistryData } from '../../domain/agencies/types.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { freePort } from '../../runtime/free-port.ts';
import { samplePlan } from '../support/plans.ts';
import { dondoc as runDondoc } from '../support/cli.ts';

const scratch: string[] = [];

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dondoc-agencies-cli-'));
  scratch.push(dir);
  return dir;
}

/** `dondoc agencies …` with `env` as its environment. */
const dondoc = (env: Record<string, string>, ...args: string[]) => runDondoc(['agencies', ...args], { env });

describe('dondoc agencies with its own embedded database', () => {
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDir();
    env = { DONDOC_DATA_DIR: dataDir };
  });

  it('lists the seeded registry as JSON, then stops its database', async () => {
    const run = await dondoc(env, 'list', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const items = JSON.parse(run.stdout) as { code: string; name: string }[];
    expect(items.find((a) => a.code === 'SNV')).toMatchObject({ name: 'Sở Nội vụ', kind: 'department' });
    expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
    expect(existsSync(embeddedUrlFile(dataDir))).toBe(false);

    const search = await dondoc(env, 'list', '--q', 'so noi vu');
    expect(search.status).toBe(0);
    expect(search.stdout).toMatch(/^SNV\s+department\s+Sở Nội vụ$/m);
  }, 60_000);

  it('sets an agency and shows it back, kept in the data directory between runs', async () => {
    const set = await dondoc(
      env,
      'set',
      'SCNS',
      '--name',
      'Sở Chuyển đổi số',
      '--kind',
      'department',
      '--alias',
      'Sở CĐS',
      '--alias',
      'SCĐS',
      '--json',
    );
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      code: 'SCNS',
      name: 'Sở Chuyển đổi số',
      shortName: 'Sở Chuyển đổi số',
      kind: 'department',
      aliases: ['Sở CĐS', 'SCĐS'],
    });

    const show = await dondoc(env, 'show', 'SCNS', '--json');
    expect(show.status).toBe(0);
    expect(JSON.parse(show.stdout)).toEqual(JSON.parse(set.stdout));

    // Without --alias the aliases stay.
    const rename = await dondoc(env, 'set', 'SCNS', '--name', 'Sở Khoa học và Chuyển đổi số', '--kind', 'department');
    expect(rename.status).toBe(0);
    expect(rename.stdout).toContain('Đã cập nhật cơ quan SCNS');
    const text = await dondoc(env, 'show', 'SCNS');
    expect(text.stdout).toContain('Tên:       Sở Khoa học và Chuyển đổi số');
    expect(text.stdout).toContain('Tên khác:  Sở CĐS; SCĐS');
  }, 120_000);

  it('exits 2 naming the option on bad arguments, 1 on an unknown agency', async () => {
    const kind = await dondoc(env, 'set', 'SX', '--name', 'Sở X', '--kind', 'ministry');
    expect(kind.status).toBe(2);
    expect(kind.stderr).toContain('--kind');

    const missing = await dondoc(env, 'merge', 'SNV');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--into');

    const alias = await dondoc(env, 'set', 'SX', '--name', 'Sở X', '--kind', 'department', '--alias', 'Sở NV');
    expect(alias.status).toBe(2);
    expect(alias.stderr).toContain('--alias "Sở NV"');

    const unknown = await dondoc(env, 'show', 'NOPE');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('NOPE');
  }, 120_000);
});

describe('dondoc agencies while npm start runs', () => {
  let dataDir: string;
  let embedded: EmbeddedDatabase;
  let database: DatabaseHandle;

  beforeAll(async () => {
    dataDir = await tempDir();
    // Stands in for `npm start`: its embedded database, with one open assignment of SKHDT.
    embedded = await startEmbeddedDatabase({ dataDir });
    database = connectDatabase(embedded.url, { max: 2 });
    await runMigrations(database.db);
    await seedAgencyRegistries(database.db);
    const [plan] = await database.db
      .insert(plans)
      .values({
        code: '9/KH-UBND',
        slug: '9-kh-ubnd',
        title: 'Kế hoạch thử',
        province: 'Vĩnh Phúc',
        registry: 'vinh-phuc',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
      })
      .returning();
    const [task] = await database.db
      .insert(tasks)
      .values({
        planId: plan!.id,
        key: '1',
        number: '1',
        title: 'Nhiệm vụ thử',
        deadline: { kind: 'date', due: '2025-12-31', raw: '2025' },
      })
      .returning();
    await database.db.insert(assignments).values({
      id: '9-kh-ubnd:1:SKHDT',
      planId: plan!.id,
      taskId: task!.id,
      agencyCode: 'SKHDT',
      status: 'assigned',
      deadline: { kind: 'date', due: '2025-12-31', raw: '2025' },
    });
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    await embedded?.stop();
  });

  it('uses the running database; marks the merger and exits 1 explaining how to move the work when Temporal is down', async () => {
    const run = await dondoc(
      {
        DONDOC_DATA_DIR: dataDir,
        TEMPORAL_DEV_PORT: String(await freePort()),
      },
      'merge',
      'SKHDT',
      '--into',
      'STC',
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Đã đánh dấu SKHDT');
    expect(run.stderr).toContain('chưa chuyển 1 nhiệm vụ');
    expect(run.stderr).toContain('dondoc agencies merge SKHDT --into STC');

    const [row] = await database.db.select().from(agencyRegistries).where(eq(agencyRegistries.key, 'vinh-phuc'));
    expect((row!.data as RegistryData).agencies.find((a) => a.code === 'SKHDT')?.mergedInto).toBe('STC');
    // The CLI left the running database alone.
    expect(existsSync(embeddedUrlFile(dataDir))).toBe(true);
  }, 60_000);
});

describe('dondoc agencies merge against DATABASE_URL and Temporal', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let coordinator: Record<string, string>;

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.startWorker();
    app = await buildTestApp(ctx);
    coordinator = bearer(await testTokens(ctx).coordinator());
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('moves the open work to the successor', async () => {
    const imported = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: coordinator,
      payload: samplePlan({
        code: '12/KH-UBND',
        tasks: [{ number: '1', title: 'Thu hút đầu tư', leads: ['Sở Kế hoạch và Đầu tư'], dueDate: '2025-12-31' }],
      }),
    });
    expect(imported.statusCode).toBe(201);
    const id = `${imported.json().plan.slug}:1:SKHDT`;
    await eventually(
      async () => {
        const body = (
          await app.inject({ method: 'GET', url: `/v1/assignments/${encodeURIComponent(id)}`, headers: coordinator })
        ).json();
        return body.version >= 1 ? body : undefined;
      },
      20_000,
      'the projection',
    );

    const run = await dondoc(
      {
        DATABASE_URL: ctx.databaseUrl,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: ctx.taskQueue,
        TEMPORAL_NAMESPACE: ctx.namespace,
        DONDOC_DATA_DIR: await tempDir(),
      },
      'merge',
      'SKHDT',
      '--into',
      'STC',
      '--reason',
      'Nghị quyết hợp nhất năm 2025',
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      agency: { code: 'SKHDT', mergedInto: 'STC' },
      successor: { code: 'STC' },
      reassigned: [id],
      refused: [],
    });

    const after = (
      await app.inject({ method: 'GET', url: `/v1/assignments/${encodeURIComponent(id)}`, headers: coordinator })
    ).json();
    expect(after.agencyCode).toBe('STC');
    expect(after.agencyHistory[0]).toMatchObject({ from: 'SKHDT', to: 'STC', reason: 'Nghị quyết hợp nhất năm 2025' });
  }, 60_000);
});
