import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { ServiceError } from '../../services/errors.ts';
import { fromServiceError, HttpProblem, problemBody, type FieldError } from '../problem.ts';
import { UPLOAD_LIMIT_BYTES } from './uploads.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

interface ValidationItem {
  instancePath?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
  message?: string;
}

function fieldOf(item: ValidationItem, context: string | undefined): string {
  const base = item.instancePath ? item.instancePath : '';
  const extra = item.params?.missingProperty ?? item.params?.additionalProperty;
  const pointer = extra ? `${base}/${extra}` : base || '/';
  return context && context !== 'body' ? `${context}:${pointer}` : pointer;
}

/** PostgreSQL's class 22, "data exception" (22003 out of range, 22021 bad byte, 22P02 bad text), anywhere in the cause chain. */
function isDataException(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/**
 * One error handler for the whole API: every error leaves as problem+json; 4xx explain
 * themselves, 5xx are logged with the request's context and shown without details.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((thrown: FastifyError | HttpProblem | ServiceError, request, reply) => {
      const error = thrown instanceof ServiceError ? fromServiceError(thrown) : thrown;
      if (error instanceof HttpProblem) {
        const { errors, ...rest } = error.extra;
        return reply
          .headers(error.headers)
          .status(error.status)
          .type(PROBLEM)
          .send(
            problemBody(error.status, error.title, error.detail, request.url, {
              ...rest,
              ...(errors ? { errors } : {}),
            }),
          );
      }
      const fastifyError = error as FastifyError;
      if (fastifyError.validation) {
        const errors: FieldError[] = fastifyError.validation.map((item) => ({
          field: fieldOf(item as ValidationItem, fastifyError.validationContext),
          message: item.message ?? 'không hợp lệ',
        }));
        const list = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
        return reply
          .status(400)
          .type(PROBLEM)
          .send(problemBody(400, 'Bad Request', `Dữ liệu gửi lên không hợp lệ — ${list}`, request.url, { errors }));
      }
      if (isDataException(error)) {
        // The last line of defence: input the checks above let through and PostgreSQL refused
        // (a value out of its range, a byte it cannot store). The sender's fault, not ours.
        request.log.warn({ err: error }, 'input refused by the database');
        return reply
          .status(400)
          .type(PROBLEM)
          .send(problemBody(400, 'Bad Request', 'Dữ liệu gửi lên có giá trị nằm ngoài phạm vi cho phép.', request.url));
      }
      const status = fastifyError.statusCode && fastifyError.statusCode >= 400 ? fastifyError.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return reply
          .status(status)
          .type(PROBLEM)
          .send(
            problemBody(status, 'Internal Server Error', 'Đã có lỗi ở máy chủ; vui lòng thử lại sau.', request.url),
          );
      }
      const detail =
        status === 413
          ? `Tệp hoặc dữ liệu gửi lên quá lớn (tệp phụ lục tối đa ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB).`
          : status === 415
            ? 'Định dạng dữ liệu gửi lên không được hỗ trợ.'
            : fastifyError.message;
      return reply
        .status(status)
        .type(PROBLEM)
        .send(problemBody(status, new HttpProblem(status, '').title, detail, request.url));
    });

    app.setNotFoundHandler((request, reply) => {
      reply
        .status(404)
        .type(PROBLEM)
        .send(problemBody(404, 'Not Found', `Không có đường dẫn ${request.method} ${request.url}.`, request.url));
    });
  },
  { name: 'errors' },
);
