import { actorOf } from '../auth/actor.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { PlanPreview } from '../../domain/appendix/types.ts';
import { HttpProblem, type FieldError } from '../problem.ts';
import { RAW_PLAN_TYPES, UPLOAD_LIMIT_BYTES, PLAN_JSON_LIMIT } from '../plugins/uploads.ts';
import { problemResponses } from '../schemas/common.ts';
import type { PlanJson } from '../schemas/plan.ts';
import { listPlans } from '../../services/plan-import.ts';
import { moveToSuccessorRegistry } from '../../services/registry-move.ts';
import { importPlanFile, importPlanJson, previewPlanFile } from '../../services/plan-intake.ts';
import { checkFields, PlanFileFields, PreviewFields, readPlanUpload } from '../plan-upload.ts';

// Documentation only: uploads are read by readPlanUpload, which checks them and names what is wrong.
const binary = Type.Unsafe<unknown>({ description: 'The appendix file itself (binary)' });
const fileForm = (fields: typeof PlanFileFields | typeof PreviewFields) =>
  Type.Unsafe<unknown>({
    description: `Field "file" with the appendix (.xlsx, .docx, .csv in UTF-8, UTF-16 or Windows-1258 with comma, semicolon or tab, or the text extraction), and the fields ${Object.keys(
      fields.properties,
    )
      .map((name) => `"${name}"`)
      .join(', ')} (see the query parameters for their meaning).`,
  });
const rawTypes = (schema: unknown) => Object.fromEntries(RAW_PLAN_TYPES.map((type) => [type, { schema }]));

function issuesAsErrors(preview: PlanPreview): FieldError[] {
  return preview.errors.map((e) => ({
    field: e.field ?? (e.row !== undefined ? `row ${e.row}${e.column ? `, column ${e.column}` : ''}` : 'file'),
    message: e.message,
    ...(e.row !== undefined ? { row: e.row } : {}),
    ...(e.column ? { column: e.column } : {}),
  }));
}

