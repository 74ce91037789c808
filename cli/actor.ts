import { userInfo } from 'node:os';
import type { Actor } from '../domain/lifecycle.ts';

/** Whoever runs the command line acts as the coordinator's office, named in the audit trail by their login. */
export const CLI_ACTOR: Actor = { role: 'coordinator', name: `cli:${userInfo().username}` };
