import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dondoc as runDondoc } from '../support/cli.ts';

const bin = fileURLToPath(new URL('../../bin/dondoc.js', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** In this process (test/support/cli.ts): the commands' answers, without a Node start for each. */
async function dondoc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = await runDondoc(args);
  return { code: status, stdout, stderr };
}

// Words of English that would give away a message or a help text left untranslated.
const english =
  /\b(usage|options?|required|expected|unknown|cannot|exit codes?|the|default|who|people|accounts?|receives?|notifications?)\b/i;

describe('dondoc itself', { timeout: 30_000 }, () => {
  it.each([['--help'], ['-h'], ['help'], []])('prints its usage on stdout with exit 0 for %j', async (...args) => {
    const { code, stdout, stderr } = await dondoc(...args);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^cách dùng: dondoc <lệnh>/);
    expect(stdout).toContain('registries');
    expect(stdout).toContain('mã thoát: 0 thành công, 1 thất bại, 2 sai cách dùng');
    expect(stdout).not.toMatch(english);
  });

  it('says its version, from its own process as people run it (bin/dondoc.js)', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, '--version'], (error, out, err) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err });
      });
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`dondoc ${version}\n`);
    // The same answer in this process: what the other tests here run is what the binary runs.
    expect((await dondoc('--version')).stdout).toBe(stdout);
  });

  it('refuses an unknown command with exit 2 and the usage on stderr', async () => {
    const { code, stdout, stderr } = await dondoc('improt');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('không có lệnh "improt"');
    expect(stderr).toContain('cách dùng: dondoc <lệnh>');
  });
});

describe('the help of each command', { timeout: 60_000 }, () => {
  // Every command and subcommand with its own options; start, worker and api must answer --help
  // without starting anything.
  const commands = [
    ['start'],
    ['worker'],
    ['api'],
    ['migrate'],
    ['temporal-cli'],
    ['plan'],
    ['plan', 'import'],
    ['schedule'],
    ['registries'],
    ['agencies'],
    ['users'],
    ['contacts'],
  ];

  it.each(
    commands
      .flatMap((command) => [
        [...command, '--help'],
        [...command, '-h'],
      ])
      .map((args) => [args.join(' '), args]),
  )('is printed on stdout with exit 0, in Vietnamese, for "dondoc %s"', async (_, args) => {
    const { code, stdout, stderr } = await dondoc(...args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cách dùng: dondoc /);
    expect(stdout).toContain('mã thoát:');
    expect(stdout).not.toMatch(english);
  });
});

describe('usage errors', { timeout: 60_000 }, () => {
  it.each([
    [['start', '--bogus'], 'dondoc start: không có tùy chọn --bogus'],
    [['migrate', 'now'], 'dondoc migrate: thừa tham số: now'],
    [['schedule', '--due'], 'dondoc schedule: --due: thiếu giá trị'],
    [['schedule', '--due', '2026-02-15', '--json=yes'], 'dondoc schedule: --json: không nhận giá trị'],
    [['schedule', '--due', '2026-02-15', 'extra'], 'dondoc schedule: thừa tham số: extra'],
    [['registries', 'show'], 'dondoc registries: lệnh con không hợp lệ: "show"'],
    [['plan', 'preview'], 'dondoc plan: thiếu đường dẫn tệp phụ lục (TỆP)'],
    [['plan', 'import', 'phu-luc.xlsx'], 'dondoc plan import: --province: bắt buộc'],
    [['agencies', 'list', '--into', 'SNV'], 'dondoc agencies: --into không dùng được với "list"'],
  ])('exit 2 with the message and the usage on stderr, in Vietnamese, for %j', async (args, message) => {
    const { code, stdout, stderr } = await dondoc(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(message);
    expect(stderr).toContain('cách dùng: dondoc ');
    expect(stderr).not.toMatch(english);
  });
});
