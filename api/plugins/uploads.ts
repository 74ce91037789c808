import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';

/** An appendix is a few hundred kilobytes; ten megabytes leaves room and refuses the absurd. */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/** A whole plan sent as JSON (POST /v1/plans), the one large JSON body. */
export const PLAN_JSON_LIMIT = 20 * 1024 * 1024;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Content types a plan file may be sent as, raw in the body. */
export const RAW_PLAN_TYPES = [
  'text/plain',
  'text/csv',
  'application/csv',
  XLSX_MIME,
  DOCX_MIME,
  'application/octet-stream',
];

/** Plan files arrive as multipart uploads or as a raw body; both become bytes for the readers. */
export default fp(
  async (app) => {
    await app.register(multipart, {
      limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024 },
    });
    app.addContentTypeParser(
      RAW_PLAN_TYPES,
      { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
  },
  { name: 'uploads' },
);
