import type { Actor } from '../../domain/lifecycle.ts';
import type { Principal } from '../../domain/permissions.ts';

/** Who a command is from, as the workflow and the audit trail record it: role, agency and token name. */
export function actorOf(principal: Principal): Actor {
  return {
    role: principal.role,
    ...(principal.agencyCode ? { agencyCode: principal.agencyCode } : {}),
    name: principal.name,
  };
}
