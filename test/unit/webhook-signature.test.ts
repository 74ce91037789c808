import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isWebhookSecret, signWebhook, webhookHeaders } from '../../domain/webhook-signature.ts';

// The Standard Webhooks algorithm written out here with node:crypto alone: the signed content is
// "<id>.<timestamp>.<body>", the key is the base64 after "whsec_", the header "v1,<base64 HMAC-SHA256>".
function reference(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.split('_')[1]!, 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
}

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
  const body = JSON.stringify({ type: 'notification', text: 'Quá hạn, cảnh báo mức 1: nhiệm vụ số 5' });

  it('signs id.timestamp.body with HMAC-SHA256 under the decoded secret', () => {
    const signature = signWebhook(secret, 'msg_dondoc_42', 1_767_225_600, body);
    expect(signature).toBe(reference(secret, 'msg_dondoc_42', 1_767_225_600, body));
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('changes with the id, the timestamp and every byte of the body', () => {
    const base = signWebhook(secret, 'msg_1', 1000, body);
    expect(signWebhook(secret, 'msg_2', 1000, body)).not.toBe(base);
    expect(signWebhook(secret, 'msg_1', 1001, body)).not.toBe(base);
    expect(signWebhook(secret, 'msg_1', 1000, body.replace('5', '6'))).not.toBe(base);
  });

  it('sends the three headers, the id unchanged', () => {
    const headers = webhookHeaders(secret, 'msg_dondoc_7', 1_767_225_600, body);
    expect(headers).toEqual({
      'webhook-id': 'msg_dondoc_7',
      'webhook-timestamp': '1767225600',
      'webhook-signature': reference(secret, 'msg_dondoc_7', 1_767_225_600, body),
    });
  });

  it('accepts whsec_ secrets of 24 bytes or more and refuses others', () => {
    expect(isWebhookSecret(`whsec_${randomBytes(32).toString('base64')}`)).toBe(true);
    expect(isWebhookSecret(`whsec_${randomBytes(16).toString('base64')}`)).toBe(false);
    expect(isWebhookSecret(randomBytes(32).toString('base64'))).toBe(false);
    expect(() => signWebhook('secret', 'msg', 1, '')).toThrow();
  });
});
