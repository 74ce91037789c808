import type { CommandType } from './lifecycle.ts';

/**
 * Who may do what. A lead agency acts on the assignments it leads; a collaborating
 * agency reads them and adds contributions; the coordinator runs the plan; leadership reads
 * everything. Pure, so that every role × command pair is checked in one table.
 */

export type Role = 'coordinator' | 'agency' | 'leadership';

export interface Principal {
  role: Role;
  /** For role `agency`: the agency the token speaks for. */
  agencyCode?: string;
  /**
   * The agency registry (province, or the central one) the token belongs to: an agency is known
   * by its registry and its code together. Absent for a deployment-wide coordinator or leadership.
   */
  registry?: string;
  /** The token's name, or the person's name and e-mail, for the audit trail. */
  name: string;
  tokenId: string;
  /** Set when a person signed in (session cookie) rather than a machine with a token. */
  userId?: string;
}

export interface AssignmentParties {
  /** The registry of the assignment's plan. */
  registry: string;
  agencyCode: string;
  collaboratorCodes: readonly string[];
}

export type Relation = 'coordinator' | 'leadership' | 'lead' | 'collaborator' | 'none';

export function relationTo(principal: Principal, assignment: AssignmentParties): Relation {
  // Another province's work does not exist for this principal, whatever its role or agency code.
  if (principal.registry !== undefined && principal.registry !== assignment.registry) return 'none';
  if (principal.role === 'coordinator') return 'coordinator';
  if (principal.role === 'leadership') return 'leadership';
  if (principal.agencyCode === assignment.agencyCode) return 'lead';
  if (principal.agencyCode && assignment.collaboratorCodes.includes(principal.agencyCode)) return 'collaborator';
  return 'none';
}

/** Which relation each command needs. */
export const commandActor: Record<CommandType, 'lead' | 'collaborator' | 'coordinator'> = {
  acknowledge: 'lead',
  fileReport: 'lead',
  submitDeliverable: 'lead',
  requestExtension: 'lead',
  addContribution: 'collaborator',
  accept: 'coordinator',
  return: 'coordinator',
  approveExtension: 'coordinator',
  denyExtension: 'coordinator',
  reassign: 'coordinator',
  cancel: 'coordinator',
  setDeadline: 'coordinator',
};

export function canRead(principal: Principal, assignment: AssignmentParties): boolean {
  return relationTo(principal, assignment) !== 'none';
}

/**
 * `hidden`: the principal may not even see the assignment (answered as not found, so that other
 * agencies' work is not revealed); `forbidden`: it sees it but may not do this.
 */
export function authorizeCommand(
  principal: Principal,
  assignment: AssignmentParties,
  command: CommandType,
): 'allowed' | 'forbidden' | 'hidden' {
  const relation = relationTo(principal, assignment);
  if (relation === 'none') return 'hidden';
  return relation === commandActor[command] ? 'allowed' : 'forbidden';
}

/**
 * What a role may open and do beyond its own assignments, for the pages to show (a clerk's
 * navigation has no coordinator page). The routes check the same roles (app.requireRole) and answer
 * "Không có quyền" to anyone else.
 */
export interface Abilities {
  /** Import and revise plans. */
  importPlans: boolean;
  /** Accept or return deliverables, decide extensions, reassign, cancel, set deadlines. */
  reviewWork: boolean;
  /** Invite people, turn accounts off and on, reset passwords. */
  managePeople: boolean;
  /** Make and revoke access tokens. */
  manageTokens: boolean;
  /** Edit the registry of agencies. */
  editRegistries: boolean;
  /** Read the audit trail. */
  readAudit: boolean;
  /** Keep the addresses notifications go to: every one of the registry (coordinator), or the agency's own. */
  manageContacts: boolean;
}

export function abilitiesOf(role: Role): Abilities {
  const coordinator = role === 'coordinator';
  return {
    importPlans: coordinator,
    reviewWork: coordinator,
    managePeople: coordinator,
    manageTokens: coordinator,
    editRegistries: coordinator,
    readAudit: coordinator,
    manageContacts: coordinator || role === 'agency',
  };
}
