import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'dondoc_session';

/** The session cookie's value from a Cookie header, if there is one. */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[\w-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * Whether the browser reached us over HTTPS: directly, or through a proxy that terminates TLS and
 * says so in X-Forwarded-Proto. A client that lies about it only makes its own cookie Secure.
 */
function overHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over HTTPS, whole-site path. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, expires: Date): void {
  const secure = overHttps(request) ? '; Secure' : '';
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Expires=${expires.toUTCString()}${secure}`,
  );
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const secure = overHttps(request) ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`);
}
