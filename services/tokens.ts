import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, asc, count, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Actor } from '../domain/lifecycle.ts';
import type { Principal, Role } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { apiTokens } from '../db/schema.ts';
import { recordAudit, type Writer } from './audit.ts';
import { Forbidden, Invalid } from './errors.ts';
import { loadRegistry, registriesKnowing } from './registries.ts';
import type { AgencyLabel } from '../domain/agencies/names.ts';
import { withAgencyLabels } from './agency-labels.ts';

/** 256 random bits: a token cannot be guessed, so a fast hash is the right way to store it. */
export function generateToken(): string {
  return `dd_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  agencyCode: string | null;
  /** The registry the token belongs to; null: the whole deployment. */
  registry: string | null;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

function toRecord(row: typeof apiTokens.$inferSelect): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    agencyCode: row.agencyCode,
    registry: row.registry,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createToken(
  db: Writer,
  input: { name: string; role: Role; agencyCode?: string; registry?: string; createdBy: string },
): Promise<TokenRecord & { token: string }> {
  const token = generateToken();
  const [row] = await db
    .insert(apiTokens)
    .values({
      name: input.name,
      role: input.role,
      agencyCode: input.agencyCode ?? null,
      registry: input.registry ?? null,
      tokenHash: hashToken(token),
      createdBy: input.createdBy,
    })
    .returning();
  return { ...toRecord(row!), token };
}

/**
 * A coordinator issues a token: an agency's is bound to a known agency of one registry (given, or
 * the only one that knows the code), nobody else's is bound to an agency; any token may be bound
 * to a registry, and one issued by a coordinator bound to a registry is bound to the same. The
 * secret is returned once; only its hash is kept.
 */
export async function issueToken(
  db: Database,
  input: { name: string; role: Role; agency?: string; registry?: string; by: Actor; byRegistry?: string },
): Promise<TokenRecord & { token: string }> {
  const { role, agency } = input;
  if (input.byRegistry !== undefined && input.registry !== undefined && input.registry !== input.byRegistry)
    throw new Forbidden(`Chỉ được cấp mã truy cập trong danh mục "${input.byRegistry}".`);
  const registry = input.registry ?? input.byRegistry;
  if (role === 'agency' && !agency)
    throw new Invalid('Mã truy cập của cơ quan cần mã cơ quan (agency).', [
      { field: '/agency', message: 'bắt buộc với role "agency"' },
    ]);
  if (role !== 'agency' && agency)
    throw new Invalid('Chỉ mã truy cập của cơ quan mới gắn với một cơ quan.', [
      { field: '/agency', message: `không dùng với role "${role}"` },
    ]);
  let boundTo = registry;
  if (agency) {
    const knowing = await registriesKnowing(db, agency);
    if (registry !== undefined ? !knowing.includes(registry) : knowing.length === 0)
      throw new Invalid(
        `Không có cơ quan mã "${agency}" trong danh mục${registry !== undefined ? ` "${registry}"` : ''}.`,
        [{ field: '/agency', message: 'không có trong danh mục' }],
      );
    if (registry === undefined && knowing.length > 1)
      throw new Invalid(
        `Mã cơ quan "${agency}" có trong ${knowing.length} danh mục (${knowing.slice(0, 5).join(', ')}${knowing.length > 5 ? ', …' : ''}); hãy chỉ rõ danh mục (registry).`,
        [{ field: '/registry', message: 'bắt buộc khi mã cơ quan có trong nhiều danh mục' }],
      );
    boundTo = registry ?? knowing[0];
  } else if (registry !== undefined && !(await loadRegistry(db, registry))) {
    throw new Invalid(`Không có danh mục cơ quan "${registry}".`, [
      { field: '/registry', message: 'không có danh mục này' },
    ]);
  }
  return db.transaction(async (tx) => {
    const created = await createToken(tx, {
      name: input.name,
      role,
      ...(agency ? { agencyCode: agency } : {}),
      ...(boundTo !== undefined ? { registry: boundTo } : {}),
      createdBy: input.by.name,
    });
    await recordAudit(tx, {
      actor: input.by,
      action: 'token-create',
      entityType: 'token',
      entityId: created.id,
      to: 'active',
      details: { name: created.name, role: created.role, agencyCode: created.agencyCode, registry: created.registry },
    });
    return created;
  });
}

/** The tokens, of one registry when `registry` is given (a province's coordinator sees its own). */
export async function listTokens(db: Database, registry?: string): Promise<(TokenRecord & { agency?: AgencyLabel })[]> {
  const rows = (
    await db
      .select()
      .from(apiTokens)
      .where(registry !== undefined ? eq(apiTokens.registry, registry) : undefined)
      .orderBy(asc(apiTokens.createdAt))
  ).map(toRecord);
  return withAgencyLabels(db, rows);
}

/** Revokes a token (of `registry` only, when given); undefined when there is no such token. */
export async function revokeToken(
  db: Database,
  id: string,
  by: Actor,
  registry?: string,
): Promise<TokenRecord | undefined> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ revokedAt: apiTokens.revokedAt, registry: apiTokens.registry })
      .from(apiTokens)
      .where(eq(apiTokens.id, id));
    if (!before || (registry !== undefined && before.registry !== registry)) return undefined;
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
      .where(eq(apiTokens.id, id))
      .returning();
    if (row && !before?.revokedAt)
      await recordAudit(tx, {
        actor: by,
        action: 'token-revoke',
        entityType: 'token',
        entityId: row.id,
        from: 'active',
        to: 'revoked',
        details: { name: row.name, role: row.role, agencyCode: row.agencyCode },
      });
    return row ? toRecord(row) : undefined;
  });
}

/** The answer of `TokenVerifier.verify` when the caller's address has too many lookups waiting. */
export const LOOKUP_BUSY = 'busy' as const;

/**
 * Looks tokens up by their hash, remembering answers for a few seconds: a request should not cost
 * a database round trip for its token. A revocation made through this process takes effect at
 * once; one made through another API replica within `ttlMs`. Valid and refused tokens are
 * remembered apart, each bounded: a flood of made-up tokens only ever pushes out other made-up
 * tokens, never a valid one.
 *
 * An unknown token is always looked up, so a valid one is never refused because others sent bad
 * ones from the same address (a whole department may sit behind one). What a flood of made-up
 * tokens may cost is bounded instead: the lookups of one address run one at a time (the same token
 * asked for at once is looked up once), with at most `waitingPerAddress` waiting; past that the
 * answer is `LOOKUP_BUSY`, without a query, and the caller is told to try again shortly.
 */
export class TokenVerifier {
  private readonly valid = new Map<string, { principal: Principal; until: number }>();
  private readonly refused = new Map<string, number>();
  /** Per address: the end of its queue of lookups, and how many wait in it. */
  private readonly lanes = new Map<string, { tail: Promise<unknown>; waiting: number }>();
  /** Lookups in progress by token hash, shared by every request that asks for the same token. */
  private readonly pending = new Map<string, Promise<Principal | undefined>>();

  constructor(
    private readonly db: Database,
    private readonly options: { ttlMs?: number; waitingPerAddress?: number; valid?: number; refused?: number } = {},
  ) {}

  /**
   * What is already known of `token`, without asking the database: its principal, null when it
   * was refused, undefined when it is not remembered.
   */
  peek(token: string): Principal | null | undefined {
    const hash = hashToken(token);
    const now = Date.now();
    const hit = this.valid.get(hash);
    if (hit && hit.until > now) return hit.principal;
    const refusedUntil = this.refused.get(hash);
    if (refusedUntil !== undefined && refusedUntil > now) return null;
    return undefined;
  }

  /**
   * The token's principal, undefined when it is not valid, or `LOOKUP_BUSY` when `from` (the
   * caller's address) already has too many lookups waiting.
   */
  async verify(token: string, from = ''): Promise<Principal | undefined | typeof LOOKUP_BUSY> {
    const known = this.peek(token);
    if (known !== undefined) return known ?? undefined;
    const hash = hashToken(token);
    const shared = this.pending.get(hash);
    if (shared) return shared;
    const lane = this.lanes.get(from) ?? { tail: Promise.resolve(), waiting: 0 };
    if (lane.waiting >= (this.options.waitingPerAddress ?? 16)) return LOOKUP_BUSY;
    lane.waiting += 1;
    this.lanes.set(from, lane);
    const lookup = lane.tail.then(() => this.lookUp(hash));
    lane.tail = lookup.catch(() => undefined);
    this.pending.set(hash, lookup);
    try {
      return await lookup;
    } finally {
      this.pending.delete(hash);
      lane.waiting -= 1;
      if (lane.waiting === 0 && this.lanes.get(from) === lane) this.lanes.delete(from);
    }
  }

  private async lookUp(hash: string): Promise<Principal | undefined> {
    const [row] = await this.db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
    const until = Date.now() + (this.options.ttlMs ?? 10_000);
    if (!row) {
      remember(this.refused, hash, until, this.options.refused ?? 1_000);
      return undefined;
    }
    const principal: Principal = {
      tokenId: row.id,
      name: row.name,
      role: row.role as Role,
      ...(row.agencyCode ? { agencyCode: row.agencyCode } : {}),
      ...(row.registry ? { registry: row.registry } : {}),
    };
    remember(this.valid, hash, { principal, until }, this.options.valid ?? 10_000);
    return principal;
  }

  forget(tokenId: string): void {
    for (const [hash, entry] of this.valid) if (entry.principal.tokenId === tokenId) this.valid.delete(hash);
  }
}

/** Sets `key`, first dropping the oldest entry when the map is full (a Map keeps insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  map.delete(key);
  if (map.size >= limit) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/**
 * The first coordinator token. DONDOC_BOOTSTRAP_TOKEN, when set, is registered (once). Otherwise,
 * on a database with no token at all, one is generated, written to `<dataDir>/bootstrap-token`,
 * readable by its owner only, and returned once so that the process can tell the person who
 * started it (never through the log).
 */
const BOOTSTRAP_FROM_CONFIG = 'DONDOC_BOOTSTRAP_TOKEN';
const SYSTEM: Actor = { role: 'system', name: 'khởi động' };

export async function ensureBootstrapToken(
  db: Database,
  options: { configured?: string; dataDir: string },
): Promise<{ created: false } | { created: true; generated?: { token: string; file: string } }> {
  return db.transaction(async (tx) => {
    // Several API replicas may start at once on an empty database: one generates, the rest see it.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('dondoc:bootstrap-token'))`);
    if (options.configured) {
      const hash = hashToken(options.configured);
      // A changed DONDOC_BOOTSTRAP_TOKEN replaces the old one: whoever still holds that is out.
      const replaced = await tx
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(
          and(
            eq(apiTokens.createdBy, BOOTSTRAP_FROM_CONFIG),
            ne(apiTokens.tokenHash, hash),
            isNull(apiTokens.revokedAt),
          ),
        )
        .returning({ id: apiTokens.id });
      for (const { id } of replaced)
        await recordAudit(tx, {
          actor: SYSTEM,
          action: 'token-revoke',
          entityType: 'token',
          entityId: id,
          from: 'active',
          to: 'revoked',
          details: { reason: 'DONDOC_BOOTSTRAP_TOKEN changed' },
        });
      const inserted = await tx
        .insert(apiTokens)
        .values({ name: 'bootstrap', role: 'coordinator', tokenHash: hash, createdBy: BOOTSTRAP_FROM_CONFIG })
        .onConflictDoNothing()
        .returning({ id: apiTokens.id });
      for (const { id } of inserted)
        await recordAudit(tx, {
          actor: SYSTEM,
          action: 'token-create',
          entityType: 'token',
          entityId: id,
          to: 'active',
          details: { name: 'bootstrap', role: 'coordinator', from: BOOTSTRAP_FROM_CONFIG },
        });
      return { created: inserted.length > 0 };
    }
    const [{ value }] = (await tx.select({ value: count() }).from(apiTokens)) as [{ value: number }];
    if (value > 0) return { created: false };
    const token = generateToken();
    const [created] = await tx
      .insert(apiTokens)
      .values({ name: 'bootstrap', role: 'coordinator', tokenHash: hashToken(token), createdBy: 'first start' })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, {
      actor: SYSTEM,
      action: 'token-create',
      entityType: 'token',
      entityId: created!.id,
      to: 'active',
      details: { name: 'bootstrap', role: 'coordinator', from: 'first start' },
    });
    const file = join(options.dataDir, 'bootstrap-token');
    await mkdir(options.dataDir, { recursive: true });
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return { created: true, generated: { token, file } };
  });
}
