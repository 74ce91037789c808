import { listRegistries } from '../../services/registries.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openCliDatabase } from '../../runtime/cli-database.ts';
import { parseOptions, runCommand, subcommandOf, UsageError } from '../errors.ts';
import { writeOut } from '../output.ts';

// `dondoc registries list`: the agency registries in the database (the 34 provinces, the central
// one, and any older one kept for plans issued before July 2025), also while `npm start` runs.

const usage = `cách dùng: dondoc registries list [--json]

  list                   mọi danh mục cơ quan: khóa, tên, loại (province: tỉnh, central: trung
                         ương) và số cơ quan (kể cả cơ quan đã hợp nhất)
  --json                 [{ "key", "name", "kind", "agencies" }]

  mã thoát: 0 xong, 1 thất bại, 2 sai cách dùng
`;

export function run(args: string[]): Promise<number> {
  return runCommand('registries', usage, () => registries(args));
}

async function registries(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({
    args,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    writeOut(usage);
    return 0;
  }
  const [given, ...extra] = positionals;
  subcommandOf(given, ['list']);
  if (extra.length > 0) throw new UsageError(`thừa tham số: ${extra.join(' ')}`);

  const database = await openCliDatabase(loadConfig());
  try {
    const items = (await listRegistries(database.db)).map(({ key, name, kind, agencies }) => ({
      key,
      name,
      kind,
      agencies,
    }));
    if (values.json) {
      writeOut(`${JSON.stringify(items, null, 2)}\n`);
    } else {
      const width = Math.max(...items.map((r) => r.key.length));
      for (const r of items)
        writeOut(`${r.key.padEnd(width)}  ${r.kind.padEnd(8)}  ${String(r.agencies).padStart(4)}  ${r.name}\n`);
      writeOut(`${items.length} danh mục cơ quan.\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
