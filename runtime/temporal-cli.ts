import { join } from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { findGo, goInstall, isExecutable, onPath, toolCacheDir } from './go-tools.ts';
import { processEnvironment } from './config.ts';

/** The newest Temporal CLI that `go install` can build (later ones carry a `replace` directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export interface FoundTemporalCli {
  executable: EphemeralServerExecutable;
  /** Where it came from, for the start-up message. */
  source: string;
}

export class TemporalCliNotFound extends Error {}

export function temporalCliCacheDir(env: NodeJS.ProcessEnv = processEnvironment()): string {
  return toolCacheDir(`temporal-cli-${TEMPORAL_CLI_VERSION}`, env);
}

export function explainOptions(env: NodeJS.ProcessEnv = processEnvironment()): string {
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
  const env = options.env ?? processEnvironment();
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

  const go = options.build === false ? undefined : await findGo(env);
  if (go) {
    log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cacheDir}; this takes a few minutes once.`);
    const built = await goInstall({ go, module: MODULE, binary: 'temporal', cacheDir, env, log });
    if (built) return { executable: { type: 'existing-path', path: built }, source: `built with Go (${built})` };
  }

  if (options.allowDownload !== false) {
    return { executable: { type: 'cached-download' }, source: 'download by @temporalio/testing' };
  }
  throw new TemporalCliNotFound(explainOptions(env));
}
