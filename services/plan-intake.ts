import { createHash } from 'node:crypto';
import type { AppendixFormat, PlanPreview } from '../domain/appendix/types.ts';
import type { AgencyRegistry } from '../domain/agencies/types.ts';
import { provinceKey } from '../domain/agencies/province-registry.ts';
import { resolvePolicy, type PolicyOverrides } from '../domain/policy.ts';
import type { Database } from '../db/client.ts';
import type { ServiceDeps } from './deps.ts';
import { Forbidden, Invalid } from './errors.ts';
import { previewIsolated } from './isolated-preview.ts';
import { importPlan, type ImportResult } from './plan-import.ts';
import { planFromJson, planFromPreview, type PlanJson, type PlanMeta } from './plan-sources.ts';
import { loadRegistry, withProposals } from './registries.ts';
import type { Actor } from '../domain/lifecycle.ts';

// A plan arrives as JSON or as an appendix file; either way it is read against its province's
// agency registry, checked, and imported all or nothing. Both doors (API and CLI) come here.

/** What a plan says about itself besides its tasks. */
export interface PlanFields {
  code: string;
  title: string;
  province: string;
  /** The agency registry's key; defaults to the province's slug. */
  registry?: string;
  periodStart: string;
  periodEnd: string;
  /** The plan's policy overrides as sent; checked here. */
  policy?: unknown;
  /** The day the plan was signed, when given: counts from it, and wins over the document's. */
  issuedOn?: string;
}

/** Where each field came from, so errors name it as the caller sent it ("/registry", "registry"). */
export type FieldNames = (field: 'registry' | 'province' | 'policy') => string;

export const jsonPointers: FieldNames = (field) => `/${field}`;
export const plainNames: FieldNames = (field) => field;

export async function registryFor(
  db: Database,
  fields: { registry?: string; province?: string },
  names: FieldNames,
  within: string | undefined,
): Promise<AgencyRegistry> {
  const key = fields.registry ?? (fields.province ? provinceKey(fields.province) : 'vinh-phuc');
  // A coordinator of one province imports that province's plans only.
  if (within !== undefined && key !== within)
    throw new Forbidden(`Chỉ được nhập kế hoạch của danh mục "${within}", không phải "${key}".`);
  const registry = await loadRegistry(db, key);
  if (!registry)
    throw new Invalid(`Chưa có danh mục cơ quan "${key}".`, [
      { field: names(fields.registry ? 'registry' : 'province'), message: `Không có danh mục cơ quan "${key}".` },
    ]);
  return registry;
}

export function checkedPolicy(policy: unknown, field: string): PolicyOverrides {
  const resolved = resolvePolicy(policy ?? {});
  if ('errors' in resolved) {
    throw new Invalid(
      'Chính sách của kế hoạch không hợp lệ.',
      resolved.errors.map((e) => ({ field: `${field}${e.field ? `.${e.field}` : ''}`, message: e.message })),
    );
  }
  return (policy ?? {}) as PolicyOverrides;
}

export interface PlanFile {
  bytes: Uint8Array;
  fileName?: string;
  format?: AppendixFormat;
}

export interface PreviewOptions {
  registry?: string;
  /** The registry the caller belongs to, when it belongs to one: no other may be read against. */
  within?: string;
  province?: string;
  /** Unknown agencies are errors rather than warnings. */
  strict?: boolean;
  periodStart?: string;
  periodEnd?: string;
  issuedOn?: string;
  maxBytes: number;
}

/** Reads an appendix file against its province's registry; no side effects. */
export async function previewPlanFile(
  db: Database,
  file: PlanFile,
  options: PreviewOptions,
  names: FieldNames = plainNames,
  /** The registry to read against, when the caller has it already (with accepted proposals). */
  given?: AgencyRegistry,
): Promise<{ registry: AgencyRegistry; preview: PlanPreview }> {
  const registry = given ?? (await registryFor(db, options, names, options.within));
  const preview = await previewIsolated(file, {
    registry,
    strict: options.strict ?? false,
    periodStart: options.periodStart,
    periodEnd: options.periodEnd,
    ...(options.issuedOn ? { issuedOn: options.issuedOn } : {}),
    maxBytes: options.maxBytes,
  });
  return { registry, preview };
}

async function metaOf(
  db: Database,
  fields: PlanFields,
  names: FieldNames,
  within: string | undefined,
  registry?: AgencyRegistry,
): Promise<PlanMeta> {
  return {
    code: fields.code,
    title: fields.title,
    province: fields.province,
    periodStart: fields.periodStart,
    periodEnd: fields.periodEnd,
    registry: registry ?? (await registryFor(db, fields, names, within)),
    policy: checkedPolicy(fields.policy, names('policy')),
    ...(fields.issuedOn ? { issuedOn: fields.issuedOn } : {}),
  };
}

export interface ImportOptions {
  /** Told when the import committed but its workflows could not be started yet (the dispatch retries). */
  onDispatchFailure?: (error: unknown) => void;
  /** The registry the importing coordinator belongs to, when it belongs to one. */
  within?: string;
  /** Who imports, for the audit trail of what the import adds to the registry. */
  by?: Actor;
  /** Confirms that a plan already there is revised (else 409 with what would change). */
  revise?: boolean;
}

/** Imports a plan sent as JSON; errors are named by JSON pointer. */
export async function importPlanJson(
  deps: ServiceDeps,
  body: PlanFields & PlanJson,
  options: ImportOptions = {},
): Promise<ImportResult & { warnings: PlanPreview['warnings'] }> {
  const converted = planFromJson(body, await metaOf(deps.db, body, jsonPointers, options.within));
  return { ...(await importPlan(deps, converted.plan, options)), warnings: converted.warnings };
}

/** Imports a plan from its appendix file; errors are named by row and column. */
export async function importPlanFile(
  deps: ServiceDeps,
  file: PlanFile,
  fields: PlanFields & { strict?: boolean; acceptProposedAgencies?: boolean },
  options: ImportOptions & { maxBytes: number },
): Promise<ImportResult & { warnings: PlanPreview['warnings'] }> {
  const previewOptions = {
    ...fields,
    maxBytes: options.maxBytes,
    ...(options.within !== undefined ? { within: options.within } : {}),
  };
  let { registry, preview } = await previewPlanFile(deps.db, file, previewOptions);
  const proposed = preview.proposedAgencies ?? [];
  const joining =
    fields.acceptProposedAgencies && !fields.strict && proposed.length > 0 && options.by
      ? { proposals: proposed, by: options.by }
      : undefined;
  if (joining) {
    // The coordinator accepted the names the registry lacked: the file is read again against the
    // registry with them, so its cells resolve to them; they are written (audited) in the import's
    // transaction, so a failed import leaves the registry as it was.
    registry = withProposals(registry, joining.proposals);
    ({ preview } = await previewPlanFile(deps.db, file, previewOptions, plainNames, registry));
  }
  // The document's own issue date counts when none is given, and the plan keeps it.
  const issuedOn = fields.issuedOn ?? preview.issued?.date;
  const meta = await metaOf(
    deps.db,
    { ...fields, ...(issuedOn ? { issuedOn } : {}) },
    plainNames,
    options.within,
    registry,
  );
  const converted = planFromPreview(preview, meta);
  const source = {
    ...(file.fileName ? { fileName: file.fileName } : {}),
    format: file.format ?? 'auto',
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    content: file.bytes,
    edits: [],
  };
  return {
    ...(await importPlan(deps, converted.plan, { ...options, source, ...(joining ? { joining } : {}) })),
    warnings: converted.warnings,
  };
}
