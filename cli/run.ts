import { readFileSync } from 'node:fs';
import { writeErr, writeOut } from './output.ts';

// The command line `dondoc` (npx dondoc …, npm run cli -- …; cli/main.ts is its entry). Each
// command lives in its own module, loaded only when asked for, so `dondoc schedule` does not load Temporal or the database.
// What the command line says to people is Vietnamese (README, "Command line"); exit codes are
// 0 done, 1 failed, 2 wrong usage.

interface Command {
  summary: string;
  load: () => Promise<{ run(args: string[]): Promise<number> }>;
  /**
   * For a command that reads no options of its own: its help, and the options it takes. Main
   * answers --help for it and refuses anything else; the other commands parse their arguments.
   */
  plain?: { usage: string; options: readonly string[] };
}

const commands: Record<string, Command> = {
  start: {
    summary: 'chạy tất cả: máy chủ Temporal (bản dev), cơ sở dữ liệu, worker và API',
    load: () => import('../processes/start.ts'),
    plain: {
      usage: `cách dùng: dondoc start

  Chạy tất cả trên máy này: máy chủ Temporal (bản dev, dữ liệu trong .data/), cơ sở dữ liệu
  nhúng (hoặc DATABASE_URL), worker và API (http://localhost:3000). Ctrl-C để dừng.
  Cấu hình bằng biến môi trường (README, "Configuration").

  mã thoát: 0 đã dừng bình thường, 1 một phần không chạy được
`,
      options: [],
    },
  },
  worker: {
    summary: 'chỉ chạy worker Temporal',
    load: () => import('../processes/worker.ts'),
    plain: {
      usage: `cách dùng: dondoc worker

  Chạy một worker Temporal với TEMPORAL_ADDRESS và DATABASE_URL.

  mã thoát: 0 đã dừng bình thường, 1 không chạy được
`,
      options: [],
    },
  },
  api: {
    summary: 'chỉ chạy API HTTP',
    load: () => import('../processes/api.ts'),
    plain: {
      usage: `cách dùng: dondoc api

  Chạy một tiến trình API HTTP với TEMPORAL_ADDRESS và DATABASE_URL (cổng: PORT).

  mã thoát: 0 đã dừng bình thường, 1 không chạy được
`,
      options: [],
    },
  },
  migrate: {
    summary: 'áp dụng các bản chuyển đổi (migration) cơ sở dữ liệu cho DATABASE_URL',
    load: () => import('./commands/migrate.ts'),
    plain: {
      usage: `cách dùng: dondoc migrate

  Áp dụng các bản chuyển đổi (migration) cho cơ sở dữ liệu DATABASE_URL và nạp các danh mục
  cơ quan lần đầu. Chạy với quyền chủ sở hữu cơ sở dữ liệu.

  mã thoát: 0 xong, 1 thất bại, 2 chưa đặt DATABASE_URL
`,
      options: [],
    },
  },
  plan: {
    summary: 'plan preview|import TỆP …: xem trước hoặc nhập phụ lục của kế hoạch',
    load: () => import('./commands/plan.ts'),
  },
  users: {
    summary:
      'users invite --email E --name N [--role R] | reset --email E | invitations | revoke-invitation ID | list: tài khoản của người dùng',
    load: () => import('./commands/users.ts'),
  },
  contacts: {
    summary: 'contacts list|add|remove: nơi nhận thông báo qua e-mail hoặc webhook',
    load: () => import('./commands/contacts.ts'),
  },
  schedule: {
    summary: 'schedule --due YYYY-MM-DD …: các mốc nhắc hạn, báo cáo, cảnh báo của một nhiệm vụ',
    load: () => import('./commands/schedule.ts'),
  },
  registries: {
    summary: 'registries list: các danh mục cơ quan (tỉnh, trung ương)',
    load: () => import('./commands/registries.ts'),
  },
  agencies: {
    summary: 'agencies list|show|set|merge|export|import …: xem và sửa một danh mục cơ quan',
    load: () => import('./commands/agencies.ts'),
  },
  'temporal-cli': {
    summary: 'tìm (hoặc dựng bằng Go) Temporal CLI và in đường dẫn của nó',
    load: () => import('./commands/temporal-cli.ts'),
    plain: {
      usage: `cách dùng: dondoc temporal-cli [--allow-download]

  Tìm Temporal CLI (TEMPORAL_CLI, PATH, bộ nhớ đệm, hoặc dựng bằng Go) và in đường dẫn.

  --allow-download         cho phép tải về khi máy có Internet

  mã thoát: 0 tìm thấy, 1 không tìm thấy, 2 sai cách dùng
`,
      options: ['--allow-download'],
    },
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'cách dùng: dondoc <lệnh> [tùy chọn]',
    '           dondoc <lệnh> --help     các tùy chọn của một lệnh',
    '           dondoc --version         phiên bản',
    '',
    'lệnh:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'mã thoát: 0 thành công, 1 thất bại, 2 sai cách dùng',
  ].join('\n');
}

/** Runs one command line (the words after `dondoc`) and returns its exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (name === '--version' || name === '-V') {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    writeOut(`dondoc ${version}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // Asked for (or nothing asked): the usage is the answer, on stdout.
    writeOut(`${usage()}\n`);
    return 0;
  }
  if (!command) {
    writeErr(`dondoc: không có lệnh "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (command.plain && (args.includes('--help') || args.includes('-h'))) {
    writeOut(command.plain.usage);
    return 0;
  }
  if (command.plain && args.some((arg) => !command.plain!.options.includes(arg))) {
    const extra = args.find((arg) => !command.plain!.options.includes(arg))!;
    const what = extra.startsWith('-') ? `không có tùy chọn ${extra}` : `thừa tham số: ${extra}`;
    writeErr(`dondoc ${name}: ${what}\n\n${command.plain.usage}`);
    return 2;
  }
  const module = await command.load();
  return module.run(args);
}
