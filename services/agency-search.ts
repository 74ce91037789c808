import { and, asc, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { agencyShortName } from '../domain/agencies/names.ts';
import type { AgencyRecord } from '../domain/agencies/types.ts';
import { fold } from '../domain/text.ts';
import type { Database } from '../db/client.ts';
import { agencyRegistries, registryAgencies } from '../db/schema.ts';
import { registryNotFound, type AgencySearch, type AgencyView } from './registries.ts';

// The agency picker's search: the registry's agencies as rows (db/agency-index.ts), so a search of
// a province with its thousands of communes reads one registry's rows by its key and never loads
// or parses the registry's JSON. Only the page's own records are read from the JSON.

/** A LIKE pattern that matches `text` anywhere, with LIKE's own characters taken literally. */
export function containing(text: string): string {
  return `%${fold(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function conditions(key: string, search: Omit<AgencySearch, 'after' | 'limit'>): SQL[] {
  return [
    eq(registryAgencies.registry, key),
    search.includeMerged ? undefined : isNull(registryAgencies.mergedInto),
    search.kind ? eq(registryAgencies.kind, search.kind) : undefined,
    search.q ? sql`${registryAgencies.search} like ${containing(search.q)}` : undefined,
  ].filter((c): c is SQL => c !== undefined);
}

/**
 * A page of a registry's agencies ordered by code, with how many match in all; `q` matches the
 * name, its short form, the code or an alias, with or without diacritics ("so noi vu", "ubnd xa").
 */
export async function searchRegistryAgencies(
  db: Database,
  key: string,
  search: AgencySearch,
): Promise<{ items: AgencyView[]; last?: string; total: number }> {
  const [registry] = await db
    .select({ key: agencyRegistries.key })
    .from(agencyRegistries)
    .where(eq(agencyRegistries.key, key));
  if (!registry) throw registryNotFound(key);
  const where = conditions(key, search);
  const [page, [counted]] = await Promise.all([
    db
      .select({ code: registryAgencies.code })
      .from(registryAgencies)
      .where(
        and(
          ...where,
          search.after !== undefined ? sql`${registryAgencies.code} collate "C" > ${search.after}` : undefined,
        ),
      )
      // Byte order ("C" collation), as the cursor compares codes.
      .orderBy(asc(sql`${registryAgencies.code} collate "C"`))
      .limit(search.limit + 1),
    db
      .select({ n: count() })
      .from(registryAgencies)
      .where(and(...where)),
  ]);
  const codes = page.slice(0, search.limit).map((r) => r.code);
  const items = await agencyViews(db, key, codes);
  return {
    items,
    last: page.length > search.limit ? codes.at(-1) : undefined,
    total: Number(counted?.n ?? 0),
  };
}

/** The views of some agencies of a registry, in the order given: their records read from the JSON, successors from the rows. */
async function agencyViews(db: Database, key: string, codes: string[]): Promise<AgencyView[]> {
  if (codes.length === 0) return [];
  const { rows } = await db.execute<{ agency: AgencyRecord }>(sql`
    select x as agency from ${agencyRegistries} r, jsonb_array_elements(r.data->'agencies') x
    where r.key = ${key} and x->>'code' = any(${sql.param(codes)}::text[])`);
  const records = new Map(rows.map((r) => [r.agency.code, r.agency]));
  const successors = await successorsOf(db, key, [...records.values()]);
  return codes.flatMap((code) => {
    const a = records.get(code);
    if (!a) return [];
    const view: AgencyView = { code: a.code, name: a.name, shortName: agencyShortName(a.name), kind: a.kind };
    if (a.aliases && a.aliases.length > 0) view.aliases = [...a.aliases];
    if (a.existsFrom) view.existsFrom = a.existsFrom;
    if (a.existsUntil) view.existsUntil = a.existsUntil;
    if (a.mergedInto) {
      view.mergedInto = a.mergedInto;
      const successor = successors.get(a.code);
      if (successor) view.successor = successor;
    }
    return [view];
  });
}

/** The end of each merged agency's chain of mergers, followed through the rows a step at a time. */
async function successorsOf(
  db: Database,
  key: string,
  agencies: AgencyRecord[],
): Promise<Map<string, { code: string; name: string }>> {
  const chains = new Map(agencies.filter((a) => a.mergedInto).map((a) => [a.code, a.mergedInto!]));
  const known = new Map<string, { name: string; mergedInto: string | null }>();
  const result = new Map<string, { code: string; name: string }>();
  // A registry refuses cycles; the bound only keeps a damaged one from looping.
  for (let step = 0; step < 20 && chains.size > 0; step++) {
    const wanted = [...new Set(chains.values())].filter((c) => !known.has(c));
    if (wanted.length > 0) {
      const rows = await db
        .select({ code: registryAgencies.code, name: registryAgencies.name, mergedInto: registryAgencies.mergedInto })
        .from(registryAgencies)
        .where(and(eq(registryAgencies.registry, key), inArray(registryAgencies.code, wanted)));
      for (const r of rows) known.set(r.code, { name: r.name, mergedInto: r.mergedInto });
    }
    for (const [code, next] of [...chains]) {
      const found = known.get(next);
      if (!found) chains.delete(code);
      else if (found.mergedInto && found.mergedInto !== next) chains.set(code, found.mergedInto);
      else {
        result.set(code, { code: next, name: found.name });
        chains.delete(code);
      }
    }
  }
  return result;
}
