import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.ts';

/** What the API needs from the outside, given by the entry point (or a test). */
export interface ApiDeps {
  db: Database;
  temporal: { client: Client; taskQueue: string };
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: ApiDeps;
  }
}
