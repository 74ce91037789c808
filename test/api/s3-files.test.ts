import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openFileStore } from '../../runtime/file-stores.ts';
import { freePort } from '../../runtime/free-port.ts';
import type { FileStore } from '../../services/file-store.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { createTestContext, eventually, quietLogger, type TestContext } from '../support/context.ts';
import { samplePlan } from '../support/plans.ts';
import { findS3Server, startS3Server, type RunningS3Server } from '../support/s3-server.ts';
import { multipart } from '../support/multipart.ts';

// Deliverable files in an S3-compatible bucket (FILE_STORAGE_URL), against a real S3 server on this
// machine (versitygw, which checks every request's signature), through the API in this process and
// through the `dondoc api` process.

const bin = fileURLToPath(new URL('../../bin/dondoc.js', import.meta.url));
const BUCKET = 'dondoc-files';
const PREFIX = 'vinh-phuc/deliverables';
const ASSIGNMENT = '2866-qd-ubnd:14:SNV';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
// A scan of a few megabytes, of every byte value: what comes back must be the same bytes.
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  randomBytes(3 * 1024 * 1024),
]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let server: RunningS3Server;
let bucket: S3Client;
let ctx: TestContext;
let store: FileStore;
let app: FastifyInstance;
let dataDir: string;
let coordinator: Record<string, string>;
let snv: Record<string, string>;
let syt: Record<string, string>;
const children: ChildProcess[] = [];

/** The settings an operator writes to put the files in the test's bucket. */
function s3Env(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    FILE_STORAGE_URL: `s3://${BUCKET}/${PREFIX}`,
    S3_ENDPOINT: server.endpoint,
    S3_ACCESS_KEY_ID: server.accessKeyId,
    S3_SECRET_ACCESS_KEY: server.secretAccessKey,
    ...overrides,
  };
}

