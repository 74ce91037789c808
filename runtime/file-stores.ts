import type { FileStore } from '../services/file-store.ts';
import type { FileStorageConfig } from './config.ts';
import { createDirectoryFileStore } from './directory-file-store.ts';

/**
 * The store FILE_STORAGE_URL asks for: an S3-compatible bucket, or else `<dataDir>/files`. The AWS
 * SDK is loaded only for a bucket: a deployment on local disk does not pay for it at start.
 */
export async function openFileStore(config: FileStorageConfig): Promise<FileStore> {
  if (config.kind === 'directory') return createDirectoryFileStore(config.dir);
  const { createS3FileStore } = await import('./s3-file-store.ts');
  return createS3FileStore(config);
}
