import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { formattedWebApiTypes, webApiTypes, WEB_TYPES_FILE } from '../../api/web-types.ts';
import { createLogger } from '../../runtime/logger.ts';
import type { ServiceDeps } from '../../services/deps.ts';

const logger = createLogger({ name: 'test', level: 'silent', pretty: false });

async function document() {
  const app = await buildApp({} as ServiceDeps, { logger });
  try {
    return (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  } finally {
    await app.close();
  }
}

describe("the web app's API types", () => {
  it('are current: web/api-types.d.ts is what /openapi.json generates (run `npm run web:types` after a schema change)', async () => {
    const committed = await readFile(WEB_TYPES_FILE, 'utf8');
    expect(committed).toBe(await formattedWebApiTypes(await document()));
  });

  it('name the shapes the pages read, with their unions and optional fields', () => {
    const text = webApiTypes({
      paths: {
        '/v1/things/{id}': {
          get: {
            responses: {
              '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            },
          },
        },
      },
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id', 'status'],
            properties: {
              id: { type: 'string' },
              status: {
                anyOf: [
                  { type: 'string', enum: ['open'] },
                  { type: 'string', enum: ['closed'] },
                ],
              },
              due: { anyOf: [{ type: 'string' }, { type: 'null' }] },
              tags: { type: 'array', items: { type: 'string' } },
              extra: { type: 'object', additionalProperties: { type: 'integer' } },
            },
          },
        },
      },
    });
    expect(text).toContain('export type Thing = {');
    expect(text).toContain('  status: "open" | "closed";');
    expect(text).toContain('  due?: string | null;');
    expect(text).toContain('  tags?: Array<string>;');
    expect(text).toContain('[key: string]: number;');
    expect(text).toContain('"/v1/things/{id}": Thing;');
  });

  it('type each call: the body an operation takes and what it answers, null for 204, FormData for uploads', () => {
    const json = (schema: object) => ({ content: { 'application/json': { schema } } });
    const text = webApiTypes({
      paths: {
        '/v1/things': {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
                },
              },
            },
            responses: { '201': json({ $ref: '#/components/schemas/Thing' }) },
          },
        },
        '/v1/things/{id}': { delete: { responses: { '204': {} } } },
        '/v1/things/{id}/files': {
          post: {
            requestBody: { content: { 'multipart/form-data': { schema: {} } } },
            responses: { '201': json({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }) },
          },
        },
        '/v1/things/{id}/report': { get: { responses: { '200': { content: { 'text/csv': { schema: {} } } } } } },
      },
      components: { schemas: { Thing: { type: 'object', properties: { id: { type: 'string' } } } } },
    });
    const operations = text.slice(text.indexOf('export interface Operations'));
    expect(operations).toContain(
      '"POST /v1/things": {\n    body: {\n      name: string;\n    };\n    response: Thing;',
    );
    expect(operations).toContain('"DELETE /v1/things/{id}": {\n    body: undefined;\n    response: null;');
    expect(operations).toContain('"POST /v1/things/{id}/files": {\n    body: FormData;');
    // A file the page links to (CSV, .docx) is not a call it makes.
    expect(operations).not.toContain('/report');
  });
});
