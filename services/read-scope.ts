import type { Principal } from '../domain/permissions.ts';

/** What a principal's reads are narrowed to: its registry (when it has one), and an agency's own code. */
export interface ReadScope {
  registry?: string;
  agency?: string;
}

export function readScope(principal: Principal): ReadScope {
  return {
    ...(principal.registry !== undefined ? { registry: principal.registry } : {}),
    ...(principal.role === 'agency' ? { agency: principal.agencyCode ?? '' } : {}),
  };
}
