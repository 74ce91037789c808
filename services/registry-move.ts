import { and, eq, inArray } from 'drizzle-orm';
import { resolveSuccessor } from '../domain/agencies/registry.ts';
import { splitAgencies } from '../domain/agencies/split.ts';
import type { AgencyRegistry } from '../domain/agencies/types.ts';
import { openStatuses, type Actor } from '../domain/lifecycle.ts';
import { assignments, plans } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { sendCommand } from './assignment-commands.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, Forbidden, Invalid, NotFound, ServiceError } from './errors.ts';
import { planNamedAnywhere, resolvePlanRef } from './plan-ref.ts';
import { loadRegistry } from './registries.ts';
import { forEachLimited } from './workflow-dispatch.ts';

export interface RegistryMove {
  /** The plan, and the registries it left and joined, by key and by name. */
  plan: { id: string; code: string; from: string; to: string; fromName: string; toName: string };
  /** Open assignments now led by the successor agency, each through its workflow (history kept). */
  moved: { id: string; from: string; to: string }[];
  /** Open assignments whose agency has the same code in the new registry: nothing to send. */
  kept: string[];
  /** Open assignments whose agency the new registry has no successor for: the coordinator decides. */
  unmapped: { id: string; agencyCode: string; name: string }[];
  /** Moves the workflow refused (a deliverable awaiting review, …), with its reason. */
  refused: { id: string; reason: string }[];
}

const registryName = (registry: AgencyRegistry) => registry.data.name ?? registry.id;

/**
 * The successor of each agency of `from` in `to`: the same code when `to` knows it, else what
 * `to` makes of the agency's name (a merged department resolves to the one that took it over,
 * as Kế hoạch và Đầu tư to Tài chính); none when it names nothing or several.
 */
function successorIn(from: AgencyRegistry, to: AgencyRegistry, code: string): string | undefined {
  let known = to.byCode.has(code) ? code : undefined;
  if (known === undefined) {
    const name = from.byCode.get(code)?.name;
    const split = name ? splitAgencies(name, to) : undefined;
    if (split?.agencies.length === 1 && split.unknown.length === 0) known = split.agencies[0]!.code;
  }
  // A department merged in 2025 is listed with the one that took it over.
  return known === undefined ? undefined : resolveSuccessor(to, known)?.code;
}

/**
 * Moves a plan issued before a reorganisation (Vĩnh Phúc's, before it joined Phú Thọ in July 2025)
 * to the registry of today: the plan belongs to `to` from now on, and each open assignment goes to
 * its agency's successor there through its workflow, keeping its history. What has no successor
 * (the district committees, gone with the district level) is reported for the coordinator.
 */
export async function moveToSuccessorRegistry(
  deps: ServiceDeps,
  options: {
    /** The plan's id, slug or number (services/plan-ref.ts). */
    plan: string;
    to: string;
    actor: Actor;
    /** The registry the mover belongs to; none for a deployment-wide coordinator. */
    within?: string;
  },
): Promise<RegistryMove> {
  // Only the plan's own registry (or the whole deployment) may give its plan away: a plan of
  // another province is not found in the mover's registry, and saying so is all it learns.
  const planId = await resolvePlanRef(deps.db, options.plan, options.within);
  const [plan] = await deps.db.select().from(plans).where(eq(plans.id, planId));
  if (!plan) {
    if (options.within !== undefined && (await planNamedAnywhere(deps.db, options.plan)))
      throw new Forbidden(
        `Kế hoạch "${options.plan}" không thuộc danh mục "${options.within}": chỉ cơ quan thường trực của danh mục đang giữ kế hoạch mới được chuyển nó.`,
      );
    throw new NotFound(`Không có kế hoạch số hiệu "${options.plan}".`);
  }
  const from = await loadRegistry(deps.db, plan.registry);
  const to = await loadRegistry(deps.db, options.to);
  if (!to)
    throw new Invalid(`Không có danh mục cơ quan "${options.to}".`, [
      { field: '/to', message: 'không có danh mục này' },
    ]);
  if (!from) throw new NotFound(`Không có danh mục cơ quan "${plan.registry}" của kế hoạch.`);
  const [clash] = await deps.db
    .select({ id: plans.id })
    .from(plans)
    .where(and(eq(plans.registry, to.id), eq(plans.code, plan.code)));
  if (clash && clash.id !== plan.id)
    throw new Conflict(
      `Danh mục "${registryName(to)}" đã có kế hoạch số hiệu "${plan.code}"; không thể chuyển thêm một kế hoạch cùng số hiệu vào đó.`,
    );

  const open = await deps.db
    .select({ id: assignments.id, agencyCode: assignments.agencyCode })
    .from(assignments)
    .where(and(eq(assignments.planId, plan.id), inArray(assignments.status, [...openStatuses])))
    .orderBy(assignments.id);
  const result: RegistryMove = {
    plan: {
      id: plan.id,
      code: plan.code,
      from: from.id,
      to: to.id,
      fromName: registryName(from),
      toName: registryName(to),
    },
    moved: [],
    kept: [],
    unmapped: [],
    refused: [],
  };
  const toMove: { id: string; from: string; to: string }[] = [];
  for (const a of open) {
    const successor = successorIn(from, to, a.agencyCode);
    if (successor === undefined)
      result.unmapped.push({
        id: a.id,
        agencyCode: a.agencyCode,
        name: from.byCode.get(a.agencyCode)?.name ?? a.agencyCode,
      });
    else if (successor === a.agencyCode) result.kept.push(a.id);
    else toMove.push({ id: a.id, from: a.agencyCode, to: successor });
  }

  if (plan.registry !== to.id) {
    await deps.db.transaction(async (tx) => {
      await tx.update(plans).set({ registry: to.id, updatedAt: new Date() }).where(eq(plans.id, plan.id));
      await recordAudit(tx, {
        actor: options.actor,
        action: 'plan-move-registry',
        entityType: 'plan',
        entityId: plan.id,
        from: from.id,
        to: to.id,
        details: { code: plan.code, toMove: toMove.length, kept: result.kept.length, unmapped: result.unmapped.length },
      });
    });
  }
  await forEachLimited(toMove, 16, async (move) => {
    const reason = `Sắp xếp tổ chức bộ máy: ${from.byCode.get(move.from)?.name ?? move.from} → ${to.byCode.get(move.to)?.name ?? move.to} (${to.data.name ?? to.id}).`;
    try {
      await sendCommand(deps, move.id, options.actor, { type: 'reassign', toAgency: move.to, reason });
      result.moved.push(move);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      result.refused.push({ id: move.id, reason: error.message });
    }
  });
  result.moved.sort((a, b) => (a.id < b.id ? -1 : 1));
  return result;
}
