import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';
import { actorOf } from '../auth/actor.ts';
import { disposition } from '../disposition.ts';
import { checkFields, PreviewFields, readPlanUpload } from '../plan-upload.ts';
import { RAW_PLAN_TYPES, UPLOAD_LIMIT_BYTES } from '../plugins/uploads.ts';
import { problemResponses } from '../schemas/common.ts';
import { createDraft, editDraft, getDraft, importDraft, planSourceFile } from '../../services/plan-drafts.ts';

// The import page's way in: a draft is read once from the file, edited (PATCH), then imported.
// POST /v1/plans and /v1/plans/preview stay for scripts and the CLI.

const DraftFields = Type.Omit(PreviewFields, ['strict', 'acceptProposedAgencies', 'revise']);
const binary = Type.Unsafe<unknown>({ description: 'The appendix file itself (binary)' });
const fileForm = Type.Unsafe<unknown>({
  description:
    'Field "file" with the appendix (.xlsx, .docx, .csv in UTF-8, UTF-16 or Windows-1258, or the text extraction), and the fields code, title, province or registry, periodStart, periodEnd, issuedOn, policy (a JSON object), format (see the query parameters).',
});
const draftParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const planDraftRoutes: FastifyPluginAsyncTypebox<{ calendar?: WorkingCalendar }> = async (app, options) => {
  // The preview's deadlines are reckoned on the worker's working calendar (the shipped one by default).
  let calendar: Promise<WorkingCalendar> | undefined = options.calendar ? Promise.resolve(options.calendar) : undefined;
  const workingCalendar = () => (calendar ??= loadCalendar());
  const coordinatorOnly = app.requireRole('coordinator');
  const coordinatorBeforeBody = app.requireRoleBeforeBody('coordinator');

  app.post(
    '/v1/plans/drafts',
    {
      preParsing: coordinatorBeforeBody,
      schema: {
        tags: ['plans'],
        operationId: 'createPlanDraft',
        summary: 'Read an appendix into a draft the coordinator edits before importing it',
        description:
          'The file is read in an isolated thread, kept (with its SHA-256) with the table read from it, for seven days. ' +
          'Questions (a deadline not read, a loose group as lead, the commune level, unknown names, proposals, the issue date) ' +
          'are listed in the draft, not errors; a file that cannot be read, or holds no task, answers 422 naming the row and column.',
        querystring: Type.Partial(Type.Object({ ...DraftFields.properties, fileName: Type.String() })),
        body: {
          content: {
            'multipart/form-data': { schema: fileForm },
            ...Object.fromEntries(RAW_PLAN_TYPES.map((t) => [t, { schema: binary }])),
          },
        } as never,
        response: { 201: Type.Ref('PlanDraft'), ...problemResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const upload = await readPlanUpload(request);
      const {
        policyObject,
        format,
        policy: _json,
        strict: _strict,
        revise: _revise,
        ...fields
      } = checkFields(PreviewFields, upload.fields);
      const draft = await createDraft(app.deps, {
        file: {
          bytes: upload.bytes,
          ...(format ? { format } : {}),
          ...(upload.fileName ? { fileName: upload.fileName } : {}),
        },
        fields: { ...fields, ...(policyObject ? { policy: policyObject } : {}) },
        ...(request.principal.registry !== undefined ? { within: request.principal.registry } : {}),
        by: actorOf(request.principal),
        maxBytes: UPLOAD_LIMIT_BYTES,
        calendar: await workingCalendar(),
      });
      return reply.status(201).send(draft);
    },
  );

  app.get(
    '/v1/plans/drafts/:id',
    {
      preHandler: coordinatorOnly,
      schema: {
        tags: ['plans'],
        operationId: 'getPlanDraft',
        summary: 'A plan draft as it reads now, with its questions and edits',
        params: draftParams,
        response: { 200: Type.Ref('PlanDraft'), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getDraft(app.deps, request.principal, request.params.id, await workingCalendar()),
  );

  app.patch(
    '/v1/plans/drafts/:id',
    {
      preHandler: coordinatorOnly,
      schema: {
        tags: ['plans'],
        operationId: 'editPlanDraft',
        summary:
          'Edit a plan draft: a row’s deadline, leads, title, exclusion, status; the task column, proposals, the issue date, the plan’s fields',
        description:
          'The edits apply in order, all or none: one that does not apply answers 422 naming its row and field. Each applied field is recorded ' +
          '(who, when, row, field, from, to) and goes to the audit trail when the draft is imported.',
        params: draftParams,
        body: Type.Object(
          { edits: Type.Array(Type.Ref('DraftEdit'), { minItems: 1, maxItems: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('PlanDraft'), ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      editDraft(app.deps, {
        principal: request.principal,
        id: request.params.id,
        edits: request.body.edits as never,
        by: actorOf(request.principal),
        calendar: await workingCalendar(),
      }),
  );

  app.post(
    '/v1/plans/drafts/:id/import',
    {
      preHandler: coordinatorOnly,
      schema: {
        tags: ['plans'],
        operationId: 'importPlanDraft',
        summary: 'Import a plan draft as edited',
        description:
          'Creates the plan (201) or, for a plan of that number already in the registry, revises it (200) only with revise=true; ' +
          'without it the answer is 409 with what would change (revision). The plan keeps the file and the edits.',
        params: draftParams,
        body: Type.Object({ revise: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: {
          200: Type.Ref('ImportResult'),
          201: Type.Ref('ImportResult'),
          ...problemResponses(401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const result = await importDraft(app.deps, {
        principal: request.principal,
        id: request.params.id,
        revise: request.body?.revise === true,
        by: actorOf(request.principal),
        onDispatchFailure: (err) =>
          request.log.warn(
            { err },
            'starting the workflows failed after the import committed; the dispatch retries them',
          ),
      });
      return reply.status(result.outcome === 'created' ? 201 : 200).send(result);
    },
  );

  app.get(
    '/v1/plans/:id/source',
    {
      schema: {
        tags: ['plans'],
        operationId: 'downloadPlanSource',
        summary: 'The file the plan was last imported from, as it was sent',
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 200, description: "The plan's id, slug or number" }),
        }),
        response: {
          200: Type.Unsafe({
            description: 'The file',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          }),
          ...problemResponses(401, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const source = await planSourceFile(app.deps.db, request.principal, request.params.id);
      return reply
        .type('application/octet-stream')
        .header('content-disposition', disposition('attachment', source.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('digest', `sha-256=${Buffer.from(source.sha256, 'hex').toString('base64')}`)
        .send(Buffer.from(source.content));
    },
  );
};

export default planDraftRoutes;
