import { readFile, writeFile } from 'node:fs/promises';
import { CLI_ACTOR } from '../actor.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { ServiceError } from '../../services/errors.ts';
import { Failure, failureOf, parseOptions, runCommand, subcommandOf, UsageError } from '../errors.ts';
import { connectTemporal } from '../temporal.ts';
import { exportAgencies, importAgencies } from '../../services/registry-table.ts';
import {
  countOpenAssignments,
  defaultMergeReason,
  findAgencyByCode,
  mergeAgency,
  reassignToSuccessor,
  requireRegistry,
  saveAgency,
  searchAgencies,
  type AgencyView,
} from '../../services/registries.ts';
import { AGENCY_KINDS, type AgencyKind } from '../../domain/agencies/types.ts';
import { loadConfig, type Config } from '../../runtime/config.ts';
import { openCliDatabase, type CliDatabase } from '../../runtime/cli-database.ts';
import { writeErr, writeOut } from '../output.ts';

// `dondoc agencies …`: reads and edits an agency registry in the database, also while `npm start`
// runs (it then uses that process's embedded database), through the same services as the API.

const usage = `cách dùng: dondoc agencies <lệnh-con> [tùy chọn]

  list [--q CHỮ] [--kind LOẠI] [--include-merged] [--json]
                         các cơ quan của danh mục, theo mã; --q không phân biệt hoa thường, dấu
  show MÃ [--json]       một cơ quan
  set MÃ --name TÊN --kind LOẠI [--alias TÊN-KHÁC]... [--json]
                         thêm hoặc thay một cơ quan (không có --alias thì giữ các tên khác cũ)
  merge MÃ --into MÃ-KẾ-THỪA [--reason LÝ-DO] [--no-reassign] [--json]
                         đánh dấu MÃ hợp nhất vào MÃ-KẾ-THỪA và chuyển việc đang mở sang đó
                         (cần Temporal: TEMPORAL_ADDRESS, hoặc "npm start" đang chạy)
  export [--format csv|xlsx] [--out TỆP]
                         bảng các cơ quan của danh mục (mặc định: CSV ra màn hình)
  import TỆP             thêm hoặc thay cơ quan từ một bảng (CSV hoặc XLSX): các xã của một
                         tỉnh (Mã, Tên, Cấp) hoặc một bảng đã xuất và sửa; tất cả hoặc không gì

  --registry KHÓA        danh mục cơ quan (mặc định: vinh-phuc)

  LOẠI: ${AGENCY_KINDS.join(', ')}
  mã thoát: 0 xong, 1 thất bại hoặc còn việc chưa chuyển, 2 sai cách dùng
`;

const options = {
  registry: { type: 'string' },
  q: { type: 'string' },
  kind: { type: 'string' },
  'include-merged': { type: 'boolean' },
  name: { type: 'string' },
  alias: { type: 'string', multiple: true },
  into: { type: 'string' },
  reason: { type: 'string' },
  'no-reassign': { type: 'boolean' },
  format: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof options;

const allowed: Record<string, readonly OptionName[]> = {
  list: ['q', 'kind', 'include-merged'],
  show: [],
  set: ['name', 'kind', 'alias'],
  export: ['format', 'out'],
  import: [],
  merge: ['into', 'reason', 'no-reassign'],
};
const common: readonly OptionName[] = ['registry', 'json', 'help'];

const DEFAULT_REGISTRY = 'vinh-phuc';

export function run(args: string[]): Promise<number> {
  return runCommand('agencies', usage, () => agencies(args));
}

type Values = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  return parseOptions({ args, options, strict: true, allowPositionals: true });
}

