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

  it('redacts secrets in URL paths: invitation links and our tokens, not the ids of things', () => {
    const link = 'inv_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0';
    expect(redactUrl(`/v1/invitations/${link}`)).toBe('/v1/invitations/[redacted]');
    expect(redactUrl(`/v1/invitations/${link}/accept`)).toBe('/v1/invitations/[redacted]/accept');
    expect(redactUrl(`/v1/invitations/${link}?x=1`)).toBe('/v1/invitations/[redacted]?x=1');
    // A mistyped or cut link is still somebody's secret.
    expect(redactUrl('/v1/invitations/Zm9vYmFyYmF6cXV4/accept')).toBe('/v1/invitations/[redacted]/accept');
    expect(redactUrl('/v1/things/dd_abcdefghijklmnop/x')).toBe('/v1/things/[redacted]/x');
    expect(redactUrl('/v1/x/whsec_abcdefghijklmnop')).toBe('/v1/x/[redacted]');
    // A calendar feed's secret, whole or mistyped.
    expect(redactUrl(`/calendar/cal_${'A'.repeat(43)}.ics`)).toBe('/calendar/[redacted]');
    expect(redactUrl('/calendar/Zm9vYmFy.ics?x=1')).toBe('/calendar/[redacted]?x=1');
    // An invitation's id, and ordinary paths, stay readable.
    const id = '0b6f5a43-7d1e-4c1a-9b53-2f1f3c1d2e4a';
    expect(redactUrl(`/v1/invitations/${id}`)).toBe(`/v1/invitations/${id}`);
    expect(redactUrl('/v1/invitations')).toBe('/v1/invitations');
    expect(redactUrl('/v1/assignments/2866-qd-ubnd%3A14%3ASNV')).toBe('/v1/assignments/2866-qd-ubnd%3A14%3ASNV');
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
