import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.ts';

/** What the application needs from the outside, given by an entry point (or a test). */
export interface ServiceDeps {
  db: Database;
  temporal: { client: Client; taskQueue: string };
}
