import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import {
  checkFileUpload,
  DELIVERABLE_FILE_LIMIT,
  INLINE_TYPES,
  listDeliverableFiles,
  readDeliverableFile,
  storeDeliverableFile,
} from '../../services/deliverable-files.ts';
import { actorOf } from '../auth/actor.ts';
import { disposition } from '../disposition.ts';
import { badRequest, HttpProblem } from '../problem.ts';
import { problemResponses } from '../schemas/common.ts';

export const DeliverableFile = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    assignmentId: Type.String(),
    sha256: Type.String({ description: 'SHA-256 of the content, hex; also in the audit trail' }),
    fileName: Type.String(),
    contentType: Type.String({ description: 'As read from the bytes' }),
    size: Type.Integer(),
    uploadedBy: Type.String(),
    uploadedAt: Type.String(),
    submission: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Index of the submission it went with; null until submitted',
    }),
  },
  { $id: 'DeliverableFile' },
);

/** Files that go with deliverables: sent by the lead agency, read by whoever may read the assignment. */
const fileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(DeliverableFile);
  const files = app.files;

  app.post(
    '/v1/assignments/:id/files',
    {
      // Who sends what to which assignment is checked before a byte of the body is read.
      preParsing: async (request: FastifyRequest<{ Params: { id: string } }>, _reply, payload) => {
        await checkFileUpload(app.deps.db, request.params.id, request.principal);
        return payload;
      },
      schema: {
        operationId: 'uploadDeliverableFile',
        tags: ['assignment commands'],
        summary: 'Send the file of a deliverable (lead agency): PDF, DOCX, XLSX, PNG, JPEG or WebP, up to 20 MB',
        description:
          'multipart/form-data with field "file". The type is read from the content. Then submit the deliverable with its "file" id.',
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        body: {
          content: { 'multipart/form-data': { schema: Type.Unsafe({ description: 'Field "file"' }) } },
        } as never,
        response: { 201: Type.Ref('DeliverableFile'), ...problemResponses(400, 401, 403, 404, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw badRequest('Gửi tệp dạng multipart/form-data, trường "file".');
      const part = await request.file({ limits: { fileSize: DELIVERABLE_FILE_LIMIT, files: 1 } });
      if (!part) throw badRequest('Chưa đính kèm tệp (trường "file").', [{ field: 'file', message: 'thiếu tệp' }]);
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch {
        throw new HttpProblem(413, `Tệp lớn hơn ${DELIVERABLE_FILE_LIMIT / 1024 / 1024} MB.`);
      }
      const stored = await storeDeliverableFile(app.deps.db, files, {
        assignmentId: request.params.id,
        principal: request.principal,
        actor: actorOf(request.principal),
        bytes,
        fileName: part.filename,
      });
      return reply.status(201).send(stored);
    },
  );

  app.get(
    '/v1/assignments/:id/files',
    {
      schema: {
        operationId: 'listDeliverableFiles',
        tags: ['assignments'],
        summary: 'The files sent with the deliverables of an assignment',
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('DeliverableFile')),
            nextCursor: Type.Null(),
            total: Type.Integer({ minimum: 0, description: 'How many there are in all' }),
          }),
          ...problemResponses(401, 404),
        },
      },
    },
    async (request) => {
      const items = await listDeliverableFiles(app.deps.db, request.params.id, request.principal);
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.get(
    '/v1/files/:id',
    {
      schema: {
        operationId: 'downloadDeliverableFile',
        tags: ['assignments'],
        summary: 'Download a deliverable file (whoever may read its assignment)',
        description: 'PDF and images may be shown in the browser; everything else is sent as an attachment.',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Unsafe({
            description: 'The file',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          }),
          ...problemResponses(401, 404),
        },
      },
    },
    async (request, reply) => {
      const { file, content } = await readDeliverableFile(app.deps.db, files, request.params.id, request.principal);
      const inline = INLINE_TYPES.has(file.contentType);
      return reply
        .type(file.contentType)
        .header('content-disposition', disposition(inline ? 'inline' : 'attachment', file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
        .header('content-length', file.size)
        .send(content);
    },
  );
};

export default fileRoutes;
