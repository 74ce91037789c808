import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { registryFromJson } from '../domain/agencies/registry.ts';
import type { Database } from './client.ts';
import { agencyRegistries } from './schema.ts';

export const agencyDataDir = fileURLToPath(new URL('../data/agencies', import.meta.url));

/**
 * Adds the shipped agency registries (data/agencies/*.json) that the database does not have yet.
 * A registry already there is left alone: coordinators may have edited it.
 */
export async function seedAgencyRegistries(db: Database, dir = agencyDataDir): Promise<string[]> {
  const added: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    const registry = registryFromJson(JSON.parse(await readFile(join(dir, file), 'utf8')));
    const rows = await db
      .insert(agencyRegistries)
      .values({ key: registry.id, data: registry.data })
      .onConflictDoNothing()
      .returning({ key: agencyRegistries.key });
    if (rows.length > 0) added.push(registry.id);
  }
  return added;
}
