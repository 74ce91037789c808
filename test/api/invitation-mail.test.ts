import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import type { Mailer } from '../../activities/mailer.ts';
import { createMailer } from '../../runtime/mail.ts';
import { createTestContext, quietLogger, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers.ts';

const PUBLIC_URL = 'https://dondoc.vinhphuc.example.gov.vn';
let ctx: TestContext;
let smtp: SmtpReceiver;
let mailer: Mailer;
let app: FastifyInstance;
let coordinator: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  smtp = await startSmtpReceiver();
  mailer = createMailer({
    smtpUrl: smtp.url,
    from: 'Đôn đốc <dondoc@snv.vinhphuc.example.gov.vn>',
    mailDir: '/nonexistent',
  });
  app = await buildApp(ctx.deps, {
    logger: quietLogger(),
    invitationMail: { mailer, publicUrl: PUBLIC_URL, messageIdDomain: 'snv.vinhphuc.example.gov.vn' },
  });
  coordinator = bearer(await testTokens(ctx).coordinator());
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await mailer?.close();
  await smtp?.close();
});

const invite = (email: string) =>
  app.inject({
    method: 'POST',
    url: '/v1/invitations',
    headers: coordinator,
    payload: { email, name: 'Trần Thị Bình', role: 'leadership' },
  });

describe('an invitation', () => {
  it('is e-mailed to the person invited, in Vietnamese, with the link that lets them in', async () => {
    const response = await invite('binh.tt@syt.vinhphuc.example.gov.vn');
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.emailed).toBe(true);

    const mail = smtp.received.find((m) => m.to.includes('binh.tt@syt.vinhphuc.example.gov.vn'))!;
    expect(mail.subject).toBe('[Đôn đốc] Lời mời sử dụng hệ thống với vai trò lãnh đạo');
    expect(mail.text).toContain('Kính gửi Trần Thị Bình,');
    const link = `${PUBLIC_URL}/#/loi-moi/${created.token}`;
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.text).toMatch(/đến hết ngày \d\d\/\d\d\/\d{4}/);

    // The link in the e-mail is the way in.
    const token = /\/#\/loi-moi\/(\S+)/.exec(mail.text)![1]!;
    const accepted = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${token}/accept`,
      payload: { password: 'mật-khẩu-đủ-dài-2026' },
    });
    expect(accepted.statusCode).toBe(201);
  });

  it('is still made, with its link shown to the coordinator, when the mail server is away', async () => {
    await smtp.stop();
    try {
      const response = await invite('cuong.lv@syt.vinhphuc.example.gov.vn');
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ emailed: false, link: `/#/loi-moi/${response.json().token}` });
    } finally {
      await smtp.start();
    }
  });
});

describe('a password reset', () => {
  it('e-mails the person a link to choose a new password, saying the old one no longer works', async () => {
    const invited = (await invite('dao.tt@syt.vinhphuc.example.gov.vn')).json();
    const accepted = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${invited.token}/accept`,
      payload: { password: 'mật-khẩu-đã-quên-2026' },
    });
    const reset = await app.inject({
      method: 'POST',
      url: `/v1/users/${accepted.json().user.id}/reset`,
      headers: coordinator,
    });
    expect(reset.statusCode).toBe(201);
    expect(reset.json()).toMatchObject({ kind: 'reset', emailed: true });

    const mail = smtp.received.find(
      (m) => m.to.includes('dao.tt@syt.vinhphuc.example.gov.vn') && m.subject.includes('mật khẩu'),
    )!;
    expect(mail.subject).toBe('[Đôn đốc] Đặt lại mật khẩu');
    expect(mail.text).toContain('mật khẩu cũ không còn dùng được');
    expect(mail.text).toContain(`${PUBLIC_URL}/#/loi-moi/${reset.json().token}`);
  });
});
