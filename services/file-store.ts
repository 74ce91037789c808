import type { Readable } from 'node:stream';

/**
 * Where the bytes of deliverable files live, addressed by their SHA-256 (hex): the same content is
 * kept once, whoever sent it. The rows that say which assignment a file belongs to are in
 * PostgreSQL; a store knows nothing but contents. `runtime/file-stores.ts` builds one: a local
 * directory (the default) or an S3-compatible bucket.
 */
export interface FileStore {
  /** Where the files go, for logs and the start-up message; never a secret. */
  readonly description: string;
  /** Keeps `bytes` under `sha256` unless that content is there already. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The content under `sha256`, as a stream; rejects with `FileContentMissing` when there is none. */
  get(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** Deletes the content under `sha256`; nothing happens when there is none. */
  remove(sha256: string): Promise<void>;
  /**
   * Throws a `FileStoreUnavailable` saying what is wrong (no such bucket, credentials refused, no
   * answer) when files could not be stored now: checked once at start.
   */
  check(): Promise<void>;
  /** Lets go of connections. */
  close(): Promise<void>;
}

/** The store has no content under a hash a row names: the files were lost or the store is another one. */
export class FileContentMissing extends Error {
  constructor(readonly sha256: string) {
    super(`no content ${sha256} in the file store`);
  }
}

export class FileStoreUnavailable extends Error {}

/** A content address is 64 lowercase hex digits: checked before it becomes a path or an object key. */
export function contentKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${JSON.stringify(sha256.slice(0, 80))}`);
  return sha256;
}
