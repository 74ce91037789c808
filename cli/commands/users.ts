import { CLI_ACTOR } from '../actor.ts';
import { invite, listAccounts } from '../../services/accounts.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openCliDatabase } from '../../runtime/cli-database.ts';
import { parseOptions, runCommand, subcommandOf, UsageError } from '../errors.ts';
import type { Role } from '../../domain/permissions.ts';

// `dondoc users …`: the first coordinator's account (and any other) from a terminal on the
// server, also while `npm start` runs; the same invitation the web page makes.

const usage = `usage: dondoc users <subcommand> [options]

  invite --email EMAIL --name NAME [--role coordinator|agency|leadership] [--agency CODE]
         [--registry KEY] [--url BASE]
                         make an invitation and print its link (once); the person opens it
                         and chooses a password. --role defaults to coordinator; --url is
                         where the app is reached (default http://localhost:3000)
  list [--json]          the accounts
`;

const ROLES = new Set(['coordinator', 'agency', 'leadership']);

export function run(args: string[]): Promise<number> {
  return runCommand('users', usage, () => users(args));
}

async function users(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      agency: { type: 'string' },
      registry: { type: 'string' },
      url: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const [given, ...extra] = positionals;
  const subcommand = subcommandOf(given, ['invite', 'list']);
  if (extra.length > 0) throw new UsageError(`thừa tham số: ${extra.join(' ')}`);
  const role = values.role ?? 'coordinator';
  if (subcommand === 'invite') {
    if (!values.email || !values.name) throw new UsageError('cần --email và --name');
    if (!ROLES.has(role)) throw new UsageError(`vai trò không hợp lệ: "${role}"`);
  }
  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    if (subcommand === 'list') {
      const accounts = await listAccounts(database.db);
      if (values.json) process.stdout.write(`${JSON.stringify(accounts, null, 2)}\n`);
      else
        for (const a of accounts)
          process.stdout.write(
            `${a.email}  ${a.role}${a.agencyCode ? `:${a.agencyCode}` : ''}  ${a.name}${a.disabled ? '  (đã khoá)' : ''}\n`,
          );
      return 0;
    }
    const created = await invite(database.db, {
      email: values.email!,
      name: values.name!,
      role: role as Role,
      ...(values.agency ? { agency: values.agency } : {}),
      ...(values.registry ? { registry: values.registry } : {}),
      by: CLI_ACTOR,
    });
    const base = (values.url ?? `http://localhost:${config.port}`).replace(/\/$/, '');
    process.stdout.write(
      `Lời mời cho ${created.name} <${created.email}> (hết hạn ${created.expiresAt.slice(0, 10)}), chỉ hiện một lần:\n` +
        `  ${base}/#/loi-moi/${created.token}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
