import { readFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { AppendixFormat } from '../../domain/appendix/types.ts';
import { isIsoDate } from '../../domain/calendar.ts';
import { provinceKey } from '../../domain/agencies/province-registry.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openCliDatabase } from '../../runtime/cli-database.ts';
import { importProgress } from '../../services/plan-import.ts';
import { importPlanFile } from '../../services/plan-intake.ts';
import { CLI_ACTOR } from '../actor.ts';
import { Failure, parseOptions, runCommand, UsageError } from '../errors.ts';
import { connectTemporal } from '../temporal.ts';
import { stderrIsTerminal, writeOut } from '../output.ts';

// `dondoc plan import FILE`: the import the API does, from a terminal: the same service, the same
// checks, and a progress bar while the workflows start and their first states arrive.

const usage = `cách dùng: dondoc plan import TỆP --province TÊN --code SỐ-HIỆU --title TIÊU-ĐỀ
                               --period-start YYYY-MM-DD --period-end YYYY-MM-DD [tùy chọn]

  Nhập kế hoạch từ phụ lục (hoặc cập nhật kế hoạch đã nhập cùng số hiệu), qua cùng dịch vụ với API.

  --province TÊN           tỉnh ("Phú Thọ", "phu-tho") hoặc "Trung ương": danh mục cơ quan của nó
  --code SỐ-HIỆU           số hiệu văn bản ban hành kế hoạch, ví dụ "2866/QĐ-UBND" (cùng số hiệu
                           là cập nhật kế hoạch đó)
  --title TIÊU-ĐỀ          tên kế hoạch
  --period-start, --period-end
                           kỳ kế hoạch
  --issued YYYY-MM-DD      ngày ban hành kế hoạch (mặc định: ngày ghi ở đầu văn bản, nếu có)
  --revise                 xác nhận điều chỉnh kế hoạch đã có cùng số hiệu (không có: báo các
                           thay đổi sẽ làm rồi dừng, mã thoát 2)
  --format text|csv|xlsx|docx
                           định dạng tệp (mặc định: nhận ra từ nội dung tệp)
  --strict                 cơ quan không có trong danh mục thì không nhập
  --accept-proposed        thêm các cơ quan chưa có vào danh mục, rồi nhập
  --policy TỆP             chính sách riêng của kế hoạch (JSON)
  --json                   in kết quả dạng JSON

  Cần cơ sở dữ liệu và Temporal: "npm start" đang chạy, hoặc DATABASE_URL và TEMPORAL_ADDRESS.
  mã thoát: 0 đã nhập, 1 chưa nhập (tệp có lỗi, dịch vụ không sẵn sàng), 2 sai cách dùng
`;

const options = {
  province: { type: 'string' },
  code: { type: 'string' },
  title: { type: 'string' },
  'period-start': { type: 'string' },
  'period-end': { type: 'string' },
  issued: { type: 'string' },
  revise: { type: 'boolean' },
  format: { type: 'string' },
  strict: { type: 'boolean' },
  'accept-proposed': { type: 'boolean' },
  policy: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FORMATS: readonly AppendixFormat[] = ['text', 'csv', 'xlsx', 'docx'];
/** As the API's upload limit. */
const MAX_BYTES = 10 * 1024 * 1024;
/** How long the bar waits for the workflows' first states after the import has committed. */
const PROJECTION_WAIT_MS = 120_000;

export function run(args: string[]): Promise<number> {
  return runCommand('plan import', usage, () => importCommand(args));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(`không đọc được ${what} "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({ args, options, strict: true, allowPositionals: true });
  if (values.help) {
    writeOut(usage);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('thiếu đường dẫn tệp phụ lục (TỆP)');
  if (extra.length > 0) throw new UsageError(`thừa tham số: ${extra.join(' ')}`);
  for (const name of ['province', 'code', 'title', 'period-start', 'period-end'] as const) {
    if (!values[name]?.trim()) throw new UsageError(`--${name}: bắt buộc`);
  }
  for (const name of ['period-start', 'period-end'] as const) {
    if (!isIsoDate(values[name]))
      throw new UsageError(`--${name}: cần ngày dạng YYYY-MM-DD, không phải "${values[name]}"`);
  }
  if (values.issued !== undefined && !isIsoDate(values.issued))
    throw new UsageError(`--issued: cần ngày dạng YYYY-MM-DD, không phải "${values.issued}"`);
  const format = values.format as AppendixFormat | undefined;
  if (format !== undefined && !FORMATS.includes(format))
    throw new UsageError(`--format: phải là text, csv, xlsx hoặc docx, không phải "${format}"`);
  const bytes = new Uint8Array(await readInput(file, 'tệp'));
  let policy: unknown;
  if (values.policy !== undefined) {
    try {
      policy = JSON.parse((await readInput(values.policy, 'tệp chính sách')).toString('utf8'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--policy: "${values.policy}" không phải JSON hợp lệ`);
    }
  }

  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    const temporal = await connectTemporal(config, database);
    if ('error' in temporal) throw new Failure(`chưa nhập: ${temporal.error}.`, 1);
    const deps = { db: database.db, temporal: { client: temporal.client, taskQueue: config.taskQueue } };
    const code = values.code!.trim();
    // The registry the import goes to, as plan intake derives it from the province.
    const planKey = { registry: provinceKey(values.province!.trim()), code };
    // Only a person at a terminal gets a bar; a script gets the result.
    const bar =
      stderrIsTerminal() && !values.json
        ? new SingleBar({ format: 'Khởi tạo nhiệm vụ [{bar}] {value}/{total}', hideCursor: true })
        : undefined;
    let importing = true;
    const watch = (async () => {
      bar?.start(0, 0);
      while (importing) {
        const { total, projected } = await importProgress(database.db, planKey);
        bar?.setTotal(total);
        bar?.update(projected);
        await sleep(250);
      }
    })();
    try {
      const result = await importPlanFile(
        deps,
        { bytes, fileName: file, ...(format ? { format } : {}) },
        {
          code,
          title: values.title!.trim(),
          province: values.province!.trim(),
          periodStart: values['period-start']!,
          periodEnd: values['period-end']!,
          ...(policy !== undefined ? { policy } : {}),
          ...(values.issued ? { issuedOn: values.issued } : {}),
          strict: values.strict ?? false,
          acceptProposedAgencies: values['accept-proposed'] ?? false,
        },
        { maxBytes: MAX_BYTES, by: CLI_ACTOR, revise: values.revise ?? false },
      );
      // The import has committed and the workflows are started: the bar's poller stops, and this
      // loop follows their first states to the end.
      importing = false;
      await watch;
      const until = Date.now() + PROJECTION_WAIT_MS;
      const imported = { registry: result.plan.registry, code: result.plan.code };
      let progress = await importProgress(database.db, imported);
      while (progress.projected < progress.total && Date.now() < until) {
        bar?.setTotal(progress.total);
        bar?.update(progress.projected);
        await sleep(250);
        progress = await importProgress(database.db, imported);
      }
      bar?.update(progress.projected);
      bar?.stop();
      if (values.json) {
        writeOut(`${JSON.stringify({ ...result, projected: progress.projected }, null, 2)}\n`);
      } else {
        const pending = result.assignments.pendingStart;
        writeOut(
          `${result.outcome === 'created' ? 'Đã nhập' : result.outcome === 'updated' ? 'Đã cập nhật' : 'Không thay đổi'} kế hoạch ${result.plan.code}: ` +
            `${result.assignments.total} nhiệm vụ theo cơ quan chủ trì, ${progress.projected} đã khởi tạo` +
            `${pending > 0 ? `, ${pending} đang chờ khởi tạo` : ''}, ${result.changes.length} thay đổi, ${result.warnings.length} cảnh báo.\n`,
        );
      }
      return 0;
    } finally {
      importing = false;
      await watch.catch(() => undefined);
      bar?.stop();
      await temporal.client.connection.close();
    }
  } finally {
    await database.close();
  }
}
