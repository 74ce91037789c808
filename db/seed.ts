import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  provinceRegistry,
  type CommuneEntry,
  type ProvinceEntry,
  type ProvinceTemplate,
} from '../domain/agencies/province-registry.ts';
import { registryFromJson } from '../domain/agencies/registry.ts';
import type { AgencyRegistry } from '../domain/agencies/types.ts';
import type { Database } from './client.ts';
import { agencyRegistries } from './schema.ts';

export const agencyDataDir = fileURLToPath(new URL('../data/agencies', import.meta.url));

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

/**
 * The registries shipped with the code: each data/agencies/*.json as written, then one per
 * provincial unit of data/agencies/provinces/provinces.json, expanded from the template beside it,
 * with its communes from communes.json.
 */
export async function shippedRegistries(dir = agencyDataDir): Promise<AgencyRegistry[]> {
  const registries: AgencyRegistry[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    registries.push(registryFromJson(await readJson(join(dir, file))));
  }
  const provinces = join(dir, 'provinces');
  if (existsSync(join(provinces, 'provinces.json'))) {
    const template = (await readJson(join(provinces, 'template.json'))) as ProvinceTemplate;
    const list = (await readJson(join(provinces, 'provinces.json'))) as { provinces: ProvinceEntry[] };
    const communes = existsSync(join(provinces, 'communes.json'))
      ? ((await readJson(join(provinces, 'communes.json'))) as { provinces: Record<string, CommuneEntry[]> }).provinces
      : {};
    for (const province of list.provinces)
      registries.push(registryFromJson(provinceRegistry(template, province, communes[province.key] ?? [])));
  }
  return registries;
}

/**
 * Adds the shipped agency registries that the database does not have yet.
 * A registry already there is left alone: coordinators may have edited it.
 */
export async function seedAgencyRegistries(db: Database, dir = agencyDataDir): Promise<string[]> {
  const added: string[] = [];
  for (const registry of await shippedRegistries(dir)) {
    const rows = await db
      .insert(agencyRegistries)
      .values({ key: registry.id, data: registry.data })
      .onConflictDoNothing()
      .returning({ key: agencyRegistries.key });
    if (rows.length > 0) added.push(registry.id);
  }
  return added;
}