async function agencies(args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    writeOut(usage);
    return 0;
  }
  const [given, code, ...extra] = positionals;
  const subcommand = subcommandOf(given, Object.keys(allowed), ['list', 'show', 'set', 'merge', 'export', 'import']);
  const permitted = allowed[subcommand]!;
  for (const name of Object.keys(values) as OptionName[]) {
    if (!permitted.includes(name) && !common.includes(name))
      throw new UsageError(`--${name} không dùng được với "${subcommand}"`);
  }
  if (subcommand === 'list' || subcommand === 'export') {
    if (code !== undefined) throw new UsageError(`thừa tham số: ${positionals.slice(1).join(' ')}`);
  } else {
    if (!code)
      throw new UsageError(subcommand === 'import' ? '"import" cần tệp (TỆP)' : `"${subcommand}" cần mã cơ quan (MÃ)`);
    if (extra.length > 0) throw new UsageError(`thừa tham số: ${extra.join(' ')}`);
  }
  const kind = parseKind(values.kind);
  if (subcommand === 'set') {
    if (!values.name?.trim()) throw new UsageError('--name: cần tên cơ quan');
    if (!kind) throw new UsageError('--kind: cần loại cơ quan');
  }
  if (subcommand === 'merge' && !values.into?.trim()) throw new UsageError('--into: cần mã cơ quan kế thừa');
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'xlsx')
    throw new UsageError(`--format: csv hoặc xlsx, không phải "${values.format}"`);
  const bytes = subcommand === 'import' ? await readTable(code!) : undefined;

  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    const registryKey = values.registry ?? DEFAULT_REGISTRY;
    switch (subcommand) {
      case 'list':
        return await list(database, registryKey, values, kind);
      case 'show':
        return await show(database, registryKey, code!, values);
      case 'set':
        return await set(database, registryKey, code!, values, kind!);
      case 'export': {
        const table = await exportAgencies(database.db, registryKey, values.format === 'xlsx' ? 'xlsx' : 'csv');
        if (values.out) await writeFile(values.out, table);
        else writeOut(table);
        return 0;
      }
      case 'import': {
        const counts = await importAgencies(database.db, registryKey, bytes!, CLI_ACTOR);
        print(
          values,
          counts,
          `Đã thêm ${counts.added} và cập nhật ${counts.updated} cơ quan trong danh mục "${registryKey}".\n`,
        );
        return 0;
      }
      default:
        return await merge(database, config, registryKey, code!, values);
    }
  } catch (error) {
    if (error instanceof ServiceError) throw failureOf(error, (field) => optionOf(field, values));
    throw error;
  } finally {
    await database.close();
  }
}

