import { createHmac } from 'node:crypto';

/**
 * Webhook signatures as the Standard Webhooks specification describes them: HMAC-SHA256 over
 * `${id}.${timestamp}.${body}`, keyed with the base64-decoded part of a `whsec_<base64>` secret,
 * sent as `v1,<base64 signature>` in `webhook-signature`. Pure: the caller gives the time.
 */

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

const PREFIX = WEBHOOK_SECRET_PREFIX;
export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(PREFIX)) return false;
  const key = secret.slice(PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(key) && Buffer.from(key, 'base64').length >= 24;
}

/** The `webhook-signature` value of one message. `timestamp` is in whole seconds since the epoch. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  if (!isWebhookSecret(secret)) throw new Error('a webhook secret is whsec_ followed by at least 24 bytes in base64');
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${signature}`;
}

/** The three headers of a signed message. */
export function webhookHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}
