import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { buildRegistry, RegistryError, resolveSuccessor, withAgency, withMerge } from '../domain/agencies/registry.ts';
import { nameKey } from '../domain/agencies/tokens.ts';
import { agencyShortName, registryDisplayName } from '../domain/agencies/names.ts';
import { CENTRAL_REGISTRY, type AgencyKind, type AgencyRecord, type AgencyRegistry } from '../domain/agencies/types.ts';
import { openStatuses, type Actor } from '../domain/lifecycle.ts';
import { fold } from '../domain/text.ts';
import type { Database } from '../db/client.ts';
import { agencyRegistries, assignments, plans } from '../db/schema.ts';
import { indexRegistryAgencies } from '../db/agency-index.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { Invalid, NotFound, type FieldError } from './errors.ts';
import { reassignOpenAssignments, type BulkReassignResult } from './bulk-reassign.ts';
import { proposedRecord } from '../domain/appendix/proposed-agencies.ts';
import type { ProposedAgency } from '../domain/appendix/types.ts';

export async function loadRegistry(db: Database, key: string): Promise<AgencyRegistry | undefined> {
  const [row] = await db.select().from(agencyRegistries).where(eq(agencyRegistries.key, key));
  return row ? buildRegistry(row.data) : undefined;
}

/** The registry a plan's agencies come from. */
export async function loadPlanRegistry(db: Database, planId: string): Promise<AgencyRegistry | undefined> {
  const [plan] = await db.select({ registry: plans.registry }).from(plans).where(eq(plans.id, planId));
  return plan ? loadRegistry(db, plan.registry) : undefined;
}

export const registryNotFound = (key: string) => new NotFound(`Không có danh mục cơ quan "${key}".`);

export async function requireRegistry(db: Database, key: string): Promise<AgencyRegistry> {
  const registry = await loadRegistry(db, key);
  if (!registry) throw registryNotFound(key);
  return registry;
}

export interface RegistrySummary {
  key: string;
  /** What people call it: the province, "Trung ương", or "Vĩnh Phúc (trước 01/7/2025)" (domain/agencies/names.ts). */
  name: string;
  kind: 'province' | 'central';
  agencies: number;
  groups: number;
  updatedAt: string;
}

/**
 * Counted in SQL so that listing registries does not load every agency of every province. `q`
 * finds registries by name or key, with or without diacritics ("vinh phuc", "Hà Nội").
 */
export async function listRegistries(db: Database, q?: string): Promise<RegistrySummary[]> {
  const rows = await db
    .select({
      key: agencyRegistries.key,
      name: sql<string | null>`${agencyRegistries.data}->>'name'`,
      qualifiers: sql<string[] | null>`${agencyRegistries.data}->'qualifiers'`,
      agencies: sql<number>`coalesce(jsonb_array_length(${agencyRegistries.data}->'agencies'), 0)`,
      groups: sql<number>`coalesce(jsonb_array_length(${agencyRegistries.data}->'groups'), 0)`,
      updatedAt: agencyRegistries.updatedAt,
    })
    .from(agencyRegistries)
    .orderBy(asc(agencyRegistries.key));
  const needle = q ? fold(q) : '';
  return rows.flatMap((r) => {
    const name = registryDisplayName({ registry: r.key, name: r.name ?? undefined, qualifiers: r.qualifiers ?? [] });
    if (needle && !fold(`${name} ${r.key.replace(/-/g, ' ')}`).includes(needle)) return [];
    return [
      {
        key: r.key,
        name,
        kind: r.key === CENTRAL_REGISTRY ? 'central' : 'province',
        agencies: Number(r.agencies),
        groups: Number(r.groups),
        updatedAt: r.updatedAt.toISOString(),
      } satisfies RegistrySummary,
    ];
  });
}

/** The names people call registries by, for the keys given (a registry no longer there names itself). */
export async function registryNames(db: Database, keys: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(keys)];
  const names = new Map<string, string>();
  if (wanted.length === 0) return names;
  const rows = await db
    .select({
      key: agencyRegistries.key,
      name: sql<string | null>`${agencyRegistries.data}->>'name'`,
      qualifiers: sql<string[] | null>`${agencyRegistries.data}->'qualifiers'`,
    })
    .from(agencyRegistries)
    .where(inArray(agencyRegistries.key, wanted));
  for (const r of rows)
    names.set(
      r.key,
      registryDisplayName({ registry: r.key, name: r.name ?? undefined, qualifiers: r.qualifiers ?? [] }),
    );
  for (const key of wanted) if (!names.has(key)) names.set(key, key);
  return names;
}

