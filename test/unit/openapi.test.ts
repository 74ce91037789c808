import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { createLogger } from '../../runtime/logger.ts';
import type { ServiceDeps } from '../../services/deps.ts';

// The document as clients fetch it, from the app the API process builds. Building the app and
// reading /openapi.json (public) touches neither the database nor Temporal, so none is given.
const redocly = fileURLToPath(new URL('../../node_modules/@redocly/cli/bin/cli.js', import.meta.url));
const logger = createLogger({ name: 'test', level: 'silent', pretty: false });

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}
interface Document {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content: Record<string, unknown> }> };
}

async function documentOf(options: { publicUrl?: string } = {}): Promise<Document> {
  const app = await buildApp({} as ServiceDeps, { logger, ...options });
  try {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    return response.json();
  } finally {
    await app.close();
  }
}

const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
  );

let document: Document;
let dir: string;

beforeAll(async () => {
  document = await documentOf();
  dir = await mkdtemp(join(tmpdir(), 'dondoc-openapi-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer?: string }[];
}

function lint(file: string): Promise<{ totals: { errors: number; warnings: number }; problems: LintProblem[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [redocly, 'lint', file, '--extends=recommended', '--format=json', '--max-problems=1000'],
      // No usage report and no update check: the linter stays on this machine.
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error(`redocly lint failed: ${error?.message ?? ''}\n${stderr}`));
        }
      },
    );
  });
}

describe('the OpenAPI document', () => {
  it("has no problem by Redocly's recommended rules", async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const { totals, problems } = await lint(file);
    // Accepted, and only this one: the draft's path and the plan's source both keep the names the
    // import page was designed on; a static segment ("drafts") wins in routing, and no plan is named "drafts".
    const accepted = (p: LintProblem) =>
      p.ruleId === 'no-ambiguous-paths' && p.message.includes('`/v1/plans/drafts/{id}` and `/v1/plans/{id}/source`');
    const listed = problems
      .filter((p) => !accepted(p))
      .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    expect(listed).toEqual([]);
    expect(totals.errors).toBe(0);
    expect(totals.warnings).toBe(problems.filter(accepted).length);
  }, 60_000);

  it('the linter does find problems: a document without operationIds fails', async () => {
    const broken = structuredClone(document);
    delete broken.paths['/v1/assignments']!.get!.operationId;
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify(broken));
    const { totals, problems } = await lint(file);
    expect(totals.warnings).toBeGreaterThan(0);
    expect(problems.map((p) => p.ruleId)).toContain('operation-operationId');
  }, 60_000);

  it('names every operation, once, in camelCase', () => {
    const ids = operations(document).map(({ name, operation }) => [name, operation.operationId] as const);
    expect(ids.length).toBeGreaterThan(30);
    for (const [name, id] of ids) expect(id, name).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
    expect(document.paths['/v1/assignments']!.get!.operationId).toBe('listAssignments');
  });

  it('names its schemas: none is def-N', () => {
    const names = Object.keys(document.components.schemas);
    expect(names.filter((name) => /^def-\d+$/.test(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['Problem', 'Assignment', 'AssignmentSummary', 'Agency']));
  });

  it('declares problems as application/problem+json, through shared responses', () => {
    for (const { name, operation } of operations(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]/.test(status) || name === 'GET /readyz') continue;
        expect(response.$ref, `${name} ${status}`).toMatch(/^#\/components\/responses\/[A-Z]\w+$/);
      }
    }
    for (const response of Object.values(document.components.responses))
      expect(Object.keys(response.content)).toEqual(['application/problem+json']);
  });

  it('documents 401, 429 and 500 wherever a token is needed, and 403 where a role is', () => {
    for (const { name, operation } of operations(document)) {
      if (operation.security?.length === 0) continue;
      expect(Object.keys(operation.responses), name).toEqual(expect.arrayContaining(['400', '401', '429', '500']));
    }
    expect(document.paths['/v1/tokens']!.post!.responses['403']).toBeDefined();
    expect(document.paths['/v1/audit']!.get!.responses['403']).toBeDefined();
  });

  it('declares the CSV and XLSX answers with their content types', () => {
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    for (const path of ['/v1/reports/periodic', '/v1/registries/{key}/agencies/export']) {
      const ok = document.paths[path]!.get!.responses['200']!;
      expect(Object.keys(ok.content ?? {}), path).toEqual(expect.arrayContaining(['text/csv', xlsx]));
    }
  });

  it('names its server: relative unless a public URL is configured', async () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const published = await documentOf({ publicUrl: 'https://dondoc.phutho.gov.vn/' });
    expect(published.servers).toEqual([expect.objectContaining({ url: 'https://dondoc.phutho.gov.vn' })]);
  });
});
