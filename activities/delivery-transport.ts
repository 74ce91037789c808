import { webhookHeaders } from '../domain/webhook-signature.ts';
import type { deliveries } from '../db/schema.ts';
import type { DeliveryFailure } from '../domain/delivery-failures.ts';
import { answerFailure, callWebhook, MAX_ANSWER_BYTES, WebhookFailure } from './webhook-call.ts';
import type { DeliveryDeps } from './delivery.ts';
import type { Envelope } from './delivery-rendering.ts';

// Delivery: the transport of one message, by e-mail or webhook, and what a failure is called.
const WEBHOOK_TIMEOUT_MS = 15_000;
const ERROR_LENGTH = 500;

/**
 * Error text that may be logged: shortened, and with e-mail addresses, URLs (which can carry
 * tokens) and IP addresses taken out.
 */
export function safeError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = `${error instanceof Error ? error.message : String(error)}${cause}`;
  return message
    .replace(/https?:\/\/\S+/gi, '<url>')
    .replace(/[^\s<>"'@,;:]+@[^\s<>"'@,;:]+/g, '<address>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\[?(?:[0-9a-f]{0,4}:){2,}[0-9a-f.]*\]?(?::\d+)?/gi, '<ip>')
    .slice(0, ERROR_LENGTH);
}

/**
 * What an attempt's failure is stored as: its category (domain/delivery-failures.ts), and a detail
 * for the worker's log only: the error's code or the answer's status, never an address.
 */
export function failureOf(error: unknown, channel: string): { category: DeliveryFailure; detail: string } {
  if (error instanceof WebhookFailure) return { category: error.category, detail: error.detail };
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const detail = [code, responseCode].filter((v) => v !== undefined).join(' ') || 'error';
  if (channel === 'email') {
    // SMTP: 5xx is a refusal of this message (the address, the content); anything else is the server being away.
    if ((typeof responseCode === 'number' && responseCode >= 500) || code === 'EENVELOPE' || code === 'EMESSAGE')
      return { category: 'mail-rejected', detail };
    if (typeof responseCode === 'number' || typeof code === 'string') return { category: 'mail-unavailable', detail };
  }
  return { category: 'error', detail: safeError(error) };
}

export async function send(
  deps: DeliveryDeps,
  delivery: typeof deliveries.$inferSelect,
  secret: string | null,
  envelope: Envelope,
  signal?: AbortSignal,
): Promise<void> {
  if (delivery.channel === 'email') {
    await deps.mailer.send({
      to: delivery.address,
      ...envelope.email,
      messageId: `<delivery-${delivery.id}@${deps.messageIdDomain}>`,
    });
    return;
  }
  if (!secret) throw new WebhookFailure('no-secret', 'no secret');
  // The same id on every attempt lets the receiver drop repeats; the timestamp is the attempt's.
  const id = `msg_dondoc_${delivery.id}`;
  const body = JSON.stringify({ ...envelope.payload, deliveryId: delivery.id });
  const answer = await callWebhook(
    delivery.address,
    body,
    { 'content-type': 'application/json', ...webhookHeaders(secret, id, Math.floor(Date.now() / 1000), body) },
    {
      allow: deps.webhookAllow ?? [],
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      maxAnswerBytes: MAX_ANSWER_BYTES,
      ...(signal ? { signal } : {}),
      ...(deps.resolve ? { resolve: deps.resolve } : {}),
    },
  );
  const failure = answerFailure(answer);
  if (failure) throw failure;
}