const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** Reads an uploaded appendix with the registry of its province; no side effects. */
  async function previewUpload(request: FastifyRequest) {
    const upload = await readPlanUpload(request);
    const fields = checkFields(PreviewFields, upload.fields);
    return previewPlanFile(
      app.deps.db,
      { bytes: upload.bytes, format: fields.format, fileName: upload.fileName },
      { ...fields, maxBytes: UPLOAD_LIMIT_BYTES, within: request.principal.registry },
    );
  }

  const coordinatorOnly = app.requireRole('coordinator');
  // Plans and appendices are the large bodies: who sends them is checked before they are read.
  const coordinatorBeforeBody = app.requireRoleBeforeBody('coordinator');

  app.get(
    '/v1/plans',
    {
      schema: {
        tags: ['plans'],
        operationId: 'listPlans',
        summary: 'The plans imported',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('PlanSummary')),
            nextCursor: Type.Null(),
            total: Type.Integer({ minimum: 0, description: 'How many there are in all' }),
          }),
          ...problemResponses(401),
        },
      },
    },
    async (request) => {
      const items = await listPlans(app.deps.db, request.principal.registry);
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.post(
    '/v1/plans/preview',
    {
      preParsing: coordinatorBeforeBody,
      schema: {
        tags: ['plans'],
        operationId: 'previewPlan',
        summary: 'Read a plan appendix and show what importing it would create (no side effects)',
        description:
          'Send the file as multipart/form-data (field "file" plus optional fields) or as the raw body with the fields as query parameters. ' +
          'Errors name the row and column; a preview with errors answers 422 with the preview attached.',
        querystring: Type.Partial(Type.Object({ ...PreviewFields.properties, fileName: Type.String() })),
        body: { content: { 'multipart/form-data': { schema: fileForm(PreviewFields) }, ...rawTypes(binary) } } as never,
        response: { 200: Type.Ref('PlanPreview'), ...problemResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request) => {
      const { preview } = await previewUpload(request);
      if (preview.errors.length > 0) {
        throw new HttpProblem(422, `Phụ lục có ${preview.errors.length} lỗi.`, {
          errors: issuesAsErrors(preview),
          preview,
        });
      }
      return preview;
    },
  );

  app.post(
    '/v1/plans',
    {
      preParsing: coordinatorBeforeBody,
      // The one route that takes a large JSON body: a whole plan.
      bodyLimit: PLAN_JSON_LIMIT,
      schema: {
        tags: ['plans'],
        operationId: 'importPlan',
        summary: 'Import a plan, or a revision of it (all or nothing)',
        description:
          'JSON, or an appendix file (multipart/form-data with field "file", or the raw body with query parameters code, title, province, periodStart, periodEnd). ' +
          'Creates the plan, its tasks and one assignment per (task, lead agency), and starts their workflows. Posting the same plan again changes nothing; ' +
          'a plan of that number already in the registry is revised only with revise=true (query, form field, or JSON property): without it the answer ' +
          'is 409 with what would change (revision). A revision updates tasks and tells running workflows (new deadlines, reassignments, cancellations), ' +
          'and the answer lists what changed. The page imports through a draft (POST /v1/plans/drafts).',
        querystring: Type.Partial(Type.Object({ ...PlanFileFields.properties, fileName: Type.String() })),
        body: {
          content: {
            'application/json': { schema: Type.Ref('PlanJson') },
            'multipart/form-data': { schema: fileForm(PlanFileFields) },
            ...rawTypes(binary),
          },
        } as never,
        response: {
          200: Type.Ref('ImportResult'),
          201: Type.Ref('ImportResult'),
          ...problemResponses(400, 401, 403, 409, 413, 415, 422),
        },
      },
    },
    async (request, reply) => {
      const onDispatchFailure = (err: unknown) =>
        request.log.warn(
          { err },
          'starting the workflows failed after the import committed; the dispatch retries them',
        );
      let result;
      const query = (request.query ?? {}) as { revise?: boolean | string };
      const revisedInQuery = query.revise === true || query.revise === 'true';
      if (request.headers['content-type']?.startsWith('application/json')) {
        const { revise, ...body } = request.body as Static<typeof PlanJson> & { revise?: boolean };
        result = await importPlanJson(app.deps, body, {
          onDispatchFailure,
          within: request.principal.registry,
          by: actorOf(request.principal),
          revise: revise === true || revisedInQuery,
        });
      } else {
        const upload = await readPlanUpload(request);
        const { policyObject, format, policy: _json, revise, ...fields } = checkFields(PlanFileFields, upload.fields);
        result = await importPlanFile(
          app.deps,
          { bytes: upload.bytes, format, fileName: upload.fileName },
          { ...fields, ...(policyObject ? { policy: policyObject } : {}) },
          {
            onDispatchFailure,
            maxBytes: UPLOAD_LIMIT_BYTES,
            within: request.principal.registry,
            by: actorOf(request.principal),
            revise: revise === true || revisedInQuery,
          },
        );
      }
      return reply.status(result.outcome === 'created' ? 201 : 200).send(result);
    },
  );

  app.post(
    '/v1/plans/move-registry',
    {
      preHandler: coordinatorOnly,
      schema: {
        tags: ['plans'],
        operationId: 'movePlanRegistry',
        summary: "Move a plan issued before a reorganisation to today's registry, its open work to the successors",
        description:
          'For a plan of a merged province (Vĩnh Phúc → Phú Thọ) or of departments merged in 2025: the plan belongs to the new ' +
          "registry from now on, and each open assignment goes to its agency's successor through its workflow, keeping its history. " +
          'Assignments whose agency has no successor there (district committees) are listed for the coordinator to decide. ' +
          "Only a deployment-wide coordinator or the coordinator of the plan's own registry may move it.",
        body: Type.Object(
          {
            plan: Type.String({
              minLength: 1,
              maxLength: 200,
              description:
                'The plan: its code ("2866/QĐ-UBND"), slug or id; a code shared by several registries needs the slug',
            }),
            to: Type.String({ minLength: 1, maxLength: 60, description: 'The registry of today, e.g. "phu-tho"' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            plan: Type.Object({
              id: Type.String(),
              code: Type.String(),
              from: Type.String({ description: 'The registry the plan left (key)' }),
              to: Type.String({ description: 'The registry the plan joined (key)' }),
              fromName: Type.String({ description: 'The registry it left, by name: "Vĩnh Phúc"' }),
              toName: Type.String({ description: 'The registry it joined, by name: "Phú Thọ"' }),
            }),
            moved: Type.Array(Type.Object({ id: Type.String(), from: Type.String(), to: Type.String() })),
            kept: Type.Array(Type.String()),
            unmapped: Type.Array(Type.Object({ id: Type.String(), agencyCode: Type.String(), name: Type.String() })),
            refused: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
          }),
          ...problemResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request) =>
      moveToSuccessorRegistry(app.deps, {
        plan: request.body.plan,
        to: request.body.to,
        actor: actorOf(request.principal),
        ...(request.principal.registry !== undefined ? { within: request.principal.registry } : {}),
      }),
  );
};

export default planRoutes;
