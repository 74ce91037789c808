import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { AppendixFormat } from '../domain/appendix/types.ts';
import { badRequest, type FieldError } from './problem.ts';
import { IsoDate } from './schemas/common.ts';

/** What a plan file does not say about itself: given as form fields or query parameters. */
export const PlanFileFields = Type.Object({
  code: Type.String({ minLength: 1, description: 'Decision number, e.g. "2866/QĐ-UBND"' }),
  title: Type.String({ minLength: 1 }),
  province: Type.String({ minLength: 1 }),
  registry: Type.Optional(Type.String()),
  periodStart: IsoDate,
  periodEnd: IsoDate,
  issuedOn: Type.Optional({ ...IsoDate, description: 'The day the plan was signed (else read from the document)' }),
  revise: Type.Optional(
    Type.Boolean({ description: 'Confirms that a plan of this number already in the registry is revised' }),
  ),
  format: Type.Optional(
    Type.Union([Type.Literal('text'), Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('docx')]),
  ),
  strict: Type.Optional(Type.Boolean({ description: 'Unknown agencies stop the import' })),
  acceptProposedAgencies: Type.Optional(
    Type.Boolean({ description: "Add the preview's proposed agencies to the registry, then import" }),
  ),
  policy: Type.Optional(Type.String({ description: 'The plan policy as a JSON object' })),
});

export const PreviewFields = Type.Partial(PlanFileFields);

export interface PlanUpload {
  bytes: Uint8Array;
  fileName?: string;
  fields: Record<string, unknown>;
}

const truthy = (value: unknown) => value === true || value === 'true' || value === '1';

/** The file and its fields, from a multipart form or from a raw body with query parameters. */
export async function readPlanUpload(request: FastifyRequest): Promise<PlanUpload> {
  const fields: Record<string, unknown> = {};
  if (request.isMultipart()) {
    let upload: { bytes: Uint8Array; fileName?: string } | undefined;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        upload = { bytes: await part.toBuffer(), fileName: part.filename };
      } else {
        fields[part.fieldname] = part.value;
      }
    }
    if (!upload)
      throw badRequest('Chưa đính kèm tệp phụ lục (trường "file").', [{ field: 'file', message: 'thiếu tệp' }]);
    return { ...upload, fields: normalise(fields) };
  }
  const body = request.body;
  if (!Buffer.isBuffer(body)) throw badRequest('Không đọc được tệp gửi lên.');
  const query = (request.query ?? {}) as Record<string, unknown>;
  return {
    bytes: body,
    fileName: typeof query.fileName === 'string' ? query.fileName : undefined,
    fields: normalise({ ...query }),
  };
}

function normalise(fields: Record<string, unknown>): Record<string, unknown> {
  const out = { ...fields };
  delete out.fileName;
  if ('strict' in out) out.strict = truthy(out.strict);
  if ('acceptProposedAgencies' in out) out.acceptProposedAgencies = truthy(out.acceptProposedAgencies);
  if ('revise' in out) out.revise = truthy(out.revise);
  return out;
}

/** Checks the fields against their schema, naming each bad one. */
export function checkFields<S extends typeof PlanFileFields | typeof PreviewFields>(
  schema: S,
  fields: Record<string, unknown>,
): Static<S> & { policyObject?: Record<string, unknown> } {
  const errors: FieldError[] = [...Value.Errors(schema, fields)].flatMap((e) => {
    const missing = (e.params as { requiredProperties?: string[] } | undefined)?.requiredProperties;
    if (missing) return missing.map((field) => ({ field, message: 'bắt buộc' }));
    return [{ field: e.instancePath.replace(/^\//, '') || '/', message: e.message }];
  });
  let policyObject: Record<string, unknown> | undefined;
  if (typeof fields.policy === 'string' && fields.policy.trim()) {
    try {
      const parsed: unknown = JSON.parse(fields.policy);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      policyObject = parsed as Record<string, unknown>;
    } catch {
      errors.push({ field: 'policy', message: 'phải là một đối tượng JSON' });
    }
  }
  if (errors.length > 0)
    throw badRequest(
      `Thông tin kèm theo tệp không hợp lệ — ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      errors,
    );
  return { ...(fields as Static<S>), policyObject };
}

export type { AppendixFormat };
