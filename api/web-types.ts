import { fileURLToPath } from 'node:url';

/**
 * The web app's API types, generated from the OpenAPI document the server serves (/openapi.json),
 * so that the pages' shapes have one source: the route schemas. `npm run web:types` writes
 * web/api-types.d.ts; test/unit/web-api-types.test.ts fails when the file is not current.
 */

export const WEB_TYPES_FILE = fileURLToPath(new URL('../web/api-types.d.ts', import.meta.url));

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  description?: string;
};

type Content = Record<string, { schema?: Schema }>;

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Content }; responses?: Record<string, { content?: Content }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

const identifier = /^[A-Za-z_$][\w$]*$/;
const key = (name: string) => (identifier.test(name) ? name : JSON.stringify(name));

/** One JSON Schema (as TypeBox writes it) as a TypeScript type. */
function typeOf(schema: Schema | undefined, indent = ''): string {
  if (!schema) return 'unknown';
  if (schema.$ref) return schema.$ref.replace('#/components/schemas/', '');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.map((s) => typeOf(s, indent)))].join(' | ');
  if (schema.allOf) return schema.allOf.map((s) => typeOf(s, indent)).join(' & ');
  if (Array.isArray(schema.type)) return schema.type.map((t) => typeOf({ ...schema, type: t }, indent)).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${typeOf(schema.items, indent)}>`;
    case 'object':
    case undefined: {
      const inner = `${indent}  `;
      const required = new Set(schema.required ?? []);
      const fields = Object.entries(schema.properties ?? {}).map(
        ([name, s]) => `${inner}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(s, inner)};`,
      );
      const extra =
        typeof schema.additionalProperties === 'object'
          ? schema.additionalProperties
          : Object.values(schema.patternProperties ?? {})[0];
      if (extra) fields.push(`${inner}[key: string]: ${typeOf(extra, inner)};`);
      if (fields.length === 0) return schema.type === 'object' ? 'Record<string, unknown>' : 'unknown';
      return `{\n${fields.join('\n')}\n${indent}}`;
    }
    default:
      return 'unknown';
  }
}

/** The TypeScript declarations: every component schema, and what each GET path answers. */
export function webApiTypes(document: OpenApiDocument): string {
  const lines = ['// Generated from /openapi.json by `npm run web:types` (api/web-types.ts). Do not edit by hand.', ''];
  for (const [name, schema] of Object.entries(document.components.schemas).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`export type ${name} = ${typeOf(schema)};`, '');
  lines.push('/** What each GET route answers with 200, by its path as the OpenAPI document writes it. */');
  lines.push('export interface Reads {');
  for (const [path, methods] of Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b))) {
    const schema = methods.get?.responses?.['200']?.content?.['application/json']?.schema;
    if (schema) lines.push(`  ${JSON.stringify(path)}: ${typeOf(schema, '  ')};`);
  }
  lines.push('}', '');
  lines.push(
    "/** Every JSON operation, keyed 'METHOD /path/{param}': the body it takes and what it answers (null: 204). */",
  );
  lines.push('export interface Operations {');
  for (const [path, methods] of Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b)))
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const operation = methods[method];
      if (!operation) continue;
      const answers = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      const json = answers.flatMap(([, r]) => (r.content?.['application/json'] ? [r.content['application/json']] : []));
      const empty = answers.some(
        ([status, r]) => status === '204' || !r.content || Object.keys(r.content).length === 0,
      );
      // Files (a .docx, a feed, an event stream) are links the page follows, not calls it makes.
      if (json.length === 0 && !empty) continue;
      const response = [...new Set([...json.map((c) => typeOf(c.schema, '    ')), ...(empty ? ['null'] : [])])];
      const content = operation.requestBody?.content ?? {};
      const body = [
        ...(content['application/json'] ? [typeOf(content['application/json'].schema, '    ')] : []),
        ...(content['multipart/form-data'] ? ['FormData'] : []),
      ];
      lines.push(`  ${JSON.stringify(`${method.toUpperCase()} ${path}`)}: {`);
      lines.push(`    body: ${body.length ? body.join(' | ') : 'undefined'};`);
      lines.push(`    response: ${response.join(' | ')};`);
      lines.push('  };');
    }
  lines.push('}', '');
  return lines.join('\n');
}

/** The declarations as the file holds them: generated, then formatted by the project's Prettier. */
export async function formattedWebApiTypes(document: OpenApiDocument): Promise<string> {
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(WEB_TYPES_FILE);
  return prettier.format(webApiTypes(document), { ...options, filepath: WEB_TYPES_FILE });
}
