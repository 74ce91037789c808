import type { Account, Operations, Problem, SessionInfo } from './api-types.d.ts';

/**
 * The public API, as the pages use it: same origin, the session cookie sent by the browser, and
 * the CSRF token (kept in memory only, never in storage) on every change. Every call names its
 * operation as the OpenAPI document writes it ('POST /v1/assignments/{id}/accept'), so its body
 * and its answer are the generated types of web/api-types.d.ts (`npm run web:types`).
 */

export type Operation = keyof Operations;
/** What an operation answers (null: 204). */
export type Answer<K extends Operation> = Operations[K]['response'];
/** What an operation takes as its body. */
export type Body<K extends Operation> = Operations[K]['body'];

type PathOf<K> = K extends `${string} ${infer P}` ? P : never;
/** The {parameters} of a route, by name: '/v1/registries/{key}/agencies/{code}' needs key and code. */
type Params<P> = P extends `${string}{${infer N}}${infer Rest}` ? Record<N, string> & Params<Rest> : unknown;

/** One call: the route's parameters, the query, and the body. */
export type Call<K extends Operation> = {
  query?: URLSearchParams | string;
  body?: Body<K>;
} & (PathOf<K> extends `${string}{${string}` ? { params: Params<PathOf<K>> } : { params?: undefined });

let session: SessionInfo | null = null;

export class ApiError extends Error {
  readonly status: number;
  /** The problem the server answered (application/problem+json), or its text. */
  readonly problem: (Partial<Problem> & Record<string, unknown>) | null;

  constructor(status: number, message: string, problem: ApiError['problem']) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** The person signed in; the pages behind the sign-in read it only once there is one. */
export const currentUser = (): Account => {
  if (!session) throw new Error('No one is signed in.');
  return session.user;
};

/** The person signed in, or null. */
export const signedIn = (): Account | null => session?.user ?? null;

/**
 * What the signed-in person's role may open and do beyond their own work (the session's
 * `abilities`, from domain/permissions.ts): the navigation and the routes follow it.
 */
export const abilities = (): Partial<SessionInfo['abilities']> => session?.abilities ?? {};

export function setSession(value: SessionInfo | null) {
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

/** Where to go after signing in: the page remembered by `toSignIn`, when it is a page of this app. */
export function afterSignIn(query: URLSearchParams) {
  const back = query.get('tiep') ?? '';
  return back.startsWith('/') && !back.startsWith('/dang-nhap') ? `#${back}` : '#/';
}

/** A query with more parameters: the filters of a list, and its page. */
export const withParams = (params: URLSearchParams, more: Record<string, string>) =>
  new URLSearchParams({ ...Object.fromEntries(params), ...more });

/** The path of a call: the route with its parameters filled in, and the query. */
function pathOf(route: string, params: Record<string, string> | undefined, query: URLSearchParams | string = '') {
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
  const search = String(query);
  return search ? `${path}?${search}` : path;
}

/**
 * Calls an operation: `api('POST /v1/assignments/{id}/accept', { params: { id }, body: {} })`.
 * The body is JSON, or FormData for uploads; a refusal throws an ApiError with the server's words.
 */
export async function api<K extends Operation>(operation: K, ...[call]: CallArgs<K>): Promise<Answer<K>> {
  const space = operation.indexOf(' ');
  const method = operation.slice(0, space);
  const path = pathOf(operation.slice(space + 1), call?.params as Record<string, string> | undefined, call?.query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && session) headers['x-csrf-token'] = session.csrfToken;
  const body: unknown = call?.body;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (response.status === 204) return null as Answer<K>;
  const type = response.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const problem = typeof data === 'object' && data !== null ? (data as ApiError['problem']) : null;
    const detail = problem?.detail ?? `Lỗi ${response.status}`;
    if (response.status === 401 && session && path !== '/v1/session') {
      session = null;
      toSignIn();
    }
    throw new ApiError(response.status, detail, problem);
  }
  return data as Answer<K>;
}

/** A call's second argument: required when the route has parameters, else optional. */
type CallArgs<K extends Operation> = PathOf<K> extends `${string}{${string}` ? [call: Call<K>] : [call?: Call<K>];

/** The items of a list an operation answers. */
type ItemOf<K extends Operation> = Answer<K> extends { items: (infer T)[] } ? T : never;

/** Every page of a list (cursor by cursor), up to `max` items. */
export async function all<K extends Operation>(
  operation: K,
  query: URLSearchParams = new URLSearchParams(),
  max = 5000,
): Promise<ItemOf<K>[]> {
  const items: ItemOf<K>[] = [];
  let cursor: string | null = null;
  do {
    const page = new URLSearchParams(query);
    page.set('limit', '500');
    if (cursor) page.set('cursor', cursor);
    const answer = (await api(operation, { query: page } as Call<K>)) as unknown as {
      items: ItemOf<K>[];
      nextCursor: string | null;
    };
    items.push(...answer.items);
    cursor = answer.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

/** Who is signed in, asking the server once (the cookie is not readable by script). */
export async function loadSession(): Promise<Account | null> {
  try {
    setSession(await api('GET /v1/session'));
  } catch {
    setSession(null);
  }
  return signedIn();
}
