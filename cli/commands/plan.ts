import { readFile } from 'node:fs/promises';
import { RegistryError, registryFromJson } from '../../domain/agencies/registry.ts';
import type { AgencyRegistry } from '../../domain/agencies/types.ts';
import { provinceKey } from '../../domain/agencies/province-registry.ts';
import { shippedRegistries } from '../../db/seed.ts';
import { previewIsolated } from '../../services/isolated-preview.ts';
import type { AppendixFormat, Issue, PlanPreview, PreviewAgency, PreviewTask } from '../../domain/appendix/types.ts';
import { isIsoDate } from '../../domain/calendar.ts';
import type { Deadline } from '../../domain/types.ts';
import { parseOptions, runCommand, subcommandOf, UsageError } from '../errors.ts';
import { writeOut } from '../output.ts';

// `dondoc plan preview FILE`: what importing an appendix would create, without creating it, so
// a coordinator can fix the file (or the agency registry) before the real import.

const usage = `cách dùng: dondoc plan preview TỆP [tùy chọn]
           dondoc plan import TỆP --province TÊN … (dondoc plan import --help)

  Xem trước những nhiệm vụ, cơ quan và thời hạn mà phụ lục sẽ tạo ra, không ghi gì.

  --format text|csv|xlsx|docx
                           định dạng tệp (mặc định: nhận ra từ nội dung tệp)
  --strict                 cơ quan không có trong danh mục là lỗi, không phải cảnh báo
  --period-start YYYY-MM-DD
  --period-end YYYY-MM-DD  kỳ kế hoạch: thời hạn nằm ngoài kỳ sẽ được cảnh báo
  --issued YYYY-MM-DD      ngày ban hành kế hoạch: thời hạn "90 ngày kể từ ngày ban hành"
                           tính từ ngày này (mặc định: ngày ghi ở đầu văn bản, nếu có)
  --province TÊN           đối chiếu với danh mục cơ quan của tỉnh ("Phú Thọ", "phu-tho",
                           "Thành phố Hà Nội"; "Trung ương" cho danh mục trung ương)
  --registry TỆP           tệp JSON danh mục cơ quan (mặc định: data/agencies/vinh-phuc.json)
  --json                   in { tasks, warnings, errors, proposedAgencies, questions, issued } dạng JSON

  mã thoát: 0 không có lỗi (có thể có cảnh báo), 1 tệp có lỗi, 2 sai cách dùng
`;

