import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Mailer, OutgoingMail } from '../activities/mailer.ts';
import { DEFAULT_SMTP_CONNECTIONS, type Config } from './config.ts';

export interface MailOptions {
  /** smtp:// or smtps:// URL; absent: each message becomes an .eml file under `mailDir`. */
  smtpUrl?: string;
  from: string;
  mailDir: string;
  /** Connections kept open to the SMTP server (nodemailer's pool). */
  maxConnections?: number;
}

/** The domain of the sender's address, for Message-IDs. */
export function senderDomain(from: string): string {
  return /@([^\s@>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}

/**
 * The worker's mail transport: a pool of SMTP connections (TLS as the URL says: smtps:// is TLS from
 * the start, smtp:// upgrades with STARTTLS when the server offers it; `?requireTLS=true` insists),
 * or, with no SMTP server configured, .eml files, so that nothing is silently dropped.
 */
export function createMailer(options: MailOptions): Mailer {
  if (options.smtpUrl) {
    const host = (() => {
      const u = new URL(options.smtpUrl);
      return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? 465 : 587)}`;
    })();
    const transport = nodemailer.createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: options.maxConnections ?? DEFAULT_SMTP_CONNECTIONS,
      maxMessages: Infinity,
    });
    return {
      description: `SMTP server ${host}`,
      async send(mail: OutgoingMail) {
        await transport.sendMail({ from: options.from, ...mail });
      },
      async close() {
        transport.close();
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    description: `.eml files in ${options.mailDir}`,
    async send(mail: OutgoingMail) {
      const info = await transport.sendMail({ from: options.from, ...mail });
      await mkdir(options.mailDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^\w.-]/g, '')}.eml`;
      await writeFile(join(options.mailDir, name), info.message as Buffer);
    },
    async close() {},
  };
}

/** The mail transport of a process (API, worker, `npm start`), as its configuration says. */
export function processMailer(config: Pick<Config, 'delivery' | 'dataDir'>): Mailer {
  return createMailer({
    smtpUrl: config.delivery.smtpUrl,
    from: config.delivery.mailFrom,
    maxConnections: config.delivery.smtpConnections,
    mailDir: join(config.dataDir, 'mail'),
  });
}
