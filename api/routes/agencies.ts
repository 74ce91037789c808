import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../../domain/permissions.ts';
import { badRequest, forbidden, notFound } from '../problem.ts';
import { AgencyBody, AgencyParams, AgencyQuery, MergeBody, RegistryParams } from '../schemas/agency.ts';
import { CountedPage, FileBody, problemResponses } from '../schemas/common.ts';
import { encodeCursor, readCursor } from '../cursor.ts';
import { actorOf } from '../auth/actor.ts';
import { XLSX_MIME } from '../plugins/uploads.ts';
import { exportAgencies, importAgencies } from '../../services/registry-table.ts';
import {
  defaultMergeReason,
  findAgencyByCode,
  listRegistries,
  mergeAgency,
  reassignToSuccessor,
  requireRegistry,
  saveAgency,
} from '../../services/registries.ts';
import { searchRegistryAgencies } from '../../services/agency-search.ts';

// Agency registries as coordinators edit them: agencies, aliases and the 2025 mergers. Each
// handler is one call into services/registries.ts so a per-route preHandler (auth) fits in front.

/** A coordinator of one province edits its own registry only. */
function ownRegistryOnly(principal: Principal, key: string): void {
  if (principal.registry !== undefined && principal.registry !== key)
    throw forbidden(`Chỉ được sửa danh mục cơ quan "${principal.registry}".`);
}

const agencyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/registries',
    {
      schema: {
        tags: ['agencies'],
        operationId: 'listRegistries',
        summary: 'List agency registries, or find them by name',
        querystring: Type.Object({
          q: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'Part of the name or key, with or without diacritics ("vinh phuc", "Hà Nội")',
            }),
          ),
        }),
        response: { 200: CountedPage(Type.Ref('RegistrySummary')), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const items = await listRegistries(app.deps.db, request.query.q);
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.get(
    '/v1/registries/:key/agencies',
    {
      schema: {
        tags: ['agencies'],
        operationId: 'listAgencies',
        summary: 'List or search the agencies of a registry',
        description:
          'Ordered by code. `q` matches the name, its short form, the code or an alias, ignoring case and ' +
          'diacritics: the agency picker types a few letters of a name. Agencies merged into another are left out ' +
          'unless includeMerged=true. Searched in the registry’s own rows, so a province of thousands of communes ' +
          'answers as fast as one of thirty departments.',
        params: RegistryParams,
        querystring: AgencyQuery,
        response: { 200: CountedPage(Type.Ref('Agency')), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { q, kind, includeMerged, limit, cursor } = request.query;
      const after = readCursor(cursor, 'string');
      const { items, last, total } = await searchRegistryAgencies(app.deps.db, request.params.key, {
        q,
        kind,
        includeMerged: includeMerged ?? false,
        after,
        limit: limit ?? 100,
      });
      return { items, nextCursor: last ? encodeCursor([last]) : null, total };
    },
  );

  app.get(
    '/v1/registries/:key/agencies/:code',
    {
      schema: {
        tags: ['agencies'],
        operationId: 'getAgency',
        summary: 'One agency of a registry',
        params: AgencyParams,
        response: { 200: Type.Ref('Agency'), ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { key, code } = request.params;
      const agency = findAgencyByCode(await requireRegistry(app.deps.db, key), code);
      if (!agency) throw notFound(`Không có cơ quan mã "${code}" trong danh mục "${key}".`);
      return agency;
    },
  );

  app.put(
    '/v1/registries/:key/agencies/:code',
    {
      preHandler: app.requireRole('coordinator'),
      schema: {
        tags: ['agencies'],
        operationId: 'saveAgency',
        summary: 'Create or replace an agency',
        description:
          'Replaces the name, kind and aliases (aliases left out means none). A merger is kept; ' +
          'it is changed only through the merge endpoint. A name or alias that already stands for another agency is refused.',
        params: AgencyParams,
        body: AgencyBody,
        response: { 200: Type.Ref('Agency'), 201: Type.Ref('Agency'), ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const { key, code } = request.params;
      ownRegistryOnly(request.principal, key);
      const { code: bodyCode, name, kind, aliases } = request.body;
      if (bodyCode !== undefined && bodyCode !== code) {
        throw badRequest(`Mã cơ quan trong dữ liệu ("${bodyCode}") khác mã trên đường dẫn ("${code}").`, [
          { field: '/code', message: `Phải là "${code}" hoặc bỏ trống.` },
        ]);
      }
      const { agency, created } = await saveAgency(
        app.deps.db,
        key,
        code,
        { name, kind, ...(aliases ? { aliases } : {}) },
        actorOf(request.principal),
      );
      return reply.status(created ? 201 : 200).send(agency);
    },
  );

  app.post(
    '/v1/registries/:key/agencies/:code/merge',
    {
      preHandler: app.requireRole('coordinator'),
      schema: {
        tags: ['agencies'],
        operationId: 'mergeAgency',
        summary: 'Mark an agency as merged into its successor, and move its open work there',
        description:
          'New work naming the agency goes to the successor. With reassignOpenWork (the default) every open ' +
          "assignment the agency leads in this registry's plans is reassigned, keeping its history; assignments the " +
          'workflow will not move (a deliverable awaiting review) are listed in `refused`. Calling again moves what is left.',
        params: AgencyParams,
        body: MergeBody,
        response: { 200: Type.Ref('MergeResult'), ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const { key, code } = request.params;
      ownRegistryOnly(request.principal, key);
      const { into, reason, reassignOpenWork } = request.body;
      const { agency, successor } = await mergeAgency(app.deps.db, key, code, into, actorOf(request.principal));
      if (reassignOpenWork === false) return { agency, successor, reassigned: [], refused: [] };
      const moved = await reassignToSuccessor(app.deps, {
        registry: key,
        from: code,
        to: successor.code,
        reason: reason ?? defaultMergeReason(agency, successor),
        actor: actorOf(request.principal),
      });
      return { agency, successor, ...moved };
    },
  );

  app.get(
    '/v1/registries/:key/agencies/export',
    {
      schema: {
        tags: ['agencies'],
        operationId: 'exportAgencies',
        summary: "A registry's agencies as a table (CSV or XLSX), to review or edit and import back",
        params: RegistryParams,
        querystring: Type.Object(
          { format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' })) },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The table, as an attachment named co-quan-<key>.csv or .xlsx',
            content: {
              'text/csv': { schema: Type.String({ description: 'UTF-8, comma-separated, with a header row' }) },
              [XLSX_MIME]: { schema: FileBody(XLSX_MIME, 'An Excel workbook, one sheet') },
            },
          },
          ...problemResponses(401, 404),
        },
      },
    },
    async (request, reply) => {
      const { key } = request.params;
      const format = request.query.format ?? 'csv';
      const table = await exportAgencies(app.deps.db, key, format);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_MIME)
        .header('content-disposition', `attachment; filename="co-quan-${key}.${format}"`)
        .send(table);
    },
  );

  app.post(
    '/v1/registries/:key/agencies/import',
    {
      preParsing: app.requireRoleBeforeBody('coordinator'),
      schema: {
        tags: ['agencies'],
        operationId: 'importAgencies',
        summary: "Add or replace agencies from a table (CSV or XLSX): a province's communes, or a reviewed export",
        description:
          'The raw body is the file. Columns: Mã (made from the name when empty), Tên, Loại (default commune; xã, phường ' +
          'and đặc khu are communes), Tên khác (separated by ";"), Hợp nhất vào. All or nothing; problems are named by row and column.',
        params: RegistryParams,
        body: { content: { 'text/csv': { schema: {} }, [XLSX_MIME]: { schema: {} } } } as never,
        response: {
          200: Type.Object({ added: Type.Integer(), updated: Type.Integer() }),
          ...problemResponses(400, 401, 403, 404, 415, 422),
        },
      },
    },
    async (request) => {
      ownRegistryOnly(request.principal, request.params.key);
      const body = request.body;
      if (!Buffer.isBuffer(body)) throw badRequest('Gửi tệp bảng cơ quan (CSV hoặc XLSX) trong thân yêu cầu.');
      return importAgencies(app.deps.db, request.params.key, new Uint8Array(body), actorOf(request.principal));
    },
  );
};

export default agencyRoutes;
