import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { createTestContext, quietLogger, type TestContext } from '../support/context.ts';
import { dondoc as runDondoc } from '../support/cli.ts';

let ctx: TestContext;
let app: FastifyInstance;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApp(ctx.deps, { logger: quietLogger() });
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const dondoc = (...args: string[]) => runDondoc(args, { env: { DATABASE_URL: ctx.databaseUrl } });

const linkIn = (stdout: string) => /\/#\/loi-moi\/(inv_\S+)/.exec(stdout)![1]!;
const signIn = (email: string, password: string) =>
  app.inject({ method: 'POST', url: '/v1/session', payload: { email, password } });

describe('dondoc users, from a terminal on the server', () => {
  it('revokes an invitation by its id, and invites the same address again', async () => {
    const invited = await dondoc('users', 'invite', '--email', 'lan@snv.gov.vn', '--name', 'Lê Thị Lan');
    expect(invited.status).toBe(0);
    const first = linkIn(invited.stdout);
    const listed = await dondoc('users', 'invitations', '--json');
    const [open] = JSON.parse(listed.stdout) as { id: string; email: string; kind: string }[];
    expect(open).toMatchObject({ email: 'lan@snv.gov.vn', kind: 'account' });

    const revoked = await dondoc('users', 'revoke-invitation', open!.id);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain('Đã thu hồi liên kết cho Lê Thị Lan');
    expect((await app.inject({ method: 'GET', url: `/v1/invitations/${first}` })).statusCode).toBe(404);
    expect(JSON.parse((await dondoc('users', 'invitations', '--json')).stdout)).toEqual([]);
    expect((await dondoc('users', 'revoke-invitation', 'not-an-id')).status).toBe(2);

    const again = await dondoc('users', 'invite', '--email', 'lan@snv.gov.vn', '--name', 'Lê Thị Lan');
    expect(again.status).toBe(0);
    const accepted = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${linkIn(again.stdout)}/accept`,
      payload: { password: 'mật khẩu đầu tiên' },
    });
    expect(accepted.statusCode).toBe(201);
  });

  it('resets a password: the old one stops working and the printed link sets a new one', async () => {
    const reset = await dondoc('users', 'reset', '--email', 'Lan@snv.gov.vn');
    expect(reset.status).toBe(0);
    expect(reset.stdout).toContain('mật khẩu cũ không còn dùng được');
    expect((await signIn('lan@snv.gov.vn', 'mật khẩu đầu tiên')).statusCode).toBe(401);
    const chosen = await app.inject({
      method: 'POST',
      url: `/v1/invitations/${linkIn(reset.stdout)}/accept`,
      payload: { password: 'mật khẩu thứ hai' },
    });
    expect(chosen.statusCode).toBe(201);
    expect((await signIn('lan@snv.gov.vn', 'mật khẩu thứ hai')).statusCode).toBe(200);

    const nobody = await dondoc('users', 'reset', '--email', 'khong-co@snv.gov.vn');
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toContain('Không có tài khoản');
  });
});
