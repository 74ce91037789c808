import { and, eq, inArray, sql } from 'drizzle-orm';
import { agencyLabel, agencyShortName, type AgencyLabel } from '../domain/agencies/names.ts';
import type { RegistryData } from '../domain/agencies/types.ts';
import { fold } from '../domain/text.ts';
import { agencyCodesIn, withAgencyNames } from '../domain/agency-names-in-text.ts';
import type { Database } from './client.ts';
import { agencyRegistries, registryAgencies } from './schema.ts';

// The registries' agencies as rows (registry_agencies), written with the registry's JSON in the
// same transaction: every edit goes through services/registries.ts `editRegistry`, every first
// load through db/seed.ts, and both call `indexRegistryAgencies`. The start (the seed) writes
// again any registry whose rows are missing, fewer than its agencies or of an older rule.

/** Raise when the short-name rule or the search text changes: the next start rewrites every registry's rows. */
export const AGENCY_INDEX_VERSION = 1;

type Writer = Pick<Database, 'delete' | 'insert'>;

/** The rows of one registry's agencies, replacing those it had. */
export async function indexRegistryAgencies(db: Writer, data: RegistryData): Promise<void> {
  await db.delete(registryAgencies).where(eq(registryAgencies.registry, data.registry));
  const rows = data.agencies.map((a) => {
    const shortName = agencyShortName(a.name);
    return {
      registry: data.registry,
      code: a.code,
      name: a.name,
      shortName,
      kind: a.kind,
      mergedInto: a.mergedInto ?? null,
      search: fold([a.name, shortName, a.code, ...(a.aliases ?? [])].join(' | ')),
      version: AGENCY_INDEX_VERSION,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(registryAgencies).values(rows.slice(i, i + 1000));
}

/** Writes the rows of every registry whose rows are missing, incomplete or of an older rule; returns their keys. */
export async function indexStaleRegistries(db: Database): Promise<string[]> {
  const { rows } = await db.execute<{ key: string }>(sql`
    select r.key from ${agencyRegistries} r
    left join (
      select registry, count(*)::int as n, min(version) as low, max(version) as high
      from ${registryAgencies} group by registry
    ) i on i.registry = r.key
    where coalesce(i.n, 0) <> coalesce(jsonb_array_length(r.data->'agencies'), 0)
       or i.low <> ${AGENCY_INDEX_VERSION} or i.high <> ${AGENCY_INDEX_VERSION}
    order by r.key`);
  for (const { key } of rows) {
    await db.transaction(async (tx) => {
      // The registry's row lock orders this with an edit (and with another process starting).
      const [row] = await tx
        .select({ data: agencyRegistries.data })
        .from(agencyRegistries)
        .where(eq(agencyRegistries.key, key))
        .for('update');
      if (row) await indexRegistryAgencies(tx, row.data);
    });
  }
  return rows.map((r) => r.key);
}

/** The labels of some agencies of one registry, by code; a code the registry does not know names itself. */
export async function agencyLabels(
  db: Pick<Database, 'select'>,
  registry: string,
  codes: Iterable<string>,
): Promise<Map<string, AgencyLabel>> {
  const wanted = [...new Set(codes)];
  const found = new Map<string, AgencyLabel>();
  if (wanted.length === 0) return found;
  const rows = await db
    .select({ code: registryAgencies.code, name: registryAgencies.name, shortName: registryAgencies.shortName })
    .from(registryAgencies)
    .where(and(eq(registryAgencies.registry, registry), inArray(registryAgencies.code, wanted)));
  for (const r of rows) found.set(r.code, agencyLabel(r.code, r));
  for (const code of wanted) if (!found.has(code)) found.set(code, agencyLabel(code));
  return found;
}

/** Labels of agencies of several registries at once, keyed `${registry}|${code}`. */
export async function agencyLabelsIn(
  db: Pick<Database, 'execute'>,
  pairs: Iterable<{ registry: string; code: string }>,
): Promise<Map<string, AgencyLabel>> {
  const keyed = new Map<string, { registry: string; code: string }>();
  for (const p of pairs) keyed.set(`${p.registry}|${p.code}`, p);
  const found = new Map<string, AgencyLabel>();
  if (keyed.size === 0) return found;
  const registries = [...new Set([...keyed.values()].map((p) => p.registry))];
  const codes = [...new Set([...keyed.values()].map((p) => p.code))];
  const { rows } = await db.execute<{ registry: string; code: string; name: string; short_name: string }>(sql`
    select registry, code, name, short_name from ${registryAgencies}
    where registry = any(${sql.param(registries)}::text[]) and code = any(${sql.param(codes)}::text[])`);
  for (const r of rows)
    found.set(`${r.registry}|${r.code}`, agencyLabel(r.code, { name: r.name, shortName: r.short_name }));
  for (const [key, p] of keyed) if (!found.has(key)) found.set(key, agencyLabel(p.code));
  return found;
}

/**
 * Texts that name agencies by code (notifications, the workflow's refusals), each with the codes its
 * registry knows replaced by the agency's name (domain/agency-names-in-text.ts), in one query.
 */
export async function namedTexts(
  db: Pick<Database, 'execute'>,
  items: readonly { registry: string | null; text: string }[],
): Promise<string[]> {
  const names = await agencyLabelsIn(
    db,
    items.flatMap((i) => (i.registry ? agencyCodesIn(i.text).map((code) => ({ registry: i.registry!, code })) : [])),
  );
  return items.map((i) =>
    withAgencyNames(i.text, (code) => {
      const found = i.registry ? names.get(`${i.registry}|${code}`) : undefined;
      return found && found.name !== code ? found.name : undefined;
    }),
  );
}
