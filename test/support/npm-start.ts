import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findTemporalCli } from '../../runtime/temporal-cli.ts';
import { freePort } from '../../runtime/free-port.ts';

const bin = fileURLToPath(new URL('../../bin/dondoc.js', import.meta.url));

export interface Started {
  child: ChildProcess;
  /** Everything it has printed so far, stdout and stderr together. */
  output: () => string;
  exited: Promise<number | null>;
}

/** The environment of `npm start` as a newcomer runs it: no TEMPORAL_ADDRESS, no DATABASE_URL, free ports. */
export async function newcomerEnv(dataDir: string): Promise<{ env: NodeJS.ProcessEnv; api: string }> {
  const cli = await findTemporalCli({ allowDownload: false });
  const port = await freePort();
  return {
    api: `http://127.0.0.1:${port}`,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_CLI: cli.executable.type === 'existing-path' ? cli.executable.path : undefined,
      DONDOC_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    },
  };
}

/** Starts `dondoc start` with `env`, collecting what it prints. */
export function startDondoc(env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Waits until `api` answers /readyz, or fails with what the process printed. */
export async function waitReady(api: string, started: Started): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`npm start exited early:\n${started.output()}`);
    try {
      if ((await fetch(`${api}/readyz`, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`npm start did not become ready:\n${started.output()}`);
}
