import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawn } from 'node:child_process';
import type { EphemeralServerExecutable } from '@temporalio/testing';

/** The newest Temporal CLI that `go install` can build (later ones carry a `replace` directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export interface FoundTemporalCli {
  executable: EphemeralServerExecutable;
  /** Where it came from, for the start-up message. */
  source: string;
}

export class TemporalCliNotFound extends Error {}

export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'dondoc', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

export function explainOptions(env: NodeJS.ProcessEnv = process.env): string {
  return [
    'Đôn đốc needs a Temporal server. Any one of these works:',
    '  - TEMPORAL_ADDRESS=host:port of a running Temporal server (then nothing is started here);',
    '  - TEMPORAL_CLI=/path/to/temporal, an installed Temporal CLI;',
    '  - `temporal` on the PATH (https://docs.temporal.io/cli);',
    `  - Go on the PATH: Đôn đốc builds the CLI once into ${temporalCliCacheDir(env)}`,
    `    (go install ${MODULE}, a few minutes the first time);`,
    '  - internet access, for @temporalio/testing to download the CLI.',
  ].join('\n');
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, env: NodeJS.ProcessEnv, extraDirs: string[] = []): Promise<string | undefined> {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

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
 * Finds the Temporal CLI: $TEMPORAL_CLI, then `temporal` on the PATH, then our cached build,
 * then builds it with Go when Go is there, and last falls back to the SDK's download.
 */
export async function findTemporalCli(
  options: {
    env?: NodeJS.ProcessEnv;
    log?: (message: string) => void;
    /** Build with Go when nothing is found (default true). */
    build?: boolean;
    /** Accept the SDK's download as a last resort (default true). */
    allowDownload?: boolean;
  } = {},
): Promise<FoundTemporalCli> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});

  if (env.TEMPORAL_CLI) {
    if (await isExecutable(env.TEMPORAL_CLI)) {
      return {
        executable: { type: 'existing-path', path: env.TEMPORAL_CLI },
        source: `TEMPORAL_CLI=${env.TEMPORAL_CLI}`,
      };
    }
    throw new TemporalCliNotFound(
      `TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file.\n${explainOptions(env)}`,
    );
  }

  const fromPath = await onPath('temporal', env);
  if (fromPath) return { executable: { type: 'existing-path', path: fromPath }, source: `PATH (${fromPath})` };

  const cacheDir = temporalCliCacheDir(env);
  const cached = join(cacheDir, 'temporal');
  if (await isExecutable(cached))
    return { executable: { type: 'existing-path', path: cached }, source: `cache (${cached})` };

  const go = options.build === false ? undefined : await onPath('go', env, ['/usr/local/go/bin']);
  if (go) {
    log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cacheDir}; this takes a few minutes once.`);
    await mkdir(cacheDir, { recursive: true });
    const code = await run(go, ['install', MODULE], { ...env, GOBIN: cacheDir }, (line) => log(`go: ${line}`));
    if (code === 0 && (await isExecutable(cached))) {
      return { executable: { type: 'existing-path', path: cached }, source: `built with Go (${cached})` };
    }
    log(`Building the Temporal CLI failed (go exited with ${code}).`);
  }

  if (options.allowDownload !== false) {
    return { executable: { type: 'cached-download' }, source: 'download by @temporalio/testing' };
  }
  throw new TemporalCliNotFound(explainOptions(env));
}
