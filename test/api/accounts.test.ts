import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { buildApp } from '../../api/app.ts';
import { auditLog, users } from '../../db/schema.ts';
import { createToken } from '../../services/tokens.ts';
import { createTestContext, eventually, quietLogger, type TestContext } from '../support/context.ts';
import { samplePlan } from '../support/plans.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { multipart, PDF } from '../support/multipart.ts';

let ctx: TestContext;
let app: FastifyInstance;
let filesDir: string;
let coordinator: Record<string, string>;
let syt: Record<string, string>;

const ASSIGNMENT = '2866-qd-ubnd:14:SNV';
interface Person {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

async function invite(body: Record<string, string>): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/v1/invitations', headers: coordinator, payload: body });
  expect(response.statusCode).toBe(201);
  const created = response.json();
  expect(created.link).toBe(`/#/loi-moi/${created.token}`);
  return created.token as string;
}

async function accept(token: string, password: string): Promise<Person> {
  const response = await app.inject({
    method: 'POST',
    url: `/v1/invitations/${token}/accept`,
    payload: { password },
  });
  expect(response.statusCode).toBe(201);
  const setCookie = String(response.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  const csrf = response.json().csrfToken as string;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  filesDir = await mkdtemp(join(tmpdir(), 'dondoc-files-'));
  app = await buildApp(ctx.deps, { logger: quietLogger(), filesDir });
  const tokens = testTokens(ctx);
  coordinator = bearer(await tokens.coordinator());
  syt = bearer(await tokens.agency('SYT'));
  const imported = await app.inject({ method: 'POST', url: '/v1/plans', payload: samplePlan(), headers: coordinator });
  expect(imported.statusCode).toBe(201);
  await eventually(async () => {
    const r = await app.inject({
      method: 'GET',
      url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}`,
      headers: coordinator,
    });
    return r.json().version >= 1 ? true : undefined;
  });
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

describe('people sign in as themselves', () => {
  let an: Person;

  it('an invitation link is shown once, tells whom it is for, and makes an account with a session cookie', async () => {
    const token = await invite({
      email: 'An.Nguyen@snv.vinhphuc.gov.vn',
      name: 'Nguyễn Văn An',
      role: 'agency',
      agency: 'SNV',
      registry: 'vinh-phuc',
    });
    const read = await app.inject({ method: 'GET', url: `/v1/invitations/${token}` });
    expect(read.json()).toMatchObject({
      email: 'an.nguyen@snv.vinhphuc.gov.vn',
      name: 'Nguyễn Văn An',
      agencyCode: 'SNV',
      registry: 'vinh-phuc',
    });

    const short = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${token}/accept`,
      payload: { password: 'ngan' },
    });
    expect(short.statusCode).toBe(422);
    expect(short.json().detail).toContain('ít nhất 10 ký tự');

    const response = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${token}/accept`,
      payload: { password: 'mật khẩu đủ dài 2026' },
    });
    expect(response.statusCode).toBe(201);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^dondoc_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict/);
    expect(cookie).not.toContain('Secure'); // plain HTTP here; Secure when the request came over HTTPS
    an = { cookie: cookie.split(';')[0]!, csrf: response.json().csrfToken, headers: {} };
    an.headers = { cookie: an.cookie, 'x-csrf-token': an.csrf };

    const again = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${token}/accept`,
      payload: { password: 'mật khẩu đủ dài 2026' },
    });
    expect(again.statusCode).toBe(404);
  });

  it('a session reads like a token of its agency, and a change made with the cookie needs the CSRF token', async () => {
    const session = await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: an.cookie } });
    expect(session.json()).toMatchObject({
      user: { name: 'Nguyễn Văn An', role: 'agency', agencyCode: 'SNV' },
      csrfToken: an.csrf,
    });
    const list = await app.inject({ method: 'GET', url: '/v1/assignments', headers: { cookie: an.cookie } });
    expect(list.json().items.map((a: { id: string }) => a.id)).toContain(ASSIGNMENT);

    const path = `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/acknowledge`;
    const forged = await app.inject({ method: 'POST', url: path, headers: { cookie: an.cookie }, payload: {} });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().detail).toContain('X-CSRF-Token');
    const wrong = await app.inject({
      method: 'POST',
      url: path,
      headers: { cookie: an.cookie, 'x-csrf-token': 'x'.repeat(43) },
      payload: {},
    });
    expect(wrong.statusCode).toBe(403);

    const done = await app.inject({ method: 'POST', url: path, headers: an.headers, payload: {} });
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('acknowledged');
  });

  it('the audit trail names the person, not a token', async () => {
    const entry = await eventually(async () => {
      const [row] = await ctx.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, ASSIGNMENT), eq(auditLog.action, 'acknowledge')));
      return row;
    });
    expect(entry.actor).toBe('agency:SNV:Nguyễn Văn An <an.nguyen@snv.vinhphuc.gov.vn>');
    const timeline = await app.inject({
      method: 'GET',
      url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}`,
      headers: coordinator,
    });
    expect(timeline.json().timeline.at(-1).actor).toContain('Nguyễn Văn An');
  });

  it('holds back the address that typed wrong passwords, never the person elsewhere, and audits it', async () => {
    const token = await invite({
      email: 'binh@syt.vinhphuc.gov.vn',
      name: 'Trần Thị Bình',
      role: 'agency',
      agency: 'SYT',
      registry: 'vinh-phuc',
    });
    await accept(token, 'đúng mật khẩu 12345');
    const signIn = (email: string, password: string, remoteAddress: string) =>
      app.inject({ method: 'POST', url: '/v1/session', payload: { email, password }, remoteAddress });
    const stranger = '198.51.100.7';
    const answers = [];
    for (let i = 0; i < 4; i += 1)
      answers.push(await signIn('binh@syt.vinhphuc.gov.vn', `sai mật khẩu ${i}`, stranger));
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401]);
    // The stranger now waits, even with the right password…
    const heldBack = await signIn('binh@syt.vinhphuc.gov.vn', 'đúng mật khẩu 12345', stranger);
    expect(heldBack.statusCode).toBe(429);
    expect(heldBack.json().detail).toMatch(/^Đăng nhập sai nhiều lần từ máy này; hãy chờ \d+ giây rồi thử lại\.$/);
    expect(Number(heldBack.headers['retry-after'])).toBeGreaterThan(0);
    // …but Bình, at her own desk, is not locked out by it.
    expect((await signIn('binh@syt.vinhphuc.gov.vn', 'đúng mật khẩu 12345', '203.0.113.20')).statusCode).toBe(200);

    // An address without an account is answered exactly the same way, step by step.
    const unknown = [];
    for (let i = 0; i < 5; i += 1) unknown.push(await signIn('khong-co@syt.vinhphuc.gov.vn', `sai ${i}`, stranger));
    expect(unknown.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 429]);
    const details = (list: { json(): { detail: string } }[]) => list.map((a) => a.json().detail);
    expect(details(unknown.slice(0, 4))).toEqual(details(answers));
    const shape = (detail: string) => detail.replace(/\d+/g, 'N');
    expect(shape(unknown[4]!.json().detail)).toBe(shape(heldBack.json().detail));

    const [audited] = await ctx.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'sign-in-hold-back'), eq(auditLog.entityType, 'user')));
    expect(audited).toMatchObject({ toState: 'held-back', details: { failures: 4, from: stranger } });
    expect(JSON.stringify(audited)).not.toContain('sai mật khẩu');

    // The coordinator sees it, and can let every address try at once.
    const accounts = (await app.inject({ method: 'GET', url: '/v1/users', headers: coordinator })).json().items;
    const binh = accounts.find((u: { email: string }) => u.email === 'binh@syt.vinhphuc.gov.vn');
    expect(binh.locked).toBe(true);
    expect(
      (await app.inject({ method: 'POST', url: `/v1/users/${binh.id}/enable`, headers: coordinator })).statusCode,
    ).toBe(200);
    expect((await signIn('binh@syt.vinhphuc.gov.vn', 'đúng mật khẩu 12345', stranger)).statusCode).toBe(200);
  });

  it('names the cookie __Host- and marks it Secure when the browser came over HTTPS through a proxy', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: 'binh@syt.vinhphuc.gov.vn', password: 'đúng mật khẩu 12345' },
    });
    expect(response.statusCode).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    // What browsers demand of the prefix: Secure, Path=/ and no Domain.
    expect(cookie).toMatch(/^__Host-dondoc_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Expires=[^;]+; Secure$/);
    expect(cookie).not.toMatch(/Domain=/i);
    const session = await app.inject({
      method: 'GET',
      url: '/v1/session',
      headers: { cookie: cookie.split(';')[0]!, 'x-forwarded-proto': 'https' },
    });
    expect(session.json().user.email).toBe('binh@syt.vinhphuc.gov.vn');
  });

  it('a wrong e-mail and a wrong password get the same answer', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/session',
      payload: { email: 'ai@do.vn', password: 'bất kỳ mật khẩu' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toBe('Sai địa chỉ thư điện tử hoặc mật khẩu.');
  });

  it('only a coordinator invites, and an agency account needs a known agency', async () => {
    const byAgency = await app.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers: an.headers,
      payload: { email: 'x@y.vn', name: 'X', role: 'coordinator' },
    });
    expect(byAgency.statusCode).toBe(403);
    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers: coordinator,
      payload: { email: 'x@y.vn', name: 'X', role: 'agency', agency: 'KHONGCO' },
    });
    expect(unknown.statusCode).toBe(422);
  });

  describe('deliverable files', () => {
    let fileId: string;

    it('takes a PDF from the lead agency, keeps it by its SHA-256 and audits that', async () => {
      const upload = multipart('Kế hoạch 319.pdf', PDF, 'application/pdf');
      const response = await app.inject({
        method: 'POST',
        url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/files`,
        headers: { ...an.headers, ...upload.headers },
        payload: upload.payload,
      });
      expect(response.statusCode).toBe(201);
      const sha256 = createHash('sha256').update(PDF).digest('hex');
      expect(response.json()).toMatchObject({
        fileName: 'Kế hoạch 319.pdf',
        contentType: 'application/pdf',
        sha256,
        submission: null,
      });
      fileId = response.json().id;
      const [entry] = await ctx.database.db.select().from(auditLog).where(eq(auditLog.action, 'file-upload'));
      expect(entry!.details).toMatchObject({ sha256 });
      expect(entry!.actor).toContain('Nguyễn Văn An');
    });

    it('refuses a page dressed up as a PDF, and a file from an agency that does not lead the work', async () => {
      const html = multipart('bao-cao.pdf', Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf');
      const refused = await app.inject({
        method: 'POST',
        url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/files`,
        headers: { ...an.headers, ...html.headers },
        payload: html.payload,
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().detail).toContain('PDF, DOCX, XLSX');
      const other = multipart('a.pdf', PDF);
      const bySyt = await app.inject({
        method: 'POST',
        url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/files`,
        headers: { ...syt, ...other.headers },
        payload: other.payload,
      });
      expect(bySyt.statusCode).toBe(404);
    });

    it('goes with the deliverable, and is downloadable only by those who may read the assignment', async () => {
      const submitted = await app.inject({
        method: 'POST',
        url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/deliverables`,
        headers: an.headers,
        payload: { type: 'Kế hoạch', documentNumber: '319/KH-UBND', date: '2021-12-20', file: fileId },
      });
      expect(submitted.statusCode).toBe(200);
      const files = await app.inject({
        method: 'GET',
        url: `/v1/assignments/${encodeURIComponent(ASSIGNMENT)}/files`,
        headers: coordinator,
      });
      expect(files.json().items).toMatchObject([{ id: fileId, submission: 0 }]);

      const download = await app.inject({ method: 'GET', url: `/v1/files/${fileId}`, headers: coordinator });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(PDF)).toBe(true);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toMatch(
        /^inline; filename="Ke hoach 319.pdf"; filename\*=UTF-8''K%E1%BA%BF/,
      );
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect((await app.inject({ method: 'GET', url: `/v1/files/${fileId}`, headers: syt })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: `/v1/files/${fileId}` })).statusCode).toBe(401);
    });
  });

  it('signing out ends the session', async () => {
    const out = await app.inject({ method: 'DELETE', url: '/v1/session', headers: an.headers });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: an.cookie } })).statusCode).toBe(
      401,
    );
  });
});

describe("accounts that stay their owners' own", () => {
  const signIn = (email: string, password: string) =>
    app.inject({ method: 'POST', url: '/v1/session', payload: { email, password }, remoteAddress: '192.0.2.50' });
  const cookieOf = (response: { headers: Record<string, unknown> }) =>
    String(response.headers['set-cookie']).split(';')[0]!;
  const session = (cookie: string) => app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } });

  it('hashes passwords with scrypt at N = 2^17, and makes an older, cheaper hash again at the next sign-in', async () => {
    await accept(
      await invite({ email: 'chi@snv.vinhphuc.gov.vn', name: 'Đỗ Thị Chi', role: 'leadership' }),
      'mật khẩu của Chi 2026',
    );
    const stored = async () =>
      (await ctx.database.db.select().from(users).where(eq(users.email, 'chi@snv.vinhphuc.gov.vn')))[0]!.passwordHash;
    expect(await stored()).toMatch(/^scrypt\$131072\$8\$1\$/);
    // A hash as the service made them before: N = 2^15.
    const salt = randomBytes(16);
    const key = scryptSync('mật khẩu của Chi 2026'.normalize('NFC'), salt, 64, {
      N: 32768,
      r: 8,
      p: 1,
      maxmem: 64 << 20,
    });
    await ctx.database.db
      .update(users)
      .set({ passwordHash: ['scrypt', 32768, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$') })
      .where(eq(users.email, 'chi@snv.vinhphuc.gov.vn'));
    expect((await signIn('chi@snv.vinhphuc.gov.vn', 'mật khẩu của Chi 2026')).statusCode).toBe(200);
    expect(await stored()).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await signIn('chi@snv.vinhphuc.gov.vn', 'mật khẩu của Chi 2026')).statusCode).toBe(200);
  });

  it('lets a coordinator revoke an invitation and invite the same address again', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers: coordinator,
      payload: { email: 'dung@snv.vinhphuc.gov.vn', name: 'Vũ Văn Dũng', role: 'leadership' },
    });
    const { id, token } = first.json();
    const open = (await app.inject({ method: 'GET', url: '/v1/invitations', headers: coordinator })).json().items;
    expect(open.map((i: { id: string }) => i.id)).toContain(id);
    // A province's coordinator elsewhere cannot touch it.
    const elsewhere = await createToken(ctx.database.db, {
      name: 'Sở Nội vụ Hà Nội',
      role: 'coordinator',
      registry: 'ha-noi',
      createdBy: 'test',
    });
    const foreign = await app.inject({
      method: 'DELETE',
      url: `/v1/invitations/${id}`,
      headers: bearer(elsewhere.token),
    });
    expect(foreign.statusCode).toBe(404);

    const revoked = await app.inject({ method: 'DELETE', url: `/v1/invitations/${id}`, headers: coordinator });
    expect(revoked.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/v1/invitations/${token}` })).statusCode).toBe(404);
    const late = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${token}/accept`,
      payload: { password: 'mật khẩu của Dũng 2026' },
    });
    expect(late.statusCode).toBe(404);

    // Invited again (twice: the second replaces the first, which no longer works).
    const again = await invite({ email: 'dung@snv.vinhphuc.gov.vn', name: 'Vũ Văn Dũng', role: 'leadership' });
    const latest = await invite({ email: 'dung@snv.vinhphuc.gov.vn', name: 'Vũ Văn Dũng', role: 'leadership' });
    expect((await app.inject({ method: 'GET', url: `/v1/invitations/${again}` })).statusCode).toBe(404);
    await accept(latest, 'mật khẩu của Dũng 2026');
    const trail = await ctx.database.db.select().from(auditLog).where(eq(auditLog.action, 'invitation-revoke'));
    expect(trail.map((e) => e.details)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'revoked' }),
        expect.objectContaining({ reason: 'invited again' }),
      ]),
    );
  });

  it('lets a person change their password: the current one is needed, and their other sessions end', async () => {
    await accept(
      await invite({ email: 'em@snv.vinhphuc.gov.vn', name: 'Lý Thị Em', role: 'leadership' }),
      'mật khẩu cũ của Em',
    );
    const here = await signIn('em@snv.vinhphuc.gov.vn', 'mật khẩu cũ của Em');
    const there = cookieOf(await signIn('em@snv.vinhphuc.gov.vn', 'mật khẩu cũ của Em'));
    const headers = { cookie: cookieOf(here), 'x-csrf-token': here.json().csrfToken };
    const change = (current: string, next: string) =>
      app.inject({ method: 'POST', url: '/v1/session/password', headers, payload: { current, next } });

    const wrong = await change('không phải mật khẩu', 'mật khẩu mới của Em');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().detail).toBe('Mật khẩu hiện tại không đúng.');
    expect((await change('mật khẩu cũ của Em', 'ngắn')).statusCode).toBe(422);
    expect((await change('mật khẩu cũ của Em', 'mật khẩu mới của Em')).statusCode).toBe(204);

    expect((await session(there)).statusCode).toBe(401);
    expect((await session(headers.cookie)).statusCode).toBe(200);
    expect((await signIn('em@snv.vinhphuc.gov.vn', 'mật khẩu cũ của Em')).statusCode).toBe(401);
    expect((await signIn('em@snv.vinhphuc.gov.vn', 'mật khẩu mới của Em')).statusCode).toBe(200);
    // A token has no password to change.
    const byToken = await app.inject({
      method: 'POST',
      url: '/v1/session/password',
      headers: coordinator,
      payload: { current: 'x', next: 'mật khẩu mới dài' },
    });
    expect(byToken.statusCode).toBe(404);
    const [changed] = await ctx.database.db.select().from(auditLog).where(eq(auditLog.action, 'password-change'));
    // The session opened by accepting the invitation, and the one "there".
    expect(changed!.details).toMatchObject({ sessionsEnded: 2 });
    expect(JSON.stringify(changed)).not.toContain('mật khẩu');
  });

  it('lets the coordinator reset a password: sessions end, the old one stops working, a new link lets the person in', async () => {
    await accept(
      await invite({ email: 'giang@snv.vinhphuc.gov.vn', name: 'Hà Văn Giang', role: 'leadership' }),
      'mật khẩu quên rồi 1',
    );
    const before = cookieOf(await signIn('giang@snv.vinhphuc.gov.vn', 'mật khẩu quên rồi 1'));
    const accounts = (await app.inject({ method: 'GET', url: '/v1/users', headers: coordinator })).json().items;
    const giang = accounts.find((u: { email: string }) => u.email === 'giang@snv.vinhphuc.gov.vn');

    const reset = await app.inject({ method: 'POST', url: `/v1/users/${giang.id}/reset`, headers: coordinator });
    expect(reset.statusCode).toBe(201);
    const link = reset.json();
    expect(link).toMatchObject({ kind: 'reset', email: 'giang@snv.vinhphuc.gov.vn', emailed: false });
    expect(link.link).toBe(`/#/loi-moi/${link.token}`);

    expect((await session(before)).statusCode).toBe(401);
    expect((await signIn('giang@snv.vinhphuc.gov.vn', 'mật khẩu quên rồi 1')).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/v1/invitations/${link.token}` })).json()).toMatchObject({
      kind: 'reset',
      name: 'Hà Văn Giang',
    });
    const chosen = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${link.token}/accept`,
      payload: { password: 'mật khẩu mới của Giang' },
    });
    expect(chosen.statusCode).toBe(201);
    expect(chosen.json().user.id).toBe(giang.id);
    expect((await signIn('giang@snv.vinhphuc.gov.vn', 'mật khẩu mới của Giang')).statusCode).toBe(200);
    const actions = (await ctx.database.db.select().from(auditLog).where(eq(auditLog.entityId, giang.id))).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['password-reset', 'password-set']));
  });
});

describe('the web pages', () => {
  it('are served at / with a policy that runs our own scripts only', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="vi">');
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const script = await app.inject({ method: 'GET', url: '/app/app.js' });
    expect(script.headers['content-type']).toContain('text/javascript');
    // The modules are TypeScript, bundled: their sources are not served one by one.
    expect((await app.inject({ method: 'GET', url: '/app/main.ts' })).statusCode).toBe(404);
    // One script: the page loads esbuild's bundle of every module, which imports nothing more.
    expect([...page.body.matchAll(/<script\b/g)]).toHaveLength(1);
    expect(page.body).toContain('<script type="module" src="/app/app.js"></script>');
    const bundle = await app.inject({ method: 'GET', url: '/app/app.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toContain('text/javascript');
    expect(bundle.body).toContain('Việc của tôi');
    expect(bundle.body).not.toMatch(/\bfrom\s*["']\.{1,2}\//);
    // No import left (an API path ending in /import, a string of the page's, is not one).
    expect(bundle.body).not.toMatch(/(?<![\w/])import\s*\(?\s*["']/);
    expect((await app.inject({ method: 'GET', url: '/app/dist/app.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/app/..%2Fpackage.json' })).statusCode).toBe(404);
  });
});
