import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../runtime/free-port.ts';
import { findGo, goInstall, isExecutable, toolCacheDir } from '../../runtime/go-tools.ts';

/**
 * A real S3-compatible server for the tests of the S3 file store: Versity's gateway (versitygw,
 * Apache-2.0) over a directory, which checks every request's SigV4 signature like AWS S3 does.
 * Built with Go once, like the Temporal CLI, and kept outside the repository.
 */
export const VERSITYGW_VERSION = 'v1.8.0';
const MODULE = `github.com/versity/versitygw/cmd/versitygw@${VERSITYGW_VERSION}`;

export const s3ServerCacheDir = (env: NodeJS.ProcessEnv = process.env) =>
  toolCacheDir(`versitygw-${VERSITYGW_VERSION}`, env);

/** The gateway: $DONDOC_TEST_S3_SERVER, else the cached build, else built with Go now (a few minutes, once). */
export async function findS3Server(
  options: { env?: NodeJS.ProcessEnv; log?: (message: string) => void } = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const given = env.DONDOC_TEST_S3_SERVER;
  if (given) {
    if (await isExecutable(given)) return given;
    throw new Error(`DONDOC_TEST_S3_SERVER=${given} is not an executable file`);
  }
  const cacheDir = s3ServerCacheDir(env);
  const cached = join(cacheDir, 'versitygw');
  if (await isExecutable(cached)) return cached;
  const go = await findGo(env);
  if (!go)
    throw new Error(
      `The S3 file-store tests need versitygw: Go (on the PATH or in /usr/local/go/bin) to build ${MODULE} ` +
        `into ${cacheDir}, or DONDOC_TEST_S3_SERVER=/path/to/versitygw.`,
    );
  log(`Building versitygw ${VERSITYGW_VERSION} with Go into ${cacheDir}; this takes a few minutes once.`);
  const built = await goInstall({ go, module: MODULE, binary: 'versitygw', cacheDir, env, log });
  if (!built) throw new Error(`Building ${MODULE} failed; what go said is above.`);
  return built;
}

export interface RunningS3Server {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The directory behind it: each bucket a folder, each object a file. */
  root: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the gateway on a free port over a new directory, with a root key of its own; waits until it answers. */
export async function startS3Server(binary: string): Promise<RunningS3Server> {
  const root = await mkdtemp(join(tmpdir(), 'dondoc-s3-'));
  const port = await freePort();
  const accessKeyId = `dondoc${randomBytes(6).toString('hex')}`;
  const secretAccessKey = randomBytes(24).toString('base64url');
  const child: ChildProcess = spawn(binary, ['--port', `127.0.0.1:${port}`, '--quiet', 'posix', root], {
    // Keys by the environment, not the command line, which every process on the machine may read.
    env: { PATH: process.env.PATH, ROOT_ACCESS_KEY_ID: accessKeyId, ROOT_SECRET_ACCESS_KEY: secretAccessKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`versitygw exited at start (${child.exitCode}):\n${text}`);
    }
    try {
      // Any answer, even "access denied" to an unsigned request, means it listens.
      await fetch(endpoint, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`versitygw did not answer at ${endpoint} within 30 s:\n${text}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { endpoint, accessKeyId, secretAccessKey, root, output: () => text, stop };
}
