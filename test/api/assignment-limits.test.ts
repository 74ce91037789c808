import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { deliverableFiles } from '../../db/schema.ts';
import { buildApp } from '../../api/app.ts';
import { createDirectoryFileStore } from '../../runtime/directory-file-store.ts';
import { ensureHousekeeping } from '../../services/housekeeping.ts';
import { ASSIGNMENT_BOUNDS } from '../../domain/assignment-bounds.ts';
import { createTestContext, eventually, quietLogger, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { multipart, PDF } from '../support/multipart.ts';

// What one assignment may accumulate, as its callers meet it: contributions and files are bounded
// with a reason, a file for someone else's or finished work is refused before its body is read,
// and files never sent with a deliverable are removed after a day.
let ctx: TestContext;
let app: FastifyInstance;
let filesDir: string;
let as: Record<'coordinator' | 'SNV' | 'STP' | 'SYT', Record<string, string>>;
let slug = '';

const post = (who: Record<string, string>, url: string, payload: object = {}) =>
  app.inject({ method: 'POST', url, headers: who, payload });
const upload = (who: Record<string, string>, id: string, bytes = PDF, name = 'ke-hoach.pdf') => {
  const body = multipart(name, bytes, 'application/pdf');
  return app.inject({
    method: 'POST',
    url: `/v1/assignments/${id}/files`,
    headers: { ...who, ...body.headers },
    payload: body.payload,
  });
};

beforeAll(async () => {
  ctx = await createTestContext();
  filesDir = await mkdtemp(join(tmpdir(), 'dondoc-files-'));
  const files = createDirectoryFileStore(filesDir);
  await ctx.startWorker({ files, housekeeping: { roundMs: 300, filesSweepMs: 300 } });
  await ensureHousekeeping(ctx.client, ctx.taskQueue);
  app = await buildApp(ctx.deps, { logger: quietLogger(), files });
  const tokens = testTokens(ctx);
  as = {
    coordinator: bearer(await tokens.coordinator()),
    SNV: bearer(await tokens.agency('SNV')),
    STP: bearer(await tokens.agency('STP')),
    SYT: bearer(await tokens.agency('SYT')),
  };
  const imported = await post(as.coordinator, '/v1/plans', {
    code: '88/KH-UBND',
    title: 'Kế hoạch CCHC năm 2027',
    province: 'Vĩnh Phúc',
    periodStart: '2027-01-01',
    periodEnd: '2027-12-31',
    tasks: [
      {
        number: '1',
        title: 'Số hóa hồ sơ',
        leads: ['Sở Nội vụ'],
        collaborators: ['Sở Tư pháp'],
        dueDate: '2027-06-30',
      },
      { number: '2', title: 'Công bố thủ tục', leads: ['Sở Y tế'], dueDate: '2027-06-30' },
    ],
  });
  expect(imported.statusCode).toBe(201);
  slug = imported.json().plan.slug;
  for (const id of [`${slug}:1:SNV`, `${slug}:2:SYT`])
    await eventually(
      async () =>
        (await app.inject({ method: 'GET', url: `/v1/assignments/${id}`, headers: as.coordinator })).json().version >= 1
          ? true
          : undefined,
      30_000,
      `the projection of ${id}`,
    );
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

describe('what a collaborator can add to one assignment', () => {
  it('takes contributions up to its share, then refuses with the limit, and the lead and the coordinator still act', async () => {
    const id = `${slug}:1:SNV`;
    // 4,000 characters of Vietnamese: about 11 KB, the size that once made the workflow terminate.
    const text = 'Đề nghị bổ sung số liệu về thủ tục hành chính cấp xã. '
      .repeat(80)
      .slice(0, ASSIGNMENT_BOUNDS.textChars);
    const answers: number[] = [];
    for (let n = 0; n < 49; n++)
      answers.push((await post(as.STP, `/v1/assignments/${id}/contributions`, { text })).statusCode);
    const accepted = answers.filter((s) => s === 200).length;
    expect(accepted).toBeGreaterThan(0);
    expect(answers.slice(accepted).every((s) => s === 422)).toBe(true);
    const refused = await post(as.STP, `/v1/assignments/${id}/contributions`, { text });
    expect(refused.json().detail).toContain(
      `giới hạn ${Math.round(ASSIGNMENT_BOUNDS.contributions.bytesPerAgency / 1024)} KB`,
    );

    // One over the length of a contribution is refused by its schema, naming the field.
    const tooLong = await post(as.STP, `/v1/assignments/${id}/contributions`, { text: 'a'.repeat(10_001) });
    expect(tooLong.statusCode).toBe(400);

    expect((await post(as.SNV, `/v1/assignments/${id}/acknowledge`)).statusCode).toBe(200);
    const extended = await post(as.coordinator, `/v1/assignments/${id}/deadline`, {
      due: '2027-09-30',
      reason: 'Điều chỉnh',
    });
    expect(extended.statusCode).toBe(200);
    expect(extended.json().contributions).toHaveLength(accepted);
    expect((await ctx.client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');
  });
});

describe('deliverable files', () => {
  it("refuses a file for another agency's work before reading its body", async () => {
    // A body that never ends: an answer at all proves the server did not wait for it.
    const endless = new Readable({ read() {} });
    const response = await app.inject({
      method: 'POST',
      url: `/v1/assignments/${slug}:2:SYT/files`,
      headers: {
        ...as.SNV,
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(20 * 1024 * 1024),
      },
      payload: endless,
    });
    expect(response.statusCode).toBe(404);
    endless.destroy();
    const byCollaborator = await app.inject({
      method: 'POST',
      url: `/v1/assignments/${slug}:1:SNV/files`,
      headers: {
        ...as.STP,
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(20 * 1024 * 1024),
      },
      payload: new Readable({ read() {} }),
    });
    expect(byCollaborator.statusCode).toBe(403);
  });

  it('keeps at most a few files waiting for a submission, and none for finished work', async () => {
    const id = `${slug}:2:SYT`;
    const sent: string[] = [];
    for (let n = 0; n < 5; n++) {
      const response = await upload(as.SYT, id, Buffer.concat([PDF, Buffer.from(`% ${n}\n`)]));
      expect(response.statusCode).toBe(201);
      sent.push(response.json().id);
    }
    const sixth = await upload(as.SYT, id, Buffer.concat([PDF, Buffer.from('% 6\n')]));
    expect(sixth.statusCode).toBe(422);
    expect(sixth.json().detail).toContain('5 tệp chưa nộp');

    const submitted = await post(as.SYT, `/v1/assignments/${id}/deliverables`, {
      type: 'Kế hoạch',
      documentNumber: '12/KH-SYT',
      date: '2026-12-01',
      file: sent[0],
    });
    expect(submitted.statusCode).toBe(200);
    expect((await post(as.coordinator, `/v1/assignments/${id}/accept`)).statusCode).toBe(200);
    const afterCompletion = await upload(as.SYT, id);
    expect(afterCompletion.statusCode).toBe(409);
    expect(afterCompletion.json().detail).toContain('đã kết thúc');
  });

  it('removes files never sent with a deliverable once they are a day old, keeping the one that was', async () => {
    const id = `${slug}:2:SYT`;
    const rows = await ctx.database.db.select().from(deliverableFiles).where(eq(deliverableFiles.assignmentId, id));
    expect(rows.filter((r) => r.submission === 0)).toHaveLength(1);
    const contentBefore = (await readdir(filesDir)).filter((f) => !f.startsWith('.'));
    expect(contentBefore).toHaveLength(5);
    // A day and a minute later, for the files the lead never sent.
    await ctx.database.db
      .update(deliverableFiles)
      .set({ uploadedAt: sql`now() - interval '1 day 1 minute'` })
      .where(eq(deliverableFiles.assignmentId, id));
    const kept = await eventually(
      async () => {
        const left = await ctx.database.db.select().from(deliverableFiles).where(eq(deliverableFiles.assignmentId, id));
        return left.length === 1 ? left : undefined;
      },
      30_000,
      'the files never attached removed',
    );
    expect(kept[0]!.submission).toBe(0);
    expect((await readdir(filesDir)).filter((f) => !f.startsWith('.'))).toEqual([kept[0]!.sha256]);
    const download = await app.inject({ method: 'GET', url: `/v1/files/${kept[0]!.id}`, headers: as.coordinator });
    expect(download.statusCode).toBe(200);
  });
});
