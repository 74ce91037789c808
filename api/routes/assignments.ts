import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from 'typebox';
import { readDeadline } from '../../domain/deadline.ts';
import type { Command, CommandType } from '../../domain/lifecycle.ts';
import { canRead, type Principal } from '../../domain/permissions.ts';
import type { Deadline } from '../../domain/types.ts';
import { actorOf } from '../auth/actor.ts';
import { badRequest, forbidden, notFound, unprocessable } from '../problem.ts';
import { CommandBodies, DeliverableBody } from '../schemas/assignment.ts';
import { CountedPage, IsoDate, PageQuery, problemResponses } from '../schemas/common.ts';
import { commandAssignment } from '../../services/assignment-commands.ts';
import { restartAssignment } from '../../services/assignment-restart.ts';
import { encodeSortedCursor, readSortedCursor } from '../cursor.ts';
import {
  assignmentSorts,
  assignmentTimeline,
  partiesOf,
  findAssignmentRow,
  listAssignments,
  toAssignment,
  type AssignmentRow,
} from '../../services/assignment-reads.ts';
import { JSON_TYPE, sharedJsonRead } from '../shared-reads.ts';
import { reassignAgency } from '../../services/registries.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

const ListQuery = Type.Object({
  ...PageQuery,
  agency: Type.Optional(Type.String({ description: 'Lead agency code' })),
  status: Type.Optional(
    Type.String({
      description:
        'One or more statuses or groups, comma-separated: assigned, acknowledged, in_progress, submitted, completed, cancelled; ' +
        'withLead (assigned, acknowledged, in_progress: the work to do), review (submitted: "Chờ duyệt"), closed, open',
    }),
  ),
  sort: Type.Optional(
    Type.Union(
      assignmentSorts.map((s) => Type.Literal(s)),
      {
        description:
          'due (effective due day, undated last), agency (the lead’s short name), status (the lifecycle’s order), updated; ' +
          '"-" first for descending. Without it: by id',
      },
    ),
  ),
  role: Type.Optional(
    Type.Union([Type.Literal('lead'), Type.Literal('collaborator')], {
      description: 'For an agency: the work it leads, or the work it collaborates on',
    }),
  ),
  reportOwed: Type.Optional(
    Type.Boolean({
      description:
        'Work that owes a report now (a period whose data cut-off has come, not filed; a year’s report included), or not',
    }),
  ),
  area: Type.Optional(Type.String({ description: 'Reform area as the plan names it' })),
  noArea: Type.Optional(Type.Boolean({ description: 'Only tasks whose plan names no reform area' })),
  bucket: Type.Optional(
    Type.Union([Type.Literal('onTime'), Type.Literal('late'), Type.Literal('within'), Type.Literal('overdue')], {
      description: 'In this bucket of the task statistics as of asOf (the work behind a number of GET /v1/dashboard)',
    }),
  ),
  escalationLevel: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100,
      description: 'Whose highest escalation open at asOf (or now) is this level',
    }),
  ),
  asOf: Type.Optional(IsoDate),
  plan: Type.Optional(
    Type.String({
      description: 'The plan: its code (2866/QĐ-UBND), slug or id; a code several registries share needs the slug',
    }),
  ),
  stopped: Type.Optional(
    Type.Boolean({
      description: 'Only work whose workflow Temporal closed while it is open: to restart (coordinator)',
    }),
  ),
  overdue: Type.Optional(Type.Boolean()),
  dueBefore: Type.Optional(IsoDate),
  dueAfter: Type.Optional(IsoDate),
  missingReport: Type.Optional(
    Type.String({ pattern: '^\\d{4}-(Q1|H1|Q3|Y)$', description: 'Assignments that owe this period’s report' }),
  ),
  extensionPending: Type.Optional(
    Type.Boolean({ description: 'Only work with an extension request awaiting a decision' }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Free text in the task number, title, objective or area (with or without diacritics)',
    }),
  ),
});

/** The operationId of each command's route (docs/ARCHITECTURE.md, "The API's contract"). */
const commandOperationIds: Record<CommandType, string> = {
  acknowledge: 'acknowledgeAssignment',
  fileReport: 'fileProgressReport',
  submitDeliverable: 'submitDeliverable',
  requestExtension: 'requestExtension',
  addContribution: 'addContribution',
  accept: 'acceptDeliverable',
  return: 'returnDeliverable',
  approveExtension: 'approveExtension',
  denyExtension: 'denyExtension',
  cancel: 'cancelAssignment',
  reassign: 'reassignAssignment',
  setDeadline: 'setDeadline',
};

const assignmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function visibleRow(principal: Principal, id: string): Promise<AssignmentRow> {
    const row = await findAssignmentRow(app.deps.db, id);
    if (!row || !canRead(principal, partiesOf(row))) {
      throw notFound(`Không có nhiệm vụ ${id}.`);
    }
    return row;
  }

  app.get(
    '/v1/assignments',
    {
      schema: {
        tags: ['assignments'],
        operationId: 'listAssignments',
        summary: 'List assignments (an agency sees those it leads or collaborates on)',
        description:
          'Paged by cursor, with the number of matches in all (`total`), so a table of 10,000 rows shows its pager. ' +
          'Each row names its plan, its lead agency (`agency`) and, for an agency, its role; `reportOwed` says which ' +
          'report the work owes now.',
        querystring: ListQuery,
        response: { 200: CountedPage(Type.Ref('AssignmentSummary')), ...problemResponses(400, 401, 422) },
      },
    },
    async (request, reply) => {
      const { limit, cursor, status, sort, ...filters } = request.query;
      const after = readSortedCursor(cursor, sort);
      const { principal } = request;
      // A list depends on the caller only through its role and agency (visibleTo).
      const body = await sharedJsonRead(
        app.deps.db,
        ['assignments', principal.role, principal.registry ?? null, principal.agencyCode ?? null, request.query],
        async () => {
          const { items, last, total } = await listAssignments(
            app.deps.db,
            principal,
            {
              ...filters,
              status: status
                ?.split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            },
            { limit: limit ?? 50, after, ...(sort ? { sort } : {}) },
          );
          return { items, nextCursor: last ? encodeSortedCursor(last, sort) : null, total };
        },
      );
      return reply.type(JSON_TYPE).send(body as never);
    },
  );

  app.get(
    '/v1/assignments/:id',
    {
      schema: {
        tags: ['assignments'],
        operationId: 'getAssignment',
        summary: 'One assignment with its timeline',
        params: IdParams,
        response: { 200: Type.Ref('AssignmentWithTimeline'), ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const row = await visibleRow(request.principal, request.params.id);
      return {
        ...toAssignment(row, undefined, new Date(), request.principal),
        timeline: await assignmentTimeline(app.deps.db, row.row.id, row.registry),
      };
    },
  );

  /** A client that retries a command after a lost answer sends the same key: it is applied once. */
  const CommandHeaders = Type.Object({
    'idempotency-key': Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^[!-~]+$',
        description: 'Any printable ASCII text, unique per command: a retry with the same key is applied once.',
      }),
    ),
  });

  /** One lifecycle command: authorized, checked and applied by `commandAssignment` and the workflow. */
  function command<S extends TSchema>(
    path: string,
    type: CommandType,
    summary: string,
    body: S,
    toCommand: (body: Static<S>) => Command,
  ) {
    app.post(
      `/v1/assignments/:id/${path}`,
      {
        schema: {
          tags: ['assignment commands'],
          operationId: commandOperationIds[type],
          summary,
          params: IdParams,
          headers: CommandHeaders,
          body,
          response: { 200: Type.Ref('Assignment'), ...problemResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) =>
        commandAssignment(app.deps, {
          principal: request.principal,
          actor: actorOf(request.principal),
          id: request.params.id,
          command: toCommand(request.body as Static<S>),
          requestKey: (request.headers as Static<typeof CommandHeaders>)['idempotency-key'],
        }),
    );
  }

  command('acknowledge', 'acknowledge', 'Acknowledge the assignment (lead agency)', CommandBodies.acknowledge, () => ({
    type: 'acknowledge',
  }));
  command(
    'reports',
    'fileReport',
    'File the progress report for a period (lead agency)',
    CommandBodies.fileReport,
    (b) => ({ type: 'fileReport', ...b }),
  );
  command(
    'deliverables',
    'submitDeliverable',
    'Submit the deliverable (lead agency), with a file sent first to POST /v1/assignments/{id}/files',
    DeliverableBody,
    (b) => ({
      type: 'submitDeliverable',
      deliverableType: b.type,
      documentNumber: b.documentNumber,
      documentDate: b.date,
      link: b.link,
      ...(b.file ? { file: b.file } : {}),
    }),
  );
  command(
    'extension-requests',
    'requestExtension',
    'Ask for more time (lead agency)',
    CommandBodies.requestExtension,
    (b) => ({ type: 'requestExtension', ...b }),
  );
  command(
    'contributions',
    'addContribution',
    'Add a contribution (collaborating agency)',
    CommandBodies.addContribution,
    (b) => ({ type: 'addContribution', ...b }),
  );
  command('accept', 'accept', 'Accept the submitted deliverable (coordinator)', CommandBodies.accept, (b) => ({
    type: 'accept',
    ...b,
  }));
  command(
    'return',
    'return',
    'Return the submitted deliverable with a reason (coordinator)',
    CommandBodies.return,
    (b) => ({ type: 'return', ...b }),
  );
  command(
    'extension-requests/approve',
    'approveExtension',
    'Approve the pending extension request (coordinator)',
    CommandBodies.approveExtension,
    (b) => ({ type: 'approveExtension', ...b }),
  );
  command(
    'extension-requests/deny',
    'denyExtension',
    'Deny the pending extension request (coordinator)',
    CommandBodies.denyExtension,
    (b) => ({ type: 'denyExtension', ...b }),
  );
  command('cancel', 'cancel', 'Cancel the assignment (coordinator)', CommandBodies.cancel, (b) => ({
    type: 'cancel',
    ...b,
  }));
  command(
    'reassign',
    'reassign',
    'Give the assignment to another agency, keeping its history (coordinator)',
    CommandBodies.reassign,
    (b) => ({ type: 'reassign', ...b }),
  );
  command(
    'deadline',
    'setDeadline',
    'Set the deadline, e.g. of an unresolved one (coordinator)',
    CommandBodies.setDeadline,
    (b) => {
      let deadline: Deadline;
      if (b.deadline) {
        deadline = readDeadline(b.deadline);
        if (deadline.kind === 'unresolved')
          throw unprocessable(`Không đọc được thời hạn "${b.deadline}".`, [
            { field: '/deadline', message: 'không đọc được' },
          ]);
      } else if (b.due) {
        deadline = b.start
          ? { kind: 'range', start: b.start, due: b.due, raw: `${b.start} – ${b.due}` }
          : { kind: 'date', due: b.due, raw: b.due };
      } else {
        throw badRequest('Cần "deadline" (như kế hoạch ghi) hoặc "due".', [
          { field: '/due', message: 'bắt buộc khi không có deadline' },
        ]);
      }
      return { type: 'setDeadline', deadline, ...(b.reason ? { reason: b.reason } : {}) };
    },
  );

  app.post(
    '/v1/assignments/:id/restart',
    {
      preHandler: app.requireRole('coordinator'),
      schema: {
        tags: ['assignment commands'],
        operationId: 'restartAssignment',
        summary:
          'Restart an assignment whose workflow was closed while its work is open, from its last recorded state (coordinator)',
        description:
          'For an assignment listed with "stopped" (terminated, failed or timed out in Temporal): a new run of its workflow carries the state the read model holds, and catches up the reminders and escalations due since. Refused for work that runs or has ended normally.',
        params: IdParams,
        response: { 200: Type.Ref('Assignment'), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) =>
      restartAssignment(app.deps, {
        principal: request.principal,
        actor: actorOf(request.principal),
        id: request.params.id,
      }),
  );

  app.post(
    '/v1/assignments/reassign-agency',
    {
      preHandler: app.requireRole('coordinator'),
      schema: {
        tags: ['assignment commands'],
        operationId: 'reassignAgencyWork',
        summary:
          'Move every open assignment of one agency to another (mergers), each keeping its history (coordinator)',
        body: Type.Object(
          {
            from: Type.String({ minLength: 1 }),
            to: Type.String({ minLength: 1 }),
            reason: Type.String({ minLength: 1 }),
            plan: Type.Optional(Type.String({ description: 'Only this plan (its id)' })),
            registry: Type.Optional(
              Type.String({ description: 'The registry of both agencies; required when several know "from"' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            reassigned: Type.Array(Type.String()),
            refused: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
          }),
          ...problemResponses(400, 401, 403, 422),
        },
      },
    },
    async (request) => {
      const { from, to, reason, plan, registry } = request.body;
      const own = request.principal.registry;
      if (own !== undefined && registry !== undefined && registry !== own)
        throw forbidden(`Chỉ được chuyển việc trong danh mục "${own}".`);
      return reassignAgency(app.deps, {
        from,
        to,
        reason,
        actor: actorOf(request.principal),
        ...(plan ? { planId: plan } : {}),
        ...((own ?? registry) !== undefined ? { registry: (own ?? registry)! } : {}),
      });
    },
  );
};

export default assignmentRoutes;
