import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';
import pg from 'pg';
import { findTemporalCli } from '../../runtime/temporal-cli.ts';
import { adminUrl } from './environment.ts';

const run = promisify(execFile);

/** What the figures were measured on; printed with every result. */
export async function describeMachine(): Promise<string[]> {
  const cores = cpus();
  const lines = [
    `CPU: ${cores.length} × ${cores[0]?.model.trim() ?? 'unknown'}`,
    `memory: ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `Node.js ${process.version}`,
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ];
  try {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    await client.end();
    lines.push(`PostgreSQL ${rows[0]?.server_version ?? '?'} (${new URL(adminUrl()).host})`);
  } catch {
    lines.push('PostgreSQL: not reachable');
  }
  try {
    const cli = await findTemporalCli({ build: false, allowDownload: false });
    if (cli.executable.type === 'existing-path') {
      const { stdout } = await run(cli.executable.path, ['--version']);
      lines.push(`${stdout.trim()} (dev server, in memory)`);
    }
  } catch {
    lines.push('Temporal CLI: not found yet');
  }
  return lines;
}
