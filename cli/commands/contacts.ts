import type { DeliveryChannel } from '../../domain/delivery-preferences.ts';
import type { Role as NotificationRole } from '../../domain/notifications.ts';
import type { Principal } from '../../domain/permissions.ts';
import { addContact, listContacts, removeContact, type ContactView } from '../../services/contacts.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openCliDatabase } from '../../runtime/cli-database.ts';
import { CLI_ACTOR } from '../actor.ts';
import { ServiceError } from '../../services/errors.ts';
import { UsageError, commandLine, failureOf, runCommand } from '../errors.ts';
import { writeOut } from '../output.ts';

// `dondoc contacts list|add|remove`: who receives notifications by e-mail or webhook, from a
// terminal, through the same service (and audit trail) as the API.

const usage = `cách dùng: dondoc contacts list [--registry KHÓA] [--agency MÃ] [--json]
           dondoc contacts add --registry KHÓA (--agency MÃ | --role VAI_TRÒ) --email ĐỊA_CHỈ [--name TÊN]
           dondoc contacts add --registry KHÓA (--agency MÃ | --role VAI_TRÒ) --webhook URL [--secret whsec_…] [--name TÊN]
           dondoc contacts remove MÃ

  list                   nơi nhận thông báo (mọi danh mục, hoặc một danh mục; của một cơ quan)
  add                    một địa chỉ e-mail hoặc một webhook cho một cơ quan của danh mục, hoặc
                         cho một vai trò: coordinator (điều phối), coordinator-director (lãnh
                         đạo cơ quan điều phối) hoặc leadership (lãnh đạo tỉnh). Khóa bí mật
                         của webhook được tạo nếu không đưa vào, và chỉ in lần này
  remove MÃ              nơi nhận này không nhận gì nữa
  --json                 kết quả dạng JSON cho chương trình khác đọc

  mã thoát: 0 xong, 1 thất bại, 2 sai cách dùng
`;

/** The operator at the terminal acts as a deployment-wide coordinator. */
const operator: Principal = { role: 'coordinator', name: CLI_ACTOR.name, tokenId: 'cli' };

export function run(args: string[]): Promise<number> {
  return runCommand('contacts', usage, () => contacts(args));
}

function line(c: ContactView): string {
  const owner = c.agencyCode ?? `(${c.role})`;
  return `${c.id}  ${c.registry}  ${owner}  ${c.channel}  ${c.address}${c.name ? `  ${c.name}` : ''}`;
}

async function contacts(args: string[]): Promise<number> {
  const parsed = commandLine(
    args,
    {
      registry: { type: 'string' },
      agency: { type: 'string' },
      role: { type: 'string' },
      email: { type: 'string' },
      webhook: { type: 'string' },
      secret: { type: 'string' },
      name: { type: 'string' },
    },
    ['list', 'add', 'remove'],
  );
  if (!parsed) {
    writeOut(usage);
    return 0;
  }
  const { values, subcommand, rest } = parsed;
  if (subcommand !== 'remove' && rest.length > 0) throw new UsageError(`thừa tham số: ${rest.join(' ')}`);
  if (subcommand === 'remove' && rest.length !== 1) throw new UsageError('cần đúng một mã người nhận (ID)');
  let channel: DeliveryChannel | undefined;
  if (subcommand === 'add') {
    if (Boolean(values.email) === Boolean(values.webhook))
      throw new UsageError('cần --email hoặc --webhook (một trong hai)');
    if (Boolean(values.agency) === Boolean(values.role))
      throw new UsageError('cần --agency hoặc --role (một trong hai)');
    if (!values.registry) throw new UsageError('thiếu --registry');
    channel = values.email ? 'email' : 'webhook';
  }

  const config = loadConfig();
  const database = await openCliDatabase(config);
  const by = { principal: operator, actor: CLI_ACTOR };
  const print = (value: unknown, text: string) =>
    writeOut(values.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  try {
    if (subcommand === 'list') {
      const items = await listContacts(database.db, operator, { registry: values.registry, agency: values.agency });
      print(items, [...items.map(line), `${items.length} người nhận.`].join('\n'));
    } else if (subcommand === 'add') {
      const created = await addContact(
        database.db,
        by,
        {
          registry: values.registry,
          agency: values.agency,
          role: values.role as NotificationRole | undefined,
          channel: channel!,
          address: (values.email ?? values.webhook)!,
          name: values.name,
          secret: values.secret,
        },
        { webhookAllow: config.delivery.webhookAllow },
      );
      const secretLine = created.secret ? `\nKhóa bí mật webhook (chỉ hiện lần này): ${created.secret}` : '';
      print(created, `Đã thêm người nhận ${line(created)}${secretLine}`);
    } else {
      const removed = await removeContact(database.db, by, rest[0]!);
      print(removed, `Đã xóa người nhận ${line(removed)}`);
    }
    return 0;
  } catch (error) {
    // A field of the service is an option here.
    const options: Record<string, string> = {
      '/address': values.email ? '--email' : '--webhook',
      '/agency': '--agency',
      '/role': '--role',
      '/registry': '--registry',
      '/secret': '--secret',
    };
    if (error instanceof ServiceError) throw failureOf(error, (field) => options[field] ?? field);
    throw error;
  } finally {
    await database.close();
  }
}
