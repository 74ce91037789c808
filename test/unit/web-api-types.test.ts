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
});
