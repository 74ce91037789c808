import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Real receivers for delivery tests: an SMTP server (smtp-server, by the nodemailer project) in the
 * test process, and an HTTP webhook receiver that checks Standard Webhooks signatures. Both record
 * every message they accept, repeats included, so tests can count duplicates.
 */

export interface ReceivedMail {
  at: number;
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  html: string;
}

function unfold(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=), as nodemailer writes them. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  const text = value.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodePart(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** Just enough MIME for nodemailer's text + HTML messages. */
export function parseMail(raw: string): Omit<ReceivedMail, 'at' | 'to'> {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = unfold(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((part) => {
          const s = part.replace(/^\r?\n/, '');
          const at = s.search(/\r?\n\r?\n/);
          return { headers: unfold(s.slice(0, at)), body: s.slice(at).replace(/^\r?\n\r?\n/, '') };
        })
    : [{ headers, body }];
  for (const part of parts) {
    const type = part.headers.get('content-type') ?? 'text/plain';
    if (type.startsWith('text/html')) html = decodePart(part.headers, part.body);
    else if (type.startsWith('text/plain')) text = decodePart(part.headers, part.body);
  }
  return {
    messageId: headers.get('message-id') ?? '',
    subject: decodeWords(headers.get('subject') ?? ''),
    text: text.trimEnd(),
    html,
  };
}

export interface SmtpReceiver {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Stops listening (connections refused) until `start` again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(port = 0): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  let bound = port;
  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      // Plain SMTP on loopback: no STARTTLS offered, so the client does not try a self-signed upgrade.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // Stopping drops open connections at once, as a server going down does.
      ...({ closeTimeout: 100 } as object),
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            at: Date.now(),
            to: session.envelope.rcptTo.map((r) => r.address),
            ...parseMail(Buffer.concat(chunks).toString('utf8')),
          });
          callback();
        });
      },
    });
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server!.listen(bound, '127.0.0.1', () => resolve());
      server!.server.once('error', reject);
    });
    bound = (server.server.address() as AddressInfo).port;
  };
  const stop = async () => {
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await start();
  return {
    get port() {
      return bound;
    },
    get url() {
      return `smtp://127.0.0.1:${bound}`;
    },
    received,
    start,
    stop,
    close: stop,
  };
}

export interface ReceivedWebhook {
  at: number;
  id: string;
  timestamp: number;
  /** Whether the signature verified with the secret, by the specification's algorithm. */
  verified: boolean;
  body: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  /** Accepted (2xx) messages, repeats included. */
  received: ReceivedWebhook[];
  /** Requests answered with an error while failing. */
  refused: number;
  /** Answer every request with this status (500) until set back to undefined. */
  failWith: number | undefined;
  /** Secrets to verify with, by path ("/syt"). */
  secrets: Map<string, string>;
  close(): Promise<void>;
}

function verify(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** `host`: the loopback address it listens on (127.0.0.1; Linux answers on all of 127/8). */
export async function startWebhookReceiver(options: { host?: string } = {}): Promise<WebhookReceiver> {
  const host = options.host ?? '127.0.0.1';
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    refused: 0,
    failWith: undefined,
    secrets: new Map(),
    close: async () => {},
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (receiver.failWith !== undefined) {
        receiver.refused += 1;
        response.writeHead(receiver.failWith).end('unavailable');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(request.headers['webhook-id'] ?? '');
      const timestamp = String(request.headers['webhook-timestamp'] ?? '');
      const secret = receiver.secrets.get(request.url ?? '') ?? '';
      receiver.received.push({
        at: Date.now(),
        id,
        timestamp: Number(timestamp),
        verified: verify(secret, id, timestamp, body, String(request.headers['webhook-signature'] ?? '')),
        body: JSON.parse(body) as Record<string, unknown>,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  receiver.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** How many copies beyond the first arrived, over all messages. */
export function duplicates(ids: string[]): number {
  return ids.length - new Set(ids).size;
}
