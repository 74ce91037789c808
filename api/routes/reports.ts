import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FileBody, problemResponses } from '../schemas/common.ts';
import { periodicReport, reportCsv, reportXlsx } from '../../services/periodic-report.ts';
import { DOCX_MIME, XLSX_MIME } from '../plugins/uploads.ts';
import { narrativeReport } from '../../services/narrative-report.ts';
import { forbidden } from '../problem.ts';
import type { Principal } from '../../domain/permissions.ts';
import type { FastifyReply } from 'fastify';
import { JSON_TYPE, sharedJsonRead } from '../shared-reads.ts';
import { readScope } from '../../services/read-scope.ts';

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/reports/periodic',
    {
      schema: {
        tags: ['reports'],
        operationId: 'getPeriodicReport',
        summary: 'For a reporting period, each agency and assignment: report on time, late, missing or not yet due',
        description:
          'JSON by default; CSV or XLSX with format=csv|xlsx or the Accept header. An agency sees its own rows.',
        querystring: Type.Object({
          period: Type.String({ pattern: '^\\d{4}-(Q1|H1|Q3|Y)$', description: '2026-Q1, 2026-H1, 2026-Q3 or 2026-Y' }),
          plan: Type.Optional(Type.String({ description: 'Plan code' })),
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')])),
        }),
        response: {
          200: {
            description: 'The report: JSON, or a CSV or XLSX attachment named bao-cao-<period>',
            content: {
              'application/json': { schema: Type.Ref('PeriodicReport') },
              'text/csv': { schema: Type.String({ description: 'UTF-8, comma-separated, with a header row' }) },
              [XLSX_MIME]: { schema: FileBody(XLSX_MIME, 'An Excel workbook') },
            },
          },
          ...problemResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const { period, plan, format } = request.query;
      const filter = { ...(plan ? { plan } : {}), ...readScope(request.principal) };
      const accept = request.headers.accept ?? '';
      const wanted = format ?? (accept.includes('text/csv') ? 'csv' : accept.includes(XLSX_MIME) ? 'xlsx' : 'json');
      if (wanted === 'json') {
        const body = await sharedJsonRead(app.deps.db, ['periodic-report', period, filter], () =>
          periodicReport(app.deps.db, period, filter),
        );
        return reply.type(JSON_TYPE).send(body as never);
      }
      const report = await periodicReport(app.deps.db, period, filter);
      const fileName = `bao-cao-${period}`;
      if (wanted === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${fileName}.csv"`)
          .send(reportCsv(report) as never);
      }
      return reply
        .type(XLSX_MIME)
        .header('content-disposition', `attachment; filename="${fileName}.xlsx"`)
        .send((await reportXlsx(report)) as never);
    },
  );
};

/**
 * Who may draft which narrative report: an agency its own only; the coordinator and leadership any
 * agency's of their registry, and the province's.
 */
function narrativeAgency(principal: Principal, agency: string | undefined): string | undefined {
  if (principal.role !== 'agency') return agency;
  if (agency === undefined)
    throw forbidden(
      'Báo cáo chung của tỉnh do cơ quan thường trực và lãnh đạo tải; quý cơ quan hãy tải báo cáo của cơ quan mình (agency=mã cơ quan).',
    );
  if (agency !== principal.agencyCode) throw forbidden('Quý cơ quan chỉ tải được báo cáo của cơ quan mình.');
  return agency;
}

const NarrativeQuery = Type.Object({
  period: Type.String({ pattern: '^\\d{4}-(Q1|H1|Q3|Y)$', description: '2027-Q1, 2027-H1, 2027-Q3 or 2027-Y' }),
  agency: Type.Optional(
    Type.String({ minLength: 1, maxLength: 40, description: 'Agency code: its own report; the province’s without it' }),
  ),
});
const narrativeResponses = {
  200: {
    description: 'The report drafted as a Word document, named bao-cao-cchc-<period>-<agency|tinh>.docx',
    content: { [DOCX_MIME]: { schema: FileBody(DOCX_MIME, 'A Word document (Decree 30/2020/NĐ-CP layout)') } },
  },
  ...problemResponses(400, 401, 403, 404),
};
const narrativeDescription =
  'Figures as of the period’s data cut-off (the same as the dashboard and the periodic report); drafted on ' +
  'request, so asking again after late filings regenerates it. An agency gets its own report only; the ' +
  'coordinator and leadership any agency’s of their registry, and the province’s (without agency).';

export const narrativeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const send = async (
    reply: FastifyReply,
    request: { principal: Principal },
    query: { period: string; agency?: string },
    plan?: string,
  ) => {
    const reportAgency = narrativeAgency(request.principal, query.agency);
    const scope = readScope(request.principal);
    const { body, fileName } = await narrativeReport(app.deps.db, {
      period: query.period,
      ...(plan ? { plan } : {}),
      ...(scope.registry !== undefined ? { registry: scope.registry } : {}),
      ...(reportAgency !== undefined ? { reportAgency } : {}),
    });
    return reply
      .type(DOCX_MIME)
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .send(body as never);
  };

  app.get(
    '/v1/plans/:id/reports/narrative',
    {
      schema: {
        tags: ['reports'],
        operationId: 'getPlanNarrativeReport',
        summary:
          'A plan’s periodic CCHC report for a period, drafted as an official .docx (an agency’s or the province’s)',
        description: narrativeDescription,
        params: Type.Object({ id: Type.String({ description: 'Plan slug, code or id' }) }),
        querystring: NarrativeQuery,
        response: narrativeResponses,
      },
    },
    async (request, reply) => send(reply, request, request.query, request.params.id),
  );

  app.get(
    '/v1/reports/narrative',
    {
      schema: {
        tags: ['reports'],
        operationId: 'getNarrativeReport',
        summary: 'The periodic CCHC report over every plan of the caller’s registry, drafted as an official .docx',
        description: narrativeDescription,
        querystring: NarrativeQuery,
        response: narrativeResponses,
      },
    },
    async (request, reply) => send(reply, request, request.query),
  );
};

export default reportRoutes;