async function readTable(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new UsageError(`không đọc được tệp "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function parseKind(kind: string | undefined): AgencyKind | undefined {
  if (kind === undefined) return undefined;
  if (!AGENCY_KINDS.includes(kind as AgencyKind))
    throw new UsageError(`--kind: phải là một trong ${AGENCY_KINDS.join(', ')}, không phải "${kind}"`);
  return kind as AgencyKind;
}

/** The services' field names, as the options that carried them. */
function optionOf(field: string, values: Values): string {
  if (field === 'params:/code') return 'MÃ';
  // An imported table's problems name the file, its row and column, or the agency's code in it.
  if (field === 'file') return 'TỆP';
  const cell = /^row (\d+)(?:, column (\w+))?$/.exec(field);
  if (cell) return `TỆP, dòng ${cell[1]}${cell[2] ? `, cột ${cell[2]}` : ''}`;
  if (field.startsWith('agency ')) return `TỆP, cơ quan ${field.slice('agency '.length)}`;
  const alias = /^\/aliases\/(\d+)$/.exec(field);
  if (alias) return `--alias "${values.alias?.[Number(alias[1])] ?? ''}"`;
  const name = field.replace(/^\//, '');
  return name ? `--${name}` : '';
}

function agencyLines(agency: AgencyView): string {
  let out = `Mã:        ${agency.code}\nTên:       ${agency.name}\nLoại:      ${agency.kind}\n`;
  if (agency.aliases?.length) out += `Tên khác:  ${agency.aliases.join('; ')}\n`;
  if (agency.mergedInto) {
    out += `Hợp nhất vào: ${agency.mergedInto}`;
    if (agency.successor && agency.successor.code !== agency.mergedInto)
      out += ` (nay là ${agency.successor.code} — ${agency.successor.name})`;
    out += '\n';
  }
  return out;
}

function print(values: Values, json: unknown, text: string): void {
  writeOut(values.json ? `${JSON.stringify(json, null, 2)}\n` : text);
}

async function list(database: CliDatabase, key: string, values: Values, kind: AgencyKind | undefined): Promise<number> {
  const registry = await requireRegistry(database.db, key);
  const { items } = searchAgencies(registry, {
    q: values.q,
    kind,
    includeMerged: values['include-merged'] ?? false,
    limit: Number.MAX_SAFE_INTEGER,
  });
  const width = Math.max(4, ...items.map((a) => a.code.length));
  const kindWidth = Math.max(...AGENCY_KINDS.map((k) => k.length));
  const lines = items.map((a) => {
    const merged = a.successor ? `  → ${a.successor.code}` : '';
    return `${a.code.padEnd(width)}  ${a.kind.padEnd(kindWidth)}  ${a.name}${merged}\n`;
  });
  print(
    values,
    items,
    `${lines.join('')}${items.length} cơ quan trong danh mục "${key}"${values.q ? ` khớp "${values.q}"` : ''}.\n`,
  );
  return 0;
}

async function show(database: CliDatabase, key: string, code: string, values: Values): Promise<number> {
  const agency = findAgencyByCode(await requireRegistry(database.db, key), code);
  if (!agency) throw new Failure(`Không có cơ quan mã "${code}" trong danh mục "${key}".`, 1);
  print(values, agency, agencyLines(agency));
  return 0;
}

async function set(
  database: CliDatabase,
  key: string,
  code: string,
  values: Values,
  kind: AgencyKind,
): Promise<number> {
  // Without --alias the agency keeps its aliases: retyping them all to change a name invites loss.
  const input = { name: values.name!, kind, ...(values.alias ? { aliases: values.alias } : {}) };
  const { agency, created } = await saveAgency(database.db, key, code, input, CLI_ACTOR, { keepAliases: true });
  print(
    values,
    agency,
    `${created ? 'Đã thêm' : 'Đã cập nhật'} cơ quan ${code} trong danh mục "${key}".\n${agencyLines(agency)}`,
  );
  return 0;
}

async function merge(
  database: CliDatabase,
  config: Config,
  key: string,
  code: string,
  values: Values,
): Promise<number> {
  const into = values.into!.trim();
  const { agency, successor } = await mergeAgency(database.db, key, code, into, CLI_ACTOR);
  const marked = `Đã đánh dấu ${agency.code} (${agency.name}) hợp nhất vào ${successor.code} (${successor.name}); việc mới giao cho ${successor.code}.\n`;
  const result = { agency, successor, reassigned: [] as string[], refused: [] as { id: string; reason: string }[] };
  const rerun = `dondoc agencies merge ${code} --into ${into}${key === DEFAULT_REGISTRY ? '' : ` --registry ${key}`}`;

  if (values['no-reassign']) {
    print(values, result, `${marked}Chưa chuyển nhiệm vụ đang mở (--no-reassign). Để chuyển sau, chạy lại: ${rerun}\n`);
    return 0;
  }
  const open = await countOpenAssignments(database.db, key, code);
  if (open === 0) {
    print(values, result, `${marked}${agency.code} không còn nhiệm vụ đang mở nào cần chuyển.\n`);
    return 0;
  }

  const temporal = await connectTemporal(config, database);
  if ('error' in temporal) {
    print(values, { ...result, notMoved: open }, marked);
    writeErr(
      `dondoc agencies: chưa chuyển ${open} nhiệm vụ đang mở của ${agency.code} sang ${successor.code}: ${temporal.error}.\n` +
        `Để chuyển sau: chạy "npm start" (hoặc đặt TEMPORAL_ADDRESS), rồi chạy lại: ${rerun}\n` +
        'Chạy lại chỉ chuyển những nhiệm vụ còn ở lại, không thay đổi gì khác.\n',
    );
    return 1;
  }
  try {
    const deps: ServiceDeps = { db: database.db, temporal: { client: temporal.client, taskQueue: config.taskQueue } };
    const moved = await reassignToSuccessor(deps, {
      registry: key,
      from: code,
      to: successor.code,
      reason: values.reason?.trim() || defaultMergeReason(agency, successor),
      actor: CLI_ACTOR,
    });
    Object.assign(result, moved);
  } finally {
    await temporal.client.connection.close();
  }
  let text = marked;
  if (result.reassigned.length > 0)
    text += `Đã chuyển ${result.reassigned.length} nhiệm vụ sang ${successor.code}:\n${result.reassigned.map((id) => `  ${id}\n`).join('')}`;
  if (result.refused.length > 0) {
    text +=
      `Không chuyển được ${result.refused.length} nhiệm vụ (xử lý xong rồi chạy lại: ${rerun}):\n` +
      result.refused.map((r) => `  ${r.id}: ${r.reason}\n`).join('');
  }
  print(values, result, text);
  return result.refused.length > 0 ? 1 : 0;
}