export interface AgencyView extends AgencyRecord {
  /** Where space is tight: "UBND xã Tân Dương" (domain/agencies/names.ts). */
  shortName: string;
  successor?: { code: string; name: string };
}

/** An agency as shown: its record and, when merged, who does its work now. */
export function agencyView(registry: AgencyRegistry, agency: AgencyRecord): AgencyView {
  const view: AgencyView = {
    code: agency.code,
    name: agency.name,
    shortName: agencyShortName(agency.name),
    kind: agency.kind,
  };
  if (agency.aliases && agency.aliases.length > 0) view.aliases = [...agency.aliases];
  if (agency.existsFrom) view.existsFrom = agency.existsFrom;
  if (agency.existsUntil) view.existsUntil = agency.existsUntil;
  if (agency.mergedInto) {
    view.mergedInto = agency.mergedInto;
    const successor = resolveSuccessor(registry, agency.code);
    if (successor && successor.code !== agency.code) view.successor = { code: successor.code, name: successor.name };
  }
  return view;
}

export interface AgencySearch {
  q?: string;
  kind?: AgencyKind;
  includeMerged?: boolean;
  /** Code of the last agency of the previous page. */
  after?: string;
  limit: number;
}

/** A page of agencies ordered by code; `last` is set when another page follows. */
export function searchAgencies(registry: AgencyRegistry, search: AgencySearch): { items: AgencyView[]; last?: string } {
  const needle = search.q ? fold(search.q) : '';
  const matches = (agency: AgencyRecord) =>
    !needle || [agency.name, agency.code, ...(agency.aliases ?? [])].some((text) => fold(text).includes(needle));
  const found = registry.data.agencies
    .filter((a) => (search.includeMerged || !a.mergedInto) && (!search.kind || a.kind === search.kind) && matches(a))
    .filter((a) => search.after === undefined || a.code > search.after)
    // Plain comparison, not localeCompare: codes are ASCII and the cursor relies on this order.
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const page = found.slice(0, search.limit);
  return {
    items: page.map((a) => agencyView(registry, a)),
    last: found.length > search.limit ? page.at(-1)?.code : undefined,
  };
}

export function findAgencyByCode(registry: AgencyRegistry, code: string): AgencyView | undefined {
  const agency = registry.byCode.get(code);
  return agency ? agencyView(registry, agency) : undefined;
}

/**
 * Read-modify-write of one registry under a row lock, so two coordinators editing at once both
 * land (one after the other) instead of the second silently undoing the first. `edit` returns the
 * same registry object when nothing changed; then nothing is written.
 */
/** What an edit of a registry did, for the audit trail (the actor is the editor's). */
type RegistryChange = Omit<AuditEntry, 'actor'>;

export async function editRegistry<T>(
  db: Database,
  key: string,
  by: Actor,
  edit: (registry: AgencyRegistry) => { registry: AgencyRegistry; result: T; change?: RegistryChange },
): Promise<T> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ data: agencyRegistries.data })
      .from(agencyRegistries)
      .where(eq(agencyRegistries.key, key))
      .for('update');
    if (!row) throw registryNotFound(key);
    const current = buildRegistry(row.data);
    const { registry, result, change } = edit(current);
    if (registry !== current) {
      if (change) await recordAudit(tx, { actor: by, ...change });
      // clock_timestamp, not now(): now() is when the transaction began, possibly before the lock was ours.
      await tx
        .update(agencyRegistries)
        .set({ data: registry.data, updatedAt: sql`clock_timestamp()` })
        .where(eq(agencyRegistries.key, key));
      await indexRegistryAgencies(tx, registry.data);
    }
    return result;
  });
}

/** Which field of an agency edit a registry problem is about, found from the names it quotes. */
function agencyFieldOf(problem: string, record: AgencyRecord): string {
  if (problem.includes('thiếu tên')) return '/name';
  const keyOf = (text: string) => nameKey(text).join(' ');
  for (const [, quoted] of problem.matchAll(/"([^"]*)"/g)) {
    const text = quoted!;
    const key = keyOf(text);
    if (key && key === keyOf(record.name)) return '/name';
    const alias = (record.aliases ?? []).findIndex((a) => a === text || (key && keyOf(a) === key));
    if (alias >= 0) return `/aliases/${alias}`;
    if (text === record.code) return 'params:/code';
    if (text === record.kind) return '/kind';
  }
  return '/';
}

