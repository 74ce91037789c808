import type { Role } from '../../domain/permissions.ts';
import { createToken } from '../../services/tokens.ts';
import type { TestContext } from './context.ts';

/** Bearer tokens for the roles a test acts as, created once per test file; agencies are Vĩnh Phúc's, as the test plans. */
export function testTokens(ctx: TestContext) {
  const made = new Map<string, Promise<string>>();
  const get = (role: Role, agencyCode?: string) => {
    const key = `${role}:${agencyCode ?? ''}`;
    if (!made.has(key)) {
      made.set(
        key,
        createToken(ctx.database.db, {
          name: `test ${key}`,
          role,
          ...(agencyCode ? { agencyCode, registry: 'vinh-phuc' } : {}),
          createdBy: 'test',
        }).then((t) => t.token),
      );
    }
    return made.get(key)!;
  };
  return {
    coordinator: () => get('coordinator'),
    leadership: () => get('leadership'),
    agency: (code: string) => get('agency', code),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
