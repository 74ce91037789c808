import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/dondoc.js', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function dondoc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('dondoc itself', () => {
  it.each([['--help'], ['-h'], ['help'], []])('prints its usage on stdout with exit 0 for %j', async (...args) => {
    const { code, stdout, stderr } = await dondoc(...args);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^usage: dondoc <command>/);
    expect(stdout).toContain('registries');
  });

  it('says its version', async () => {
    const { code, stdout } = await dondoc('--version');
    expect(code).toBe(0);
    expect(stdout).toBe(`dondoc ${version}\n`);
  });

  it('refuses an unknown command with exit 2 and the usage on stderr', async () => {
    const { code, stdout, stderr } = await dondoc('improt');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown command "improt"');
  });
});
