import { sql } from 'drizzle-orm';
import type { ServiceDeps } from './deps.ts';

export interface PartCheck {
  status: 'ok' | 'unavailable';
  error?: string;
}

async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<PartCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'unavailable', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the database and Temporal answer, each within two seconds. */
export async function checkReadiness(deps: ServiceDeps): Promise<{ database: PartCheck; temporal: PartCheck }> {
  const [database, temporal] = await Promise.all([
    check(() => deps.db.execute(sql`select 1`)),
    check(() => deps.temporal.client.workflowService.getSystemInfo({})),
  ]);
  return { database, temporal };
}
