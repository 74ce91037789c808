import {
  Busy,
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  RevisionNeeded,
  type FieldError,
  type ServiceError,
} from '../services/errors.ts';

export type { FieldError };

/**
 * An HTTP error in RFC 9457 form (application/problem+json), for what only HTTP knows (a missing
 * token, a bad upload); the application's own refusals arrive as ServiceErrors and are mapped by
 * `fromServiceError`. `detail` is shown to people and so is Vietnamese; `errors` names each bad
 * field and why.
 */
const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  /** Headers the answer carries besides the problem (Retry-After). */
  headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; type?: string; [key: string]: unknown } = {},
  ) {
    super(detail);
  }

  get title(): string {
    return titles[this.status] ?? 'Error';
  }
}

export const notFound = (detail: string) => new HttpProblem(404, detail);
export const conflict = (detail: string, extra?: HttpProblem['extra']) => new HttpProblem(409, detail, extra);
export const unprocessable = (detail: string, errors?: FieldError[]) => new HttpProblem(422, detail, { errors });
export const badRequest = (detail: string, errors?: FieldError[]) => new HttpProblem(400, detail, { errors });
export const forbidden = (detail: string) => new HttpProblem(403, detail);
export const unauthorized = (detail: string) => new HttpProblem(401, detail);
export const unavailable = (detail: string) => new HttpProblem(503, detail);

/** The HTTP status of each kind of application error. */
export function fromServiceError(error: ServiceError): HttpProblem {
  const status =
    error instanceof NotFound
      ? 404
      : error instanceof Forbidden
        ? 403
        : error instanceof Conflict
          ? 409
          : error instanceof Invalid
            ? 422
            : error instanceof Busy
              ? 429
              : 500;
  const errors = error instanceof Invalid && error.errors.length > 0 ? error.errors : undefined;
  const problem = new HttpProblem(status, error.message, {
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(errors ? { errors } : {}),
    // What a refused revision would change, for the caller to show before confirming it.
    ...(error instanceof RevisionNeeded ? { revision: error.revision } : {}),
  });
  if (error instanceof Busy) problem.headers = { 'retry-after': String(error.retryAfter) };
  return problem;
}

export function problemBody(
  status: number,
  title: string,
  detail: string,
  instance: string,
  extra: Record<string, unknown> = {},
) {
  return { type: (extra.type as string | undefined) ?? 'about:blank', title, status, detail, instance, ...extra };
}
