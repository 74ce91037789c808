import { Type, type TSchema } from 'typebox';

export const IsoDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A calendar day, YYYY-MM-DD',
  examples: ['2026-03-19'],
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

/** Every list: a page of items and the cursor of the next page (null on the last). */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page' })),
};

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref('Problem')]));

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
