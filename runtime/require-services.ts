import type { Config } from './config.ts';

/** The worker and API processes alone do not start services: they need both addresses. */
export function requireServiceAddresses(
  config: Config,
  what: string,
): { temporalAddress: string; databaseUrl: string } {
  const missing = [!config.temporalAddress && 'TEMPORAL_ADDRESS', !config.databaseUrl && 'DATABASE_URL'].filter(
    Boolean,
  );
  if (missing.length > 0) {
    throw new Error(`${what} needs ${missing.join(' and ')}; \`npm start\` runs everything locally without them.`);
  }
  return { temporalAddress: config.temporalAddress!, databaseUrl: config.databaseUrl! };
}