function registryProblem(detail: string, error: RegistryError, fieldOf: (problem: string) => string) {
  const errors: FieldError[] = error.problems.map((message) => ({ field: fieldOf(message), message }));
  return new Invalid(`${detail}: ${error.problems.join('; ')}.`, errors);
}

export interface AgencyInput {
  name: string;
  kind: AgencyKind;
  aliases?: string[];
}

/**
 * Creates or replaces an agency. A replacement keeps the agency's merger: mergers are made
 * through `mergeAgency`, which also moves the open work. With `keepAliases`, aliases left out
 * stay as they are (the CLI's `set`) instead of being removed.
 */
export async function saveAgency(
  db: Database,
  key: string,
  code: string,
  input: AgencyInput,
  by: Actor,
  options: { keepAliases?: boolean } = {},
): Promise<{ agency: AgencyView; created: boolean }> {
  return editRegistry(db, key, by, (current) => {
    const existing = current.byCode.get(code);
    const given = input.aliases ?? (options.keepAliases ? existing?.aliases : undefined) ?? [];
    const aliases = given.map((a) => a.trim());
    const record: AgencyRecord = {
      code,
      name: input.name.trim(),
      kind: input.kind,
      ...(aliases.length > 0 ? { aliases } : {}),
      ...(existing?.mergedInto ? { mergedInto: existing.mergedInto } : {}),
    };
    if (existing && JSON.stringify(existing) === JSON.stringify(record)) {
      return { registry: current, result: { agency: agencyView(current, existing), created: false } };
    }
    let next: AgencyRegistry;
    try {
      next = withAgency(current, record);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      throw registryProblem(`Không lưu được cơ quan ${code}`, error, (problem) => agencyFieldOf(problem, record));
    }
    return {
      registry: next,
      result: { agency: agencyView(next, record), created: !existing },
      change: {
        action: existing ? 'agency-update' : 'agency-create',
        entityType: 'agency',
        entityId: `${key}:${code}`,
        details: { ...(existing ? { before: existing } : {}), after: record },
      },
    };
  });
}

/**
 * Marks `code` as merged into `into`. Merging again into the same agency changes nothing. The
 * successor returned is the end of the chain: `into` itself, unless `into` has merged in turn.
 */
export async function mergeAgency(
  db: Database,
  key: string,
  code: string,
  into: string,
  by: Actor,
): Promise<{ agency: AgencyView; successor: AgencyView }> {
  return editRegistry(db, key, by, (current) => {
    const agency = current.byCode.get(code);
    if (!agency) throw new NotFound(`Không có cơ quan mã "${code}" trong danh mục "${key}".`);
    let next = current;
    if (agency.mergedInto !== into) {
      try {
        next = withMerge(current, code, into);
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        throw registryProblem(`Không hợp nhất được cơ quan ${code} vào "${into}"`, error, () => '/into');
      }
    }
    const successor = resolveSuccessor(next, code)!;
    return {
      registry: next,
      result: { agency: agencyView(next, next.byCode.get(code)!), successor: agencyView(next, successor) },
      change: {
        action: 'agency-merge',
        entityType: 'agency',
        entityId: `${key}:${code}`,
        from: agency.mergedInto ?? 'active',
        to: `merged:${into}`,
        details: { into, successor: successor.code },
      },
    };
  });
}

export function defaultMergeReason(agency: { name: string }, successor: { name: string }): string {
  return `Hợp nhất cơ quan: ${agency.name} hợp nhất vào ${successor.name}; công việc đang mở chuyển sang ${successor.name}.`;
}

/** Plans are tied to one registry; codes such as "SNV" recur from province to province. */
async function planIdsOfRegistry(db: Database, key: string): Promise<string[]> {
  const rows = await db.select({ id: plans.id }).from(plans).where(eq(plans.registry, key)).orderBy(asc(plans.id));
  return rows.map((r) => r.id);
}

/** How many open assignments `code` leads in the plans that use registry `key`. */
export async function countOpenAssignments(db: Database, key: string, code: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(assignments)
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .where(
      and(eq(plans.registry, key), eq(assignments.agencyCode, code), inArray(assignments.status, [...openStatuses])),
    );
  return Number(row?.n ?? 0);
}

