import type { Database } from '../db/client.ts';

const inFlight = new WeakMap<Database, Map<string, Promise<Buffer>>>();

/**
 * The JSON body of a read, shared by identical reads that arrive while it is being made: when a
 * whole province opens the same list after a deadline, the database answers and the body is
 * written once, not once per caller. Nothing is kept after the read ends, so no answer is older
 * than the read that was already under way when the request came. `key` must name everything the
 * answer depends on, the caller's visibility included.
 */
export function sharedJsonRead(db: Database, key: unknown[], read: () => Promise<unknown>): Promise<Buffer> {
  let pending = inFlight.get(db);
  if (!pending) inFlight.set(db, (pending = new Map()));
  const name = JSON.stringify(key);
  const running = pending.get(name);
  if (running) return running;
  // Encoded once too: every caller's socket takes the same bytes.
  const started = read()
    .then((value) => Buffer.from(JSON.stringify(value)))
    .finally(() => pending.delete(name));
  pending.set(name, started);
  return started;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
