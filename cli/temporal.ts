import { Client, Connection } from '@temporalio/client';
import type { Config } from '../runtime/config.ts';
import type { CliDatabase } from '../runtime/cli-database.ts';

const TEMPORAL_CONNECT_TIMEOUT = '3s';

/**
 * The Temporal a command should talk to: TEMPORAL_ADDRESS, or the dev server of a running
 * `npm start` (whose database the command uses); an error saying why not otherwise.
 */
export async function connectTemporal(
  config: Config,
  database: CliDatabase,
): Promise<{ client: Client; address: string } | { address?: string; error: string }> {
  // A running `npm start` has its dev server on the configured port; an embedded database of our
  // own means it does not run, so only an explicit TEMPORAL_ADDRESS can help.
  const address =
    config.temporalAddress ?? (database.source === 'embedded' ? undefined : `127.0.0.1:${config.temporalPort}`);
  if (!address) return { error: 'Temporal không chạy ("npm start" không chạy và chưa đặt TEMPORAL_ADDRESS)' };
  try {
    const connection = await Connection.connect({ address, connectTimeout: TEMPORAL_CONNECT_TIMEOUT });
    return { client: new Client({ connection, namespace: config.temporalNamespace }), address };
  } catch (error) {
    return {
      address,
      error: `không kết nối được Temporal tại ${address} (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
