import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { PROBLEM_MEDIA_TYPE, problemResponses, problemStatuses } from '../schemas/common.ts';

export interface OpenapiOptions {
  /** Where people reach the API (e.g. behind the province's reverse proxy); the document's server. */
  publicUrl?: string;
  /**
   * Serve the interactive page (Swagger UI) at /docs. Off unless DONDOC_API_DOCS=true: it needs
   * inline scripts, which the rest of the site's policy refuses.
   */
  docsPage?: boolean;
}

const PROBLEM_REF = '#/components/schemas/Problem';

interface RouteLike {
  config?: { public?: boolean; rateLimit?: unknown };
}
interface SchemaLike {
  hide?: boolean;
  body?: unknown;
  response?: Record<string, unknown>;
}
interface ResponseLike {
  $ref?: string;
  content?: Record<string, { schema?: { $ref?: string } }>;
}

/**
 * The problems any route can answer with, whatever it declares: 400 (the query, path and body
 * are checked on every route), 401 where a token is needed, 429 where the request budget applies,
 * 413 and 415 where a body is read, 500 where a service is called.
 */
function withCommonProblems(schema: SchemaLike, route: RouteLike): SchemaLike {
  const config = route.config ?? {};
  const common = [
    400,
    ...(config.public === true ? [] : [401]),
    ...(schema.body !== undefined ? [413, 415] : []),
    ...(config.rateLimit === false ? [] : [429]),
    ...(config.public === true ? [] : [500]),
  ];
  const merged: Record<string, unknown> = { ...problemResponses(...common), ...schema.response };
  const response = Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((status) => [status, merged[status]]),
  );
  // A public route needs no token: say so, rather than inherit the document's bearer requirement.
  return { ...schema, ...(config.public === true ? { security: [] } : {}), response };
}

const headersOf: Record<number, Record<string, unknown>> = {
  401: { 'WWW-Authenticate': { description: 'Always "Bearer"', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds until the budget refills', schema: { type: 'integer' } } },
  503: {
    'Retry-After': { description: 'When given: seconds to wait before trying again', schema: { type: 'integer' } },
  },
};

/** Every problem response becomes a reference to one shared response component per status. */
function shareProblemResponses(document: Record<string, unknown>): Record<string, unknown> {
  const used = new Set<number>();
  const paths = (document.paths ?? {}) as Record<string, Record<string, { responses?: Record<string, ResponseLike> }>>;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const media = Object.keys(response.content ?? {});
        const shared = problemStatuses[Number(status)];
        if (!shared || media.length !== 1 || media[0] !== PROBLEM_MEDIA_TYPE) continue;
        if (response.content![PROBLEM_MEDIA_TYPE]!.schema?.$ref !== PROBLEM_REF) continue;
        operation.responses![status] = { $ref: `#/components/responses/${shared.name}` };
        used.add(Number(status));
      }
    }
  }
  const components = (document.components ?? {}) as Record<string, unknown>;
  const responses = Object.fromEntries(
    [...used]
      .sort((a, b) => a - b)
      .map((status) => {
        const { name, description } = problemStatuses[status]!;
        return [
          name,
          {
            description,
            ...(headersOf[status] ? { headers: headersOf[status] } : {}),
            content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: PROBLEM_REF } } },
          },
        ];
      }),
  );
  return { ...document, components: { ...components, responses } };
}

/**
 * The OpenAPI document is generated from the routes' TypeBox schemas: one schema, three uses
 * (validation, serialisation, documentation). Its conventions (docs/ARCHITECTURE.md, "The API's
 * contract"): every operation has an operationId, schemas with an `$id` are components under that
 * name, and problems are the shared responses of `problemStatuses`. `test/unit/openapi.test.ts`
 * lints the document with Redocly's recommended rules.
 */
export default fp<OpenapiOptions>(
  async (app, options) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Đôn đốc API',
          version: '1',
          description:
            'Carries out provincial administrative-reform plans: plans, assignments, reports, escalations. ' +
            'Problems are RFC 9457 problem details (application/problem+json) whose `detail` is in Vietnamese. ' +
            'Instants are RFC 3339 in UTC ("2026-03-19T01:00:00Z"); calendar days are YYYY-MM-DD, days of Vietnam.',
          // package.json says UNLICENSED: no open licence; LicenseRef- is SPDX's form for such a one.
          license: { name: 'Proprietary (UNLICENSED): all rights reserved', identifier: 'LicenseRef-Proprietary' },
        },
        servers: [
          options.publicUrl
            ? { url: options.publicUrl.replace(/\/+$/, ''), description: 'This deployment' }
            : { url: '/', description: 'The server this document was fetched from' },
        ],
        tags: [
          { name: 'plans', description: 'Importing plans and their revisions; moving a plan to a new registry' },
          { name: 'assignments', description: 'The assignments: one task for one lead agency' },
          { name: 'assignment commands', description: 'What agencies and the coordinator do to an assignment' },
          { name: 'agencies', description: 'Agency registries: agencies, aliases, mergers' },
          { name: 'reports', description: 'Periodic reports per agency (JSON, CSV, XLSX)' },
          { name: 'oversight', description: 'Escalations, figures per agency, the audit trail' },
          { name: 'notifications', description: "The caller's notifications" },
          { name: 'tokens', description: 'Bearer tokens, given and revoked by the coordinator' },
          { name: 'operations', description: 'Liveness and readiness, without a token' },
        ],
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        },
        security: [{ bearer: [] }],
      },
      // Components are named by their `$id` (Assignment, Problem…), not def-0, def-1…
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
      transform: ({ schema, url, route }) => {
        if (!schema || (schema as SchemaLike).hide) return { schema, url };
        return { schema: withCommonProblems(schema as SchemaLike, route as RouteLike) as typeof schema, url };
      },
      transformObject: (documents) =>
        'openapiObject' in documents
          ? (shareProblemResponses(
              documents.openapiObject as Record<string, unknown>,
            ) as typeof documents.openapiObject)
          : documents.swaggerObject,
    });
    if (options.docsPage) {
      await app.register(swaggerUi, { routePrefix: '/docs' });
      // The documentation page alone needs its inline script and styles.
      app.addHook('onSend', async (request, reply) => {
        if (request.url === '/docs' || request.url.startsWith('/docs/'))
          reply.header(
            'content-security-policy',
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
          );
      });
    }
    app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
