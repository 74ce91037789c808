import { CLI_ACTOR } from '../actor.ts';
import { listAccounts } from '../../services/accounts.ts';
import { invite, listInvitations, resetPassword, revokeInvitation } from '../../services/invitations.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openCliDatabase } from '../../runtime/cli-database.ts';
import { UsageError, commandLine, runCommand } from '../errors.ts';
import type { Role } from '../../domain/permissions.ts';
import { NotFound } from '../../services/errors.ts';
import { writeOut } from '../output.ts';

// `dondoc users …`: the first coordinator's account (and any other) from a terminal on the
// server, also while `npm start` runs; the same invitations and resets the web page makes.

const usage = `usage: dondoc users <subcommand> [options]

  invite --email EMAIL --name NAME [--role coordinator|agency|leadership] [--agency CODE]
         [--registry KEY] [--url BASE]
                         make an invitation and print its link (once); the person opens it
                         and chooses a password. --role defaults to coordinator; --url is
                         where the app is reached (default http://localhost:3000). An earlier
                         open invitation of the same address is revoked
  reset --email EMAIL [--url BASE]
                         reset a person's password: their sessions end, the old password
                         stops working, and a link to choose a new one is printed (once)
  invitations [--json]   the links still open (invitations and resets), with their ids
  revoke-invitation ID   revoke an open link: it lets nobody in any more
  list [--json]          the accounts
`;

const ROLES = new Set(['coordinator', 'agency', 'leadership']);

export function run(args: string[]): Promise<number> {
  return runCommand('users', usage, () => users(args));
}

async function users(args: string[]): Promise<number> {
  const parsed = commandLine(
    args,
    {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      agency: { type: 'string' },
      registry: { type: 'string' },
      url: { type: 'string' },
    },
    ['invite', 'reset', 'invitations', 'revoke-invitation', 'list'],
  );
  if (!parsed) {
    writeOut(usage);
    return 0;
  }
  const { values, subcommand, rest } = parsed;
  const [id, ...extra] = subcommand === 'revoke-invitation' ? rest : [undefined, ...rest];
  if (extra.length > 0) throw new UsageError(`thừa tham số: ${extra.join(' ')}`);
  const role = values.role ?? 'coordinator';
  if (subcommand === 'invite') {
    if (!values.email || !values.name) throw new UsageError('cần --email và --name');
    if (!ROLES.has(role)) throw new UsageError(`vai trò không hợp lệ: "${role}"`);
  }
  if (subcommand === 'reset' && !values.email) throw new UsageError('cần --email của người cần đặt lại mật khẩu');
  if (subcommand === 'revoke-invitation' && !/^[0-9a-f-]{36}$/i.test(id ?? ''))
    throw new UsageError('cần mã lời mời (ID, xem "dondoc users invitations")');
  const config = loadConfig();
  const base = (values.url ?? `http://localhost:${config.port}`).replace(/\/$/, '');
  const database = await openCliDatabase(config);
  try {
    switch (subcommand) {
      case 'list': {
        const accounts = await listAccounts(database.db);
        if (values.json) writeOut(`${JSON.stringify(accounts, null, 2)}\n`);
        else
          for (const a of accounts)
            writeOut(
              `${a.email}  ${a.role}${a.agencyCode ? `:${a.agencyCode}` : ''}  ${a.name}${a.disabled ? '  (đã khoá)' : ''}\n`,
            );
        return 0;
      }
      case 'invitations': {
        const open = await listInvitations(database.db);
        if (values.json) writeOut(`${JSON.stringify(open, null, 2)}\n`);
        else
          for (const i of open)
            writeOut(
              `${i.id}  ${i.kind === 'reset' ? 'đặt lại mật khẩu' : 'lời mời'}  ${i.email}  ${i.name}  hết hạn ${i.expiresAt.slice(0, 10)}\n`,
            );
        return 0;
      }
      case 'revoke-invitation': {
        const revoked = await revokeInvitation(database.db, id!, CLI_ACTOR);
        writeOut(`Đã thu hồi liên kết cho ${revoked.name} <${revoked.email}>.\n`);
        return 0;
      }
      case 'reset': {
        const email = values.email!.trim().toLowerCase();
        const account = (await listAccounts(database.db)).find((a) => a.email === email);
        if (!account) throw new NotFound(`Không có tài khoản với địa chỉ ${email}.`);
        const link = await resetPassword(database.db, account.id, CLI_ACTOR);
        writeOut(
          `Đã đặt lại mật khẩu của ${link.name} <${link.email}>: các phiên đăng nhập đã kết thúc, mật khẩu cũ không còn dùng được.\n` +
            `Liên kết chọn mật khẩu mới (hết hạn ${link.expiresAt.slice(0, 10)}), chỉ hiện một lần:\n` +
            `  ${base}/#/loi-moi/${link.token}\n`,
        );
        return 0;
      }
      case 'invite': {
        const created = await invite(database.db, {
          email: values.email!,
          name: values.name!,
          role: role as Role,
          ...(values.agency ? { agency: values.agency } : {}),
          ...(values.registry ? { registry: values.registry } : {}),
          by: CLI_ACTOR,
        });
        writeOut(
          `Lời mời cho ${created.name} <${created.email}> (hết hạn ${created.expiresAt.slice(0, 10)}, mã ${created.id}), chỉ hiện một lần:\n` +
            `  ${base}/#/loi-moi/${created.token}\n`,
        );
        return 0;
      }
    }
  } finally {
    await database.close();
  }
}
