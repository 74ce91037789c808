import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { contentKey, FileContentMissing, FileStoreUnavailable, type FileStore } from '../services/file-store.ts';
import type { S3StorageConfig } from './config.ts';

/** How long the start-up check waits for the bucket's answer, its retries included. */
const CHECK_TIMEOUT_MS = 20_000;

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** What went wrong, without anything the error may carry about the request (its signature, its headers). */
function reasonOf(error: unknown): string {
  const { name, code } = error as { name?: string; code?: string };
  const status = statusOf(error);
  return [status ? `HTTP ${status}` : undefined, code ?? name].filter(Boolean).join(' ') || 'unknown error';
}

/**
 * Deliverable files as objects `<prefix>/<sha256>` of a bucket of AWS S3 or of an S3-compatible
 * service. The checksums that recent AWS SDKs add to every request by default are asked for only
 * where the operation requires them: several S3-compatible services refuse them. Each upload
 * carries its Content-MD5 instead, which every such service checks, so a damaged upload is refused
 * rather than kept under a hash it does not have.
 */
export function createS3FileStore(config: S3StorageConfig): FileStore {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
  const Bucket = config.bucket;
  const keyOf = (sha256: string) => (config.prefix ? `${config.prefix}/${contentKey(sha256)}` : contentKey(sha256));
  const where = config.endpoint ?? `AWS S3 (${config.region})`;
  const description = `S3 bucket "${Bucket}"${config.prefix ? ` under "${config.prefix}/"` : ''} at ${where}`;

  /** What an operator should do about a failed check. */
  const explain = (error: unknown): string => {
    const status = statusOf(error);
    const reason = reasonOf(error);
    const name = (error as { name?: string }).name;
    const bucket = `the bucket "${Bucket}"`;
    switch (name) {
      case 'NoSuchBucket':
        return `${bucket} does not exist at ${where} (${reason}): create it, or correct FILE_STORAGE_URL.`;
      case 'InvalidAccessKeyId':
        return `${where} does not know the access key (${reason}): check S3_ACCESS_KEY_ID.`;
      case 'SignatureDoesNotMatch':
        return `${where} refused the signature (${reason}): check S3_SECRET_ACCESS_KEY, the secret of S3_ACCESS_KEY_ID.`;
      case 'AuthorizationHeaderMalformed':
      case 'PermanentRedirect':
        return `${where} serves ${bucket} elsewhere (${reason}): check S3_REGION ("${config.region}") and S3_ENDPOINT.`;
    }
    if (status === 404 && (name === 'NotFound' || !name))
      return `${bucket} does not exist at ${where} (${reason}): create it, or correct FILE_STORAGE_URL.`;
    if (status === 401 || status === 403)
      return (
        `${where} refused access to ${bucket} (${reason}): check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY ` +
        'and that the key may list, read and write objects of the bucket.'
      );
    if (status === 301 || status === 307 || status === 400)
      return (
        `${where} did not serve ${bucket} as asked (${reason}): check S3_REGION ("${config.region}"), ` +
        'S3_ENDPOINT and S3_FORCE_PATH_STYLE.'
      );
    if (status)
      return `${where} answered the check of ${bucket} with an error (${reason}): check FILE_STORAGE_URL and the S3_* settings.`;
    return `no answer from ${where} (${reason}): check S3_ENDPOINT, and that the service runs and can be reached.`;
  };

  const has = async (sha256: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(sha256) }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  };

  return {
    description,
    has,
    async put(sha256, bytes) {
      // Content-addressed: an object already there holds these very bytes. Two uploads of the same
      // new content at once may both write; they write the same thing.
      if (await has(sha256)) return;
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: keyOf(sha256),
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
          ContentType: 'application/octet-stream',
        }),
      );
    },
    async get(sha256) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(sha256) }));
        return object.Body as Readable;
      } catch (error) {
        if (statusOf(error) === 404) throw new FileContentMissing(sha256);
        throw error;
      }
    },
    async remove(sha256) {
      // S3 answers a delete of a missing key with success.
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(sha256) }));
    },
    async check() {
      try {
        // A listing rather than HeadBucket: its error answers have a body that names the fault.
        await client.send(
          new ListObjectsV2Command({ Bucket, MaxKeys: 1, ...(config.prefix ? { Prefix: `${config.prefix}/` } : {}) }),
          { abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) },
        );
      } catch (error) {
        // No `cause`: the SDK's error holds the request, which a log must not carry.
        throw new FileStoreUnavailable(`Deliverable files cannot be kept in S3: ${explain(error)}`);
      }
    },
    async close() {
      client.destroy();
    },
  };
}
