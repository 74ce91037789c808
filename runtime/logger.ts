import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * JSON lines for machines; pino-pretty only when a person is watching a terminal.
 * Authorization headers and anything named token are redacted wherever they appear.
 */
export function createLogger(options: { name: string; level?: string; pretty?: boolean }): Logger {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const base: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token', 'password', '*.password'],
      censor: '[redacted]',
    },
  };
  if (!pretty) return pino(base);
  return pino({
    ...base,
    transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
  });
}
