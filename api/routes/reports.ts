import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FileBody, problemResponses } from '../schemas/common.ts';
import { periodicReport, reportCsv, reportXlsx } from '../../services/periodic-report.ts';
import { XLSX_MIME } from '../plugins/uploads.ts';
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

export default reportRoutes;