async function keysInBucket(): Promise<string[]> {
  const listed = await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

async function upload(fileName: string, bytes: Buffer, headers: Record<string, string>) {
  const body = multipart(fileName, bytes);
  return app.inject({
    method: 'POST',
    url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/files`,
    headers: { ...headers, ...body.headers },
    payload: body.payload,
  });
}

/** `dondoc <args>` with the test's Temporal namespace and database, and `env` on top. */
async function dondoc(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: ctx.databaseUrl,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: ctx.namespace,
      TEMPORAL_TASK_QUEUE: ctx.taskQueue,
      DONDOC_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

beforeAll(async () => {
  // Built with Go the first time on a machine (.ci/run builds it before the tests).
  server = await startS3Server(await findS3Server({ log: (message) => console.log(`[versitygw] ${message}`) }));
  bucket = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
  await bucket.send(new CreateBucketCommand({ Bucket: BUCKET }));
  dataDir = await mkdtemp(join(tmpdir(), 'dondoc-s3-data-'));

  ctx = await createTestContext();
  await ctx.startWorker();
  // Through the configuration, as the processes build it.
  store = await openFileStore(loadConfig(s3Env(), dataDir).fileStorage);
  await store.check();
  app = await buildApp(ctx.deps, { logger: quietLogger(), files: store });
  const tokens = testTokens(ctx);
  coordinator = bearer(await tokens.coordinator());
  snv = bearer(await tokens.agency('SNV'));
  syt = bearer(await tokens.agency('SYT'));
  const imported = await app.inject({ method: 'POST', url: '/v1/plans', payload: samplePlan(), headers: coordinator });
  expect(imported.statusCode).toBe(201);
  await eventually(async () => {
    const read = await app.inject({
      method: 'GET',
      url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}`,
      headers: coordinator,
    });
    return read.json().version >= 1 ? true : undefined;
  });
}, 15 * 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await app?.close();
  await store?.close();
  bucket?.destroy();
  await ctx?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('deliverable files in an S3-compatible bucket', () => {
  let pdfId: string;

  it('keeps an upload as one object named by its SHA-256 under the prefix', async () => {
    const response = await upload('Kế hoạch 319.pdf', PDF, snv);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ sha256: sha256(PDF), contentType: 'application/pdf', size: PDF.length });
    pdfId = response.json().id;

    expect(await keysInBucket()).toEqual([`${PREFIX}/${sha256(PDF)}`]);
    const object = await bucket.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${sha256(PDF)}` }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(PDF)).toBe(true);
  });

  it('gives the file back byte for byte to whoever may read the work, and to no other agency', async () => {
    const submitted = await app.inject({
      method: 'POST',
      url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/deliverables`,
      headers: snv,
      payload: { type: 'Kế hoạch', documentNumber: '319/KH-UBND', date: '2021-12-20', file: pdfId },
    });
    expect(submitted.statusCode).toBe(200);

    for (const reader of [coordinator, snv]) {
      const download = await app.inject({ method: 'GET', url: `/v1/files/${pdfId}`, headers: reader });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(PDF)).toBe(true);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-length']).toBe(String(PDF.length));
    }
    expect((await app.inject({ method: 'GET', url: `/v1/files/${pdfId}`, headers: syt })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/v1/files/${pdfId}` })).statusCode).toBe(401);
    // Another agency cannot put files on work it does not lead either.
    expect((await upload('x.pdf', PDF, syt)).statusCode).toBe(404);
  });

  it('stores the same content sent twice once, and a large binary file intact', async () => {
    const again = await upload('Kế hoạch 319 (bản sao).pdf', PDF, snv);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).not.toBe(pdfId);
    expect(await keysInBucket()).toEqual([`${PREFIX}/${sha256(PDF)}`]);

    const scan = await upload('ban-chup.png', PNG, snv);
    expect(scan.statusCode).toBe(201);
    expect(await keysInBucket()).toEqual([`${PREFIX}/${sha256(PDF)}`, `${PREFIX}/${sha256(PNG)}`].sort());
    const download = await app.inject({ method: 'GET', url: `/v1/files/${scan.json().id}`, headers: coordinator });
    expect(download.statusCode).toBe(200);
    expect(sha256(download.rawPayload)).toBe(sha256(PNG));

    const files = await app.inject({
      method: 'GET',
      url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/files`,
      headers: coordinator,
    });
    expect(files.json().items).toHaveLength(3);
  });

  it('says the file is gone when its object was removed from the bucket, rather than failing', async () => {
    const lost = await upload('mat.pdf', Buffer.concat([PDF, Buffer.from('\n% mất\n')]), snv);
    expect(lost.statusCode).toBe(201);
    await bucket.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${lost.json().sha256}` }));
    const download = await app.inject({ method: 'GET', url: `/v1/files/${lost.json().id}`, headers: coordinator });
    expect(download.statusCode).toBe(404);
    expect(download.json().detail).toBe('Tệp này không còn trong kho lưu trữ; hãy báo cơ quan thường trực.');
  });
});

describe('dondoc api with FILE_STORAGE_URL', () => {
  it('refuses to start, saying what is wrong, when the bucket is missing, the secret is wrong or nothing answers', async () => {
    const closed = await freePort();
    const cases = [
      {
        env: s3Env({ FILE_STORAGE_URL: 's3://khong-co-bucket/files' }),
        says: 'the bucket "khong-co-bucket" does not exist',
      },
      { env: s3Env({ S3_SECRET_ACCESS_KEY: 'wrong-secret-0123456789' }), says: 'check S3_SECRET_ACCESS_KEY' },
      { env: s3Env({ S3_ENDPOINT: `http://127.0.0.1:${closed}` }), says: `no answer from http://127.0.0.1:${closed}` },
    ];
    const runs = await Promise.all(cases.map((c) => dondoc(['api'], c.env)));
    for (const [i, run] of runs.entries()) {
      expect(await run.exited, run.output()).toBe(1);
      expect(run.output()).toContain('Deliverable files cannot be kept in S3');
      expect(run.output()).toContain(cases[i]!.says);
      for (const secret of [server.secretAccessKey, 'wrong-secret-0123456789'])
        expect(run.output()).not.toContain(secret);
    }
  });

  it('starts with a bucket that answers, names it without the secret, and keeps uploads there, not on its disk', async () => {
    const port = await freePort();
    const api = await dondoc(['api'], { ...s3Env(), PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      async () => {
        if (api.child.exitCode !== null) throw new Error(`exited:\n${api.output()}`);
        return (await fetch(`${url}/readyz`)).ok ? true : undefined;
      },
      60_000,
      `${url}/readyz`,
    );
    expect(api.output()).toContain(`S3 bucket \\"${BUCKET}\\" under \\"${PREFIX}/\\" at ${server.endpoint}`);
    expect(api.output()).not.toContain(server.secretAccessKey);

    const letter = Buffer.from('%PDF-1.7\nCông văn đôn đốc\n%%EOF\n');
    const form = new FormData();
    form.append('file', new Blob([letter]), 'cong-van.pdf');
    const sent = await fetch(`${url}/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/files`, {
      method: 'POST',
      headers: snv,
      body: form,
    });
    expect(sent.status).toBe(201);
    expect(await keysInBucket()).toContain(`${PREFIX}/${sha256(letter)}`);
    expect(existsSync(join(dataDir, 'files'))).toBe(false);
    const { id } = (await sent.json()) as { id: string };
    const back = await fetch(`${url}/v1/files/${id}`, { headers: coordinator });
    expect(back.status).toBe(200);
    expect(Buffer.from(await back.arrayBuffer()).equals(letter)).toBe(true);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });
});