/** Moves the open work of a merged agency to its successor, plan by plan of this registry only. */
export async function reassignToSuccessor(
  deps: ServiceDeps,
  options: { registry: string; from: string; to: string; reason: string; actor: Actor },
): Promise<BulkReassignResult> {
  const result: BulkReassignResult = { reassigned: [], refused: [] };
  for (const planId of await planIdsOfRegistry(deps.db, options.registry)) {
    const one = await reassignOpenAssignments(deps, {
      from: options.from,
      to: options.to,
      reason: options.reason,
      actor: options.actor,
      planId,
    });
    result.reassigned.push(...one.reassigned);
    result.refused.push(...one.refused);
  }
  result.reassigned.sort();
  result.refused.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return result;
}

/** Whether any registry lists an agency with this code. */
/** Adds a plan's proposed agencies to a registry, each with an audit entry naming the plan and its rows. */
/** The registry with the proposed agencies it lacks, in memory: what an import reads against before they are written. */
export function withProposals(registry: AgencyRegistry, proposals: readonly ProposedAgency[]): AgencyRegistry {
  let next = registry;
  for (const proposal of proposals)
    if (!next.byCode.has(proposal.code)) next = withAgency(next, proposedRecord(proposal));
  return next;
}

/** Proposed agencies a coordinator accepted at import, and who accepted them. */
export interface JoiningAgencies {
  proposals: readonly ProposedAgency[];
  by: Actor;
}

/**
 * Writes the accepted proposals to the registry, each audited. Called inside the import's
 * transaction (`db` is then the transaction), so an import that fails leaves the registry as it was.
 */
export async function acceptProposedAgencies(
  db: Database,
  key: string,
  proposals: readonly ProposedAgency[],
  by: Actor,
  planCode: string,
): Promise<void> {
  for (const proposal of proposals) {
    await editRegistry(db, key, by, (current) => {
      if (current.byCode.has(proposal.code)) return { registry: current, result: undefined };
      let next: AgencyRegistry;
      try {
        next = withAgency(current, proposedRecord(proposal));
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        throw registryProblem(`Không thêm được cơ quan "${proposal.name}"`, error, () => '/acceptProposedAgencies');
      }
      return {
        registry: next,
        result: undefined,
        change: {
          action: 'agency-create',
          entityType: 'agency',
          entityId: `${key}:${proposal.code}`,
          details: { after: proposedRecord(proposal), proposedBy: 'plan import', plan: planCode, rows: proposal.rows },
        },
      };
    });
  }
}

/** The keys of the registries that list an agency with this code, in order. */
export async function registriesKnowing(db: Database, code: string): Promise<string[]> {
  const rows = await db
    .select({ key: agencyRegistries.key })
    .from(agencyRegistries)
    .where(sql`${agencyRegistries.data}->'agencies' @> ${JSON.stringify([{ code }])}::jsonb`)
    .orderBy(asc(agencyRegistries.key));
  return rows.map((r) => r.key);
}

/** A coordinator moves an agency's open work to another known agency. */
export async function reassignAgency(
  deps: ServiceDeps,
  options: { from: string; to: string; reason: string; actor: Actor; planId?: string; registry?: string },
): Promise<BulkReassignResult> {
  if (options.from === options.to)
    throw new Invalid('Cơ quan nhận phải khác cơ quan chuyển.', [{ field: '/to', message: 'trùng với from' }]);
  // An agency is known by its registry and its code: the work of one province's agency moves.
  const knowing = await registriesKnowing(deps.db, options.from);
  if (options.registry === undefined && knowing.length > 1)
    throw new Invalid(
      `Mã cơ quan "${options.from}" có trong ${knowing.length} danh mục; hãy chỉ rõ danh mục (registry).`,
      [{ field: '/registry', message: 'bắt buộc khi mã cơ quan có trong nhiều danh mục' }],
    );
  const registry = options.registry ?? knowing[0];
  const target = registry === undefined ? undefined : await loadRegistry(deps.db, registry);
  if (!target?.byCode.has(options.to))
    throw new Invalid(`Không có cơ quan mã "${options.to}" trong danh mục${registry ? ` "${registry}"` : ''}.`, [
      { field: '/to', message: 'không có trong danh mục' },
    ]);
  return reassignOpenAssignments(deps, { ...options, registry: target.id });
}
