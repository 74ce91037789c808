import { Type, type TSchema } from 'typebox';

export const IsoDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A calendar day, YYYY-MM-DD',
  examples: ['2026-03-19'],
});

/** A moment in time: RFC 3339 in UTC, as every instant the API returns (README, "Dates and times"). */
export const Instant = Type.String({
  format: 'date-time',
  description: 'An instant, RFC 3339 in UTC: YYYY-MM-DDThh:mm:ss(.sss)Z',
  examples: ['2026-03-19T01:00:00.000Z'],
});

/** A row id in a path or body: a positive whole number the database can hold. */
export const RowId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String(),
          message: Type.String(),
          row: Type.Optional(Type.Integer()),
          column: Type.Optional(Type.String()),
        }),
      ),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)', additionalProperties: true },
);

/** A file in a response body (an XLSX workbook): bytes, sent as they are. */
export const FileBody = (mediaType: string, description: string) =>
  Type.Unsafe<Uint8Array>({ type: 'string', contentMediaType: mediaType, description });

/** Every list: a page of items and the cursor of the next page (null on the last). */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });

/** A list that says how many items match in all, besides the page: what a table's pager shows. */
export const CountedPage = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
    total: Type.Integer({ minimum: 0, description: 'How many items match the filters in all, on every page' }),
  });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page' })),
};

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * The problem responses, each a shared response component of the OpenAPI document
 * (`#/components/responses/<name>`): the openapi plugin replaces every use by a reference.
 */
export const problemStatuses: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'The request is malformed: a field, parameter or value is not accepted' },
  401: { name: 'Unauthorized', description: 'No bearer token, or one that is unknown or revoked' },
  403: { name: 'Forbidden', description: 'The token is valid but may not do this (its role, agency or registry)' },
  404: { name: 'NotFound', description: 'Nothing of that name the token may see' },
  409: { name: 'Conflict', description: 'Not possible in the current state (the workflow refused the command)' },
  413: { name: 'ContentTooLarge', description: 'The body is larger than this route accepts' },
  415: { name: 'UnsupportedMediaType', description: 'The body is of a content type this route does not read' },
  422: {
    name: 'UnprocessableContent',
    description: 'Well-formed, but the content is refused: each field or row says why',
  },
  429: { name: 'TooManyRequests', description: "Over this token's (or address's) request budget; retry later" },
  500: { name: 'InternalServerError', description: 'The server failed; details are in its log, not in the answer' },
  503: { name: 'ServiceUnavailable', description: 'A service the route needs is unreachable; retry later' },
};

/**
 * The problem responses a route may answer with, beyond those every route gets from the openapi
 * plugin (400, 401, 429, 500; 413 and 415 with a body). Keyed by media type, so that the error
 * handler's application/problem+json replies are serialised with the Problem schema.
 */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: problemStatuses[status]?.description ?? 'Problem details',
        content: { [PROBLEM_MEDIA_TYPE]: { schema: Type.Ref('Problem') } },
      },
    ]),
  );

export const Deadline = Type.Object({
  kind: Type.Union([
    Type.Literal('date'),
    Type.Literal('range'),
    Type.Literal('recurring'),
    Type.Literal('continuous'),
    Type.Literal('unresolved'),
  ]),
  start: Type.Optional(IsoDate),
  due: Type.Optional(IsoDate),
  recurrence: Type.Optional(
    Type.Object({
      every: Type.Literal('year'),
      month: Type.Optional(Type.Integer()),
      day: Type.Optional(Type.Integer()),
    }),
  ),
  milestones: Type.Optional(Type.Array(IsoDate)),
  raw: Type.String(),
});
