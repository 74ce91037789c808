// @ts-check
/**
 * The public API, as the pages use it: same origin, the session cookie sent by the browser, and
 * the CSRF token (kept in memory only, never in storage) on every change.
 */

/** @type {{ user: any, csrfToken: string, abilities?: Record<string, boolean> } | null} */
let session = null;

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {any} problem */
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** @returns {any} */
export const currentUser = () => session?.user ?? null;

/**
 * What the signed-in person's role may open and do beyond their own work (the session's
 * `abilities`, from domain/permissions.ts): the navigation and the routes follow it.
 * @returns {Record<string, boolean>}
 */
export const abilities = () => session?.abilities ?? {};

/** @param {{ user: any, csrfToken: string, abilities?: Record<string, boolean> } | null} value */
export function setSession(value) {
  session = value;
}

/**
 * To the sign-in page, remembering the page asked for (an e-mail's link, a page whose session ran
 * out), so that signing in leads back to it.
 */
export function toSignIn() {
  const here = location.hash.replace(/^#/, '');
  const back = here && !here.startsWith('/dang-nhap') && here !== '/' ? `?tiep=${encodeURIComponent(here)}` : '';
  location.hash = `#/dang-nhap${back}`;
}

/**
 * Where to go after signing in: the page remembered by `toSignIn`, when it is a page of this app.
 * @param {URLSearchParams} query
 */
export function afterSignIn(query) {
  const back = query.get('tiep') ?? '';
  return back.startsWith('/') && !back.startsWith('/dang-nhap') ? `#${back}` : '#/';
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body] JSON, or FormData for uploads
 * @returns {Promise<any>}
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (method !== 'GET' && session) headers['x-csrf-token'] = session.csrfToken;
  /** @type {BodyInit | undefined} */
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = typeof data === 'object' && data?.detail ? data.detail : `Lỗi ${response.status}`;
    if (response.status === 401 && session && path !== '/v1/session') {
      session = null;
      toSignIn();
    }
    throw new ApiError(response.status, detail, data);
  }
  return data;
}

/**
 * A GET typed by its route, as the OpenAPI document writes it (web/api-types.d.ts, generated from
 * /openapi.json): `read('/v1/assignments/{id}', { id })` answers an AssignmentWithTimeline.
 * @template {keyof import('./api-types').Reads} R
 * @param {R} route
 * @param {Record<string, string>} [params] the route's {parameters}
 * @param {URLSearchParams | string} [query]
 * @returns {Promise<import('./api-types').Reads[R]>}
 */
export function read(route, params = {}, query = '') {
  const path = String(route).replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name] ?? ''));
  const search = String(query);
  return api('GET', search ? `${path}?${search}` : path);
}

/** Every page of a list (cursor by cursor), up to `max` items. @param {string} path @param {number} [max] */
export async function all(path, max = 5000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

/** Who is signed in, asking the server once (the cookie is not readable by script). */
export async function loadSession() {
  try {
    setSession(await api('GET', '/v1/session'));
  } catch {
    setSession(null);
  }
  return currentUser();
}
