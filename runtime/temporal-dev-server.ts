import { TestWorkflowEnvironment } from '@temporalio/testing';
import { explainOptions, findTemporalCli, type FoundTemporalCli } from './temporal-cli.ts';

export interface DevServer {
  address: string;
  uiUrl?: string;
  source: string;
  stop(): Promise<void>;
}

/**
 * Starts the Temporal CLI's dev server. With `dbFilename` it persists to that SQLite file; without,
 * it keeps everything in memory (tests). Port 0 picks a free port.
 */
export async function startTemporalDevServer(options: {
  dbFilename?: string;
  port?: number;
  uiPort?: number;
  ip?: string;
  namespace?: string;
  cli?: FoundTemporalCli;
  log?: (message: string) => void;
}): Promise<DevServer> {
  const cli = options.cli ?? (await findTemporalCli({ log: options.log }));
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli.executable,
        ip: options.ip ?? '127.0.0.1',
        port: options.port || undefined,
        dbFilename: options.dbFilename,
        namespace: options.namespace ?? 'default',
        ui: options.uiPort !== undefined,
        uiPort: options.uiPort,
        log: { format: 'json', level: 'error' },
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not start the Temporal dev server from ${cli.source}: ${reason}\n${explainOptions()}`, {
      cause: error,
    });
  }
  return {
    address: env.address,
    uiUrl: options.uiPort ? `http://${options.ip ?? '127.0.0.1'}:${options.uiPort}` : undefined,
    source: cli.source,
    stop: () => env.teardown(),
  };
}
