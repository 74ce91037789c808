import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

/**
 * Which of many principals may still act, in one query: tokens not revoked, and sessions that are
 * open, not expired, of an account not disabled. For what outlives the request that was checked
 * (an open event stream), so that a revocation, a disabled account or a sign-out ends it.
 */

export interface PrincipalRefs {
  /** Ids of API tokens (`api_tokens.id`). */
  tokenIds: readonly string[];
  /** Session cookies' values, as the browser sent them. */
  sessionIds: readonly string[];
}

export interface ValidPrincipals {
  tokenIds: Set<string>;
  sessionIds: Set<string>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

export async function validPrincipals(db: Database, refs: PrincipalRefs): Promise<ValidPrincipals> {
  const valid: ValidPrincipals = { tokenIds: new Set(), sessionIds: new Set() };
  const byHash = new Map(refs.sessionIds.map((id) => [sha256(id), id]));
  const parts: SQL[] = [];
  if (refs.tokenIds.length > 0)
    parts.push(sql`
      select 'token' as kind, id::text as key from api_tokens
      where id::text in (${list(refs.tokenIds)}) and revoked_at is null`);
  if (byHash.size > 0)
    parts.push(sql`
      select 'session' as kind, s.id_hash as key from sessions s join users u on u.id = s.user_id
      where s.id_hash in (${list([...byHash.keys()])}) and s.expires_at > now() and u.disabled_at is null`);
  if (parts.length === 0) return valid;
  const { rows } = await db.execute<{ kind: string; key: string }>(sql.join(parts, sql` union all `));
  for (const row of rows) {
    if (row.kind === 'token') valid.tokenIds.add(row.key);
    else valid.sessionIds.add(byHash.get(row.key)!);
  }
  return valid;
}
