import { agencyLabel, type AgencyLabel } from '../domain/agencies/names.ts';
import { agencyLabelsIn } from '../db/agency-index.ts';
import type { Database } from '../db/client.ts';

/** Something that belongs to an agency of a registry by code: an account, an invitation, a token. */
interface OfAgency {
  agencyCode: string | null;
  registry: string | null;
}

/**
 * The same things, each with its agency's label (name, short name, code), so that a page names the
 * agency instead of showing its code; one query for all of them. A code its registry does not know
 * (or one without a registry) names itself.
 */
export async function withAgencyLabels<T extends OfAgency>(
  db: Pick<Database, 'execute'>,
  items: readonly T[],
): Promise<(T & { agency?: AgencyLabel })[]> {
  const labels = await agencyLabelsIn(
    db,
    items.flatMap((i) => (i.agencyCode && i.registry ? [{ registry: i.registry, code: i.agencyCode }] : [])),
  );
  return items.map((i) => {
    if (!i.agencyCode) return i;
    const agency = (i.registry && labels.get(`${i.registry}|${i.agencyCode}`)) || agencyLabel(i.agencyCode);
    return { ...i, agency };
  });
}

/** One of them, labelled. */
export const withAgencyLabel = async <T extends OfAgency>(db: Pick<Database, 'execute'>, item: T) =>
  (await withAgencyLabels(db, [item]))[0]!;
