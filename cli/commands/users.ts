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

const usage = `cách dùng: dondoc users <lệnh con> [tùy chọn]

  invite --email EMAIL --name TÊN [--role coordinator|agency|leadership] [--agency MÃ]
         [--registry KHÓA] [--url ĐỊA_CHỈ]
                         tạo lời mời và in liên kết của nó (một lần); người được mời mở liên
                         kết và tự chọn mật khẩu. --role mặc định là coordinator (điều phối);
                         --url là địa chỉ của ứng dụng (mặc định http://localhost:3000). Lời
                         mời còn mở trước đó của cùng địa chỉ bị thu hồi
  reset --email EMAIL [--url ĐỊA_CHỈ]
                         đặt lại mật khẩu: các phiên đăng nhập kết thúc, mật khẩu cũ không
                         còn dùng được, liên kết chọn mật khẩu mới được in (một lần)
  invitations [--json]   các liên kết còn mở (lời mời và đặt lại mật khẩu), kèm mã của chúng
  revoke-invitation MÃ   thu hồi một liên kết còn mở: không ai vào được bằng nó nữa
  list [--json]          các tài khoản

  mã thoát: 0 xong, 1 thất bại, 2 sai cách dùng
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
