import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session cookie over plain HTTP (a browser refuses a `__Host-` cookie without Secure). */
export const SESSION_COOKIE = 'dondoc_session';
/**
 * Over HTTPS: the `__Host-` prefix makes the browser take it only with Secure, Path=/ and no
 * Domain, so no other host of the domain (and nothing over plain HTTP) can set or shadow it.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** The session cookie's value from a Cookie header, if there is one; the `__Host-` one first. */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const found = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    if ((name === SECURE_SESSION_COOKIE || name === SESSION_COOKIE) && !found.has(name))
      found.set(name, part.slice(eq + 1).trim());
  }
  const value = found.get(SECURE_SESSION_COOKIE) ?? found.get(SESSION_COOKIE);
  return value !== undefined && /^[\w-]{20,100}$/.test(value) ? value : undefined;
}

/**
 * Whether the browser reached us over HTTPS: directly, or through a proxy that terminates TLS and
 * says so in X-Forwarded-Proto. A client that lies about it only makes its own cookie Secure (and
 * a browser then refuses it over plain HTTP).
 */
function overHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

const ATTRIBUTES = 'Path=/; HttpOnly; SameSite=Strict';

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), whole-site path; `__Host-` and Secure over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, expires: Date): void {
  reply.header(
    'set-cookie',
    overHttps(request)
      ? `${SECURE_SESSION_COOKIE}=${value}; ${ATTRIBUTES}; Expires=${expires.toUTCString()}; Secure`
      : `${SESSION_COOKIE}=${value}; ${ATTRIBUTES}; Expires=${expires.toUTCString()}`,
  );
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const cleared = [`${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0${overHttps(request) ? '; Secure' : ''}`];
  if (overHttps(request)) cleared.push(`${SECURE_SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0; Secure`);
  reply.header('set-cookie', cleared);
}
