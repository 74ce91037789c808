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
import { eq } from 'drizzle-orm';
import { withCommunesGrouped } from '../domain/agencies/agency-table.ts';
import { buildRegistry, RegistryError, registryFromJson } from '../domain/agencies/registry.ts';
import type { AgencyRegistry, RegistryData } from '../domain/agencies/types.ts';
import { COMMUNES_TOGETHER } from '../domain/appendix/agency-cells.ts';
import type { Database } from './client.ts';
import { agencyRegistries } from './schema.ts';
import { indexStaleRegistries } from './agency-index.ts';

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
 * A province's registry seeded before the communes shipped, given them: the shipped communes (and
 * the agency the commune level is assigned to together), nothing else touched. Undefined when it
 * has communes already, or when they would clash with what its coordinators wrote.
 */
function withShippedCommunes(stored: RegistryData, shipped: AgencyRegistry): RegistryData | undefined {
  if (stored.agencies.some((a) => a.kind === 'commune')) return undefined;
  const known = new Set(stored.agencies.map((a) => a.code));
  const communes = shipped.data.agencies.filter(
    (a) => (a.kind === 'commune' || a.code === COMMUNES_TOGETHER) && !known.has(a.code),
  );
  if (!communes.some((a) => a.kind === 'commune')) return undefined;
  try {
    return withCommunesGrouped(buildRegistry({ ...stored, agencies: [...stored.agencies, ...communes] })).data;
  } catch (error) {
    if (error instanceof RegistryError) return undefined;
    throw error;
  }
}

/**
 * Adds the shipped agency registries that the database does not have yet. A registry already there
 * is left alone, coordinators may have edited it, except that a province's gains the communes it
 * did not list (they shipped later). Then every registry's agencies are indexed as rows where
 * they are not yet, or by an older rule (db/agency-index.ts).
 */
export async function seedAgencyRegistries(db: Database, dir = agencyDataDir): Promise<string[]> {
  const added: string[] = [];
  for (const registry of await shippedRegistries(dir)) {
    const rows = await db
      .insert(agencyRegistries)
      .values({ key: registry.id, data: registry.data })
      .onConflictDoNothing()
      .returning({ key: agencyRegistries.key });
    if (rows.length > 0) {
      added.push(registry.id);
      continue;
    }
    const [stored] = await db.select().from(agencyRegistries).where(eq(agencyRegistries.key, registry.id));
    const upgraded = stored && withShippedCommunes(stored.data, registry);
    if (upgraded) {
      await db
        .update(agencyRegistries)
        .set({ data: upgraded, updatedAt: new Date() })
        .where(eq(agencyRegistries.key, registry.id));
      added.push(`${registry.id} (xã, phường, đặc khu)`);
    }
  }
  await indexStaleRegistries(db);
  return added;
}
