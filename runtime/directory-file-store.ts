import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { contentKey, FileContentMissing, FileStoreUnavailable, type FileStore } from '../services/file-store.ts';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Deliverable files as `<dir>/<sha256>` on this machine's disk: the default store. */
export function createDirectoryFileStore(dir: string): FileStore {
  const pathOf = (sha256: string) => join(dir, contentKey(sha256));
  const has = async (sha256: string) => {
    try {
      await stat(pathOf(sha256));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  };
  return {
    description: `directory ${dir}`,
    has,
    async put(sha256, bytes) {
      if (await has(sha256)) return;
      await mkdir(dir, { recursive: true });
      // Written aside, then renamed: a reader never sees half a file.
      const partial = join(dir, `.${randomUUID()}.part`);
      await writeFile(partial, bytes, { mode: 0o600 });
      await rename(partial, pathOf(sha256));
    },
    async get(sha256): Promise<Readable> {
      try {
        // Opened here, so that a missing file is an answer of this call and not an error mid-stream.
        const handle = await open(pathOf(sha256), 'r');
        return handle.createReadStream();
      } catch (error) {
        if (isMissing(error)) throw new FileContentMissing(sha256);
        throw error;
      }
    },
    async remove(sha256) {
      await unlink(pathOf(sha256)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    },
    async check() {
      // Without creating anything: the directory is made by the first upload, as before.
      try {
        let existing = dir;
        while (!(await stat(existing).catch(() => undefined)) && dirname(existing) !== existing)
          existing = dirname(existing);
        if (!(await stat(existing)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
        await access(existing, constants.W_OK);
      } catch (error) {
        throw new FileStoreUnavailable(
          `Deliverable files cannot be kept in ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
    },
    async close() {},
  };
}
