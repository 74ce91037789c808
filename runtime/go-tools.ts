import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { processEnvironment } from './config.ts';

/**
 * Programs Đôn đốc builds from Go modules once and keeps outside the repository, in
 * `$XDG_CACHE_HOME/dondoc/<name>` (`~/.cache/dondoc/<name>`): the Temporal CLI for `npm start`, and
 * for the tests an S3-compatible server.
 */
export function toolCacheDir(name: string, env: NodeJS.ProcessEnv = processEnvironment()): string {
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'dondoc', name);
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function onPath(
  name: string,
  env: NodeJS.ProcessEnv,
  extraDirs: string[] = [],
): Promise<string | undefined> {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The Go toolchain: on the PATH, or where its official archive installs it. */
export const findGo = (env: NodeJS.ProcessEnv) => onPath('go', env, ['/usr/local/go/bin']);

function run(command: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(onLine);
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

/**
 * `go install <module>@<version>` into `cacheDir`; the path of `binary` there when it was built,
 * else undefined (what go said went to `log`).
 */
export async function goInstall(options: {
  go: string;
  /** module path with its version: github.com/…/cmd/x@v1.2.3 */
  module: string;
  binary: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  log: (message: string) => void;
}): Promise<string | undefined> {
  await mkdir(options.cacheDir, { recursive: true });
  const code = await run(options.go, ['install', options.module], { ...options.env, GOBIN: options.cacheDir }, (line) =>
    options.log(`go: ${line}`),
  );
  const built = join(options.cacheDir, options.binary);
  if (code === 0 && (await isExecutable(built))) return built;
  options.log(`Building ${options.module} failed (go exited with ${code}).`);
  return undefined;
}