const options = {
  format: { type: 'string' },
  strict: { type: 'boolean' },
  'period-start': { type: 'string' },
  'period-end': { type: 'string' },
  issued: { type: 'string' },
  registry: { type: 'string' },
  province: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEFAULT_REGISTRY = new URL('../../data/agencies/vinh-phuc.json', import.meta.url);
const FORMATS: readonly AppendixFormat[] = ['text', 'csv', 'xlsx', 'docx'];

export async function run(args: string[]): Promise<number> {
  // `plan import` has options of its own: its module parses them.
  if (args[0] === 'import') return (await import('./plan-import.ts')).run(args.slice(1));
  return runCommand('plan', usage, () => plan(args));
}

async function plan(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({ args, options, strict: true, allowPositionals: true });
  if (values.help) {
    writeOut(usage);
    return 0;
  }
  const [given, file, ...extra] = positionals;
  subcommandOf(given, ['preview'], ['preview', 'import']);
  if (!file) throw new UsageError('thiếu đường dẫn tệp phụ lục (TỆP)');
  if (extra.length > 0) throw new UsageError(`thừa tham số: ${extra.join(' ')}`);
  const format = values.format;
  if (format !== undefined && !FORMATS.includes(format as AppendixFormat)) {
    throw new UsageError(`--format: phải là text, csv, xlsx hoặc docx, không phải "${format}"`);
  }
  const periodStart = values['period-start'];
  const periodEnd = values['period-end'];
  for (const [name, value] of [
    ['period-start', periodStart],
    ['period-end', periodEnd],
  ] as const) {
    if (value !== undefined && !isIsoDate(value))
      throw new UsageError(`--${name}: cần ngày dạng YYYY-MM-DD, không phải "${value}"`);
  }
  if (periodStart && periodEnd && periodStart > periodEnd)
    throw new UsageError('--period-start phải trước --period-end');
  const issued = values.issued;
  if (issued !== undefined && !isIsoDate(issued))
    throw new UsageError(`--issued: cần ngày dạng YYYY-MM-DD, không phải "${issued}"`);

  if (values.province !== undefined && values.registry !== undefined)
    throw new UsageError('--province và --registry: chỉ dùng một trong hai');
  const registry =
    values.province !== undefined ? await shippedRegistry(values.province) : await loadRegistry(values.registry);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UsageError(
      `không đọc được tệp "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }

  // Read in a thread of its own: a hostile file ends this command with an error, never a crash.
  const preview = await previewIsolated(
    { bytes, fileName: file, ...(format ? { format: format as AppendixFormat } : {}) },
    {
      registry,
      strict: values.strict ?? false,
      ...(periodStart ? { periodStart } : {}),
      ...(periodEnd ? { periodEnd } : {}),
      ...(issued ? { issuedOn: issued } : {}),
    },
  );
  const { tasks, warnings, errors, proposedAgencies = [], questions = [] } = preview;
  writeOut(
    values.json
      ? `${JSON.stringify({ tasks, warnings, errors, proposedAgencies, questions, issued: preview.issued ?? null }, null, 2)}\n`
      : summary(file, preview),
  );
  return preview.errors.length > 0 ? 1 : 0;
}

/** The shipped registry of a province (its name or key) or of the central government. */
async function shippedRegistry(province: string): Promise<AgencyRegistry> {
  const key = provinceKey(province);
  const found = (await shippedRegistries()).find((r) => r.id === key || r.id === province);
  if (!found) throw new UsageError(`--province: không có danh mục cơ quan "${province}" (xem: dondoc registries list)`);
  return found;
}

async function loadRegistry(path: string | undefined): Promise<AgencyRegistry> {
  let text: string;
  try {
    text = await readFile(path ?? DEFAULT_REGISTRY, 'utf8');
  } catch (error) {
    throw new UsageError(
      `không đọc được danh mục cơ quan "${path ?? DEFAULT_REGISTRY.pathname}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return registryFromJson(text);
  } catch (error) {
    if (error instanceof RegistryError) throw new UsageError(error.message);
    throw error;
  }
}

function vnDate(day: string | undefined): string {
  if (!day) return '…';
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

function deadlineText(deadline: Deadline): string {
  const raw = deadline.raw || '(trống)';
  switch (deadline.kind) {
    case 'date':
      return `${raw} → ${vnDate(deadline.due)}`;
    case 'range':
      return `${raw} → ${vnDate(deadline.start)}–${vnDate(deadline.due)}`;
    case 'recurring':
      return `${raw} → hằng năm`;
    case 'continuous':
      return `${raw} → thường xuyên`;
    default:
      return `${raw} → chưa xác định`;
  }
}

/** Fanned-out groups are shown once, with how many agencies they became. */
function agenciesText(agencies: PreviewAgency[]): string {
  const parts: string[] = [];
  const counted = new Map<string, number>();
  for (const agency of agencies) {
    if (agency.group && agency.code !== null) {
      if (!counted.has(agency.group)) parts.push(agency.group);
      counted.set(agency.group, (counted.get(agency.group) ?? 0) + 1);
    } else {
      parts.push(agency.code === null && !agency.group ? `${agency.name} (?)` : agency.name);
    }
  }
  return parts.map((part) => (counted.has(part) ? `${part} (${counted.get(part)})` : part)).join('; ') || '—';
}

function issueText(issue: Issue): string {
  const where = [
    issue.row !== undefined ? `dòng ${issue.row}` : undefined,
    issue.column ? `cột "${issue.column}"` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return `  ${where ? `${where}: ` : ''}${issue.message}\n`;
}

function taskLine(task: PreviewTask): string {
  const full = task.parent ? `${task.parent} – ${task.title}` : task.title;
  const title = full.length > 70 ? `${full.slice(0, 69)}…` : full;
  const note = task.deadlineNote ? ` (${task.deadlineNote})` : '';
  const done =
    task.status.state === 'done'
      ? `         đã hoàn thành${task.status.completedOn ? ` ngày ${vnDate(task.status.completedOn)}` : ''}\n`
      : '';
  return (
    `  ${task.key.padEnd(6)} dòng ${String(task.row).padEnd(5)} ${title}\n` +
    `         chủ trì: ${agenciesText(task.leads)}\n` +
    `         thời hạn: ${deadlineText(task.deadline)}${note}\n` +
    done
  );
}

function summary(file: string, preview: PlanPreview): string {
  let out = `${file}: ${preview.tasks.length} nhiệm vụ, ${preview.warnings.length} cảnh báo, ${preview.errors.length} lỗi\n`;
  let area: string | null | undefined;
  for (const task of preview.tasks) {
    if (task.area !== area) {
      area = task.area;
      out += `\n${area ?? '(không rõ lĩnh vực)'}\n`;
    }
    out += taskLine(task);
  }
  if (preview.issued) out += `\nNgày ban hành (đọc từ văn bản): ${vnDate(preview.issued.date)}\n`;
  const questions = preview.questions ?? [];
  if (questions.length > 0)
    out += `\nCâu hỏi cho điều phối viên:\n${questions.map((q) => issueText({ ...(q.row !== undefined ? { row: q.row } : {}), message: q.text })).join('')}`;
  if (preview.warnings.length > 0) out += `\nCảnh báo:\n${preview.warnings.map(issueText).join('')}`;
  if (preview.errors.length > 0) out += `\nLỗi (phải sửa trước khi nhập):\n${preview.errors.map(issueText).join('')}`;
  return out;
}
