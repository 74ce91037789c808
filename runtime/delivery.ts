import type { ActivityDeps } from '../activities/index.ts';
import type { Mailer } from '../activities/mailer.ts';
import type { Config } from './config.ts';
import { senderDomain } from './mail.ts';

/** The worker's delivery dependencies from the configuration and its mail transport. */
export function deliveryOf(config: Config, mailer: Mailer): NonNullable<ActivityDeps['delivery']> {
  const { delivery } = config;
  return {
    mailer,
    publicUrl: delivery.publicUrl,
    messageIdDomain: senderDomain(delivery.mailFrom),
    settings: {
      retryWindowMs: delivery.retryWindowMs,
      maxBackoffMs: delivery.maxBackoffMs,
      pollIntervalMs: delivery.pollIntervalMs,
    },
  };
}
