import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { failureOfStatus, type DeliveryFailure } from '../domain/delivery-failures.ts';
import { addressRefusal, hostRefusal, parseIp, type CidrRange } from '../domain/webhook-target.ts';

/**
 * One webhook call, made so that an agency's URL cannot reach inside: the name is resolved here,
 * every address it resolves to is checked (domain/webhook-target.ts), and the connection goes to
 * a checked address only, never to what a second lookup might answer (DNS rebinding); TLS and the
 * Host header keep the name. Redirects are not followed. At most `maxAnswerBytes` of the answer
 * are read; then the connection is dropped, so a receiver that answers without end costs nothing.
 */

/** Resolves a host name to its addresses (dns.lookup with `all`, in the resolver's order). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

export interface WebhookCallOptions {
  /** Ranges of internal addresses the operator allowed (DONDOC_WEBHOOK_ALLOW). */
  allow: readonly CidrRange[];
  timeoutMs: number;
  /** How much of the answer is read before the connection is dropped. */
  maxAnswerBytes: number;
  /** Cancels the call (the activity was cancelled). */
  signal?: AbortSignal;
  resolve?: Resolver;
}

export interface WebhookAnswer {
  status: number;
  /** Bytes of the answer's body taken in. */
  bytesRead: number;
  /** The body was longer than `maxAnswerBytes`: the rest was never read. */
  truncated: boolean;
}

/**
 * A call that did not succeed: the category people are shown, and the detail for the worker's log
 * (an error code or a status, never the address).
 */
export class WebhookFailure extends Error {
  constructor(
    readonly category: DeliveryFailure,
    readonly detail: string,
  ) {
    super(`webhook call failed: ${category} (${detail})`);
  }
}

/** 64 KiB: far more than any acknowledgement, far less than memory. */
export const MAX_ANSWER_BYTES = 64 * 1024;

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH)/;

/** The category of an error from the resolver, the socket or TLS. */
function categoryOf(error: unknown, timedOut: boolean, cancelled: boolean): WebhookFailure {
  if (error instanceof WebhookFailure) return error;
  const code = String((error as { code?: unknown } | undefined)?.code ?? (error as Error | undefined)?.name ?? '');
  if (timedOut) return new WebhookFailure('timeout', code || 'timeout');
  if (cancelled) return new WebhookFailure('cancelled', code || 'cancelled');
  if (TLS_CODES.test(code)) return new WebhookFailure('tls', code);
  if (code.startsWith('HPE_')) return new WebhookFailure('protocol', code);
  if (code === 'ETIMEDOUT') return new WebhookFailure('timeout', code);
  return new WebhookFailure('unreachable', code || 'error');
}

/** The addresses the connection may use: every address of the name checked, or the call refused. */
async function checkedAddresses(url: URL, options: WebhookCallOptions): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refusal = hostRefusal(url.hostname, options.allow);
  if (refusal) throw new WebhookFailure('refused-target', refusal);
  const literal = parseIp(host);
  if (literal) return [{ address: host, family: host.includes(':') ? 6 : 4 }];
  let addresses: LookupAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch (error) {
    throw new WebhookFailure('unreachable', String((error as { code?: unknown }).code ?? 'lookup failed'));
  }
  if (addresses.length === 0) throw new WebhookFailure('unreachable', 'no address');
  for (const { address } of addresses) {
    const ip = parseIp(address);
    // An answer that is not an address at all is not connected to either.
    const why = ip ? addressRefusal(ip, options.allow) : 'reserved';
    if (why) throw new WebhookFailure('refused-target', why);
  }
  return addresses;
}

/** A `lookup` for the socket that answers with the checked addresses only. */
function pinned(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options.family === 'number' ? options.family : 0;
    const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    if (usable.length === 0) {
      const error = Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' });
      (callback as (error: NodeJS.ErrnoException) => void)(error);
      return;
    }
    if ((options as { all?: boolean }).all) (callback as (e: null, a: LookupAddress[]) => void)(null, usable);
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

function send(
  url: URL,
  addresses: LookupAddress[],
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  maxAnswerBytes: number,
): Promise<WebhookAnswer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const onAnswer = (response: IncomingMessage) => {
      let bytesRead = 0;
      response.on('data', (chunk: Buffer) => {
        bytesRead += chunk.length;
        if (bytesRead > maxAnswerBytes) {
          // Enough: the connection goes, and with it whatever the receiver still meant to send.
          settle(() => resolve({ status: response.statusCode ?? 0, bytesRead, truncated: true }));
          response.destroy();
          req.destroy();
        }
      });
      response.on('end', () =>
        settle(() => resolve({ status: response.statusCode ?? 0, bytesRead, truncated: false })),
      );
      response.on('error', (error) => settle(() => reject(error)));
      response.on('aborted', () =>
        settle(() => reject(Object.assign(new Error('answer cut'), { code: 'ECONNRESET' }))),
      );
    };
    const requestOptions = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      // A connection of its own, never reused: it was opened to the address checked for this call.
      agent: false as const,
      lookup: pinned(addresses),
      signal,
      maxHeaderSize: 16 * 1024,
    };
    const req: ClientRequest =
      url.protocol === 'https:'
        ? httpsRequest(url, requestOptions, onAnswer)
        : httpRequest(url, requestOptions, onAnswer);
    req.on('error', (error) => settle(() => reject(error)));
    req.end(body);
  });
}

/**
 * POSTs `body` to the webhook at `address`; resolves with the answer's status (whatever it is) or
 * throws a WebhookFailure. A 3xx is an answer like any other: the caller sees `redirect`.
 */
export async function callWebhook(
  address: string,
  body: string,
  headers: Record<string, string>,
  options: WebhookCallOptions,
): Promise<WebhookAnswer> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new WebhookFailure('bad-address', 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookFailure('bad-address', 'not http(s)');
  // Contacts made before credentials were refused may still carry them: they are not sent.
  if (url.username !== '' || url.password !== '') throw new WebhookFailure('bad-address', 'credentials in the URL');
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const addresses = await Promise.race([
      checkedAddresses(url, options),
      new Promise<never>((_resolve, reject) => {
        const abort = () => reject(signal.reason);
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
      }),
    ]);
    return await send(url, addresses, body, headers, signal, options.maxAnswerBytes);
  } catch (error) {
    throw categoryOf(error, timeout.aborted, options.signal?.aborted ?? false);
  }
}

/** The category of an answer that is not a success, or undefined for a 2xx. */
export function answerFailure(answer: WebhookAnswer): WebhookFailure | undefined {
  if (answer.status >= 200 && answer.status < 300) return undefined;
  return new WebhookFailure(failureOfStatus(answer.status), `HTTP ${answer.status}`);
}
