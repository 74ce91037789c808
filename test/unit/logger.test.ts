import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../runtime/logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test', level: 'info', pretty: false, destination }) };
}

describe('logs keep secrets and personal data out', () => {
  it('redacts secret query parameters in URLs', () => {
    expect(redactUrl('/v1/assignments?access_token=dd_abc&status=open')).toBe(
      '/v1/assignments?access_token=[redacted]&status=open',
    );
    expect(redactUrl('/x?a=1&Token=s3cret#top')).toBe('/x?a=1&Token=[redacted]#top');
    expect(redactUrl('/v1/assignments?q=tokens')).toBe('/v1/assignments?q=tokens');
  });

  it('writes request lines without the access_token of the URL', async () => {
    const { lines, logger } = capture();
    const app = Fastify({ loggerInstance: logger });
    app.get('/v1/ping', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/v1/ping?access_token=dd_very-secret-value' });
    await app.close();
    const requestLines = lines.filter((l) => l.includes('"req"'));
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines.join('\n')).toContain('access_token=[redacted]');
    expect(lines.join('\n')).not.toContain('dd_very-secret-value');
  });

  it('logs a failed query without its parameters', () => {
    const { lines, logger } = capture();
    const cause = new Error('duplicate key value violates unique constraint');
    const error = new DrizzleQueryError('insert into contacts (email) values ($1)', ['chanh.vp@example.gov.vn'], cause);
    logger.error({ err: error }, 'request failed');
    logger.error({ err: new Error('wrapped', { cause: error }) }, 'request failed');
    const text = lines.join('\n');
    expect(text).toContain('insert into contacts');
    expect(text).not.toContain('chanh.vp@example.gov.vn');
  });
});
