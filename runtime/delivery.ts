import type { ActivityDeps } from '../activities/index.ts';
import type { Mailer } from '../activities/mailer.ts';
import type { Config } from './config.ts';
import type { InvitationMail } from '../services/invitation-mail.ts';
import { senderDomain } from './mail.ts';

/** The worker's delivery dependencies from the configuration and its mail transport. */
export function deliveryOf(config: Config, mailer: Mailer): NonNullable<ActivityDeps['delivery']> {
  const { delivery } = config;
  return {
    mailer,
    publicUrl: delivery.publicUrl,
    messageIdDomain: senderDomain(delivery.mailFrom),
    webhookAllow: delivery.webhookAllow,
    settings: {
      retryWindowMs: delivery.retryWindowMs,
      maxBackoffMs: delivery.maxBackoffMs,
      pollIntervalMs: delivery.pollIntervalMs,
    },
  };
}

/**
 * How the API e-mails invitations: the worker's transport and addresses. Without an SMTP server the
 * link is only shown to the coordinator (an .eml file on the server would reach nobody).
 */
export function invitationMailOf(config: Config, mailer: Mailer): InvitationMail | undefined {
  if (!config.delivery.smtpUrl) return undefined;
  return { mailer, publicUrl: config.delivery.publicUrl, messageIdDomain: senderDomain(config.delivery.mailFrom) };
}
