// `npm run web:types`: writes web/api-types.d.ts from the OpenAPI document of the app as the API
// process builds it (no database or Temporal needed to read /openapi.json).
import { writeFile } from 'node:fs/promises';
import { buildApp } from './app.ts';
import { createLogger } from '../runtime/logger.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { formattedWebApiTypes, WEB_TYPES_FILE } from './web-types.ts';

const app = await buildApp({} as ServiceDeps, {
  logger: createLogger({ name: 'web-types', level: 'silent', pretty: false }),
});
try {
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  await writeFile(WEB_TYPES_FILE, await formattedWebApiTypes(document));
  console.log(`wrote ${WEB_TYPES_FILE}`);
} finally {
  await app.close();
}
