import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Actor } from '../domain/lifecycle.ts';
import type { Principal, Role } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { sessions, signInThrottle, users } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { NotFound } from './errors.ts';
import { checkPassword, decoy, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { clearThrottle, heldBackUntil, recordFailure } from './sign-in-throttle.ts';
import { fold } from '../domain/text.ts';
import type { AgencyLabel } from '../domain/agencies/names.ts';
import { withAgencyLabel, withAgencyLabels } from './agency-labels.ts';

/**
 * Personal accounts: people sign in as themselves with a password (scrypt), hold a session in a
 * cookie, and are attributed by name and e-mail in the audit trail. An account maps onto the same
 * principal as a token, so the scope checks are the ones tokens already pass.
 */

export const SESSION_HOURS = 12;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  agencyCode: string | null;
  registry: string | null;
  createdAt: string;
  disabled: boolean;
  /** Sign-ins with this e-mail are held back, from some address, after repeated wrong passwords. */
  locked: boolean;
}

export function toAccount(row: typeof users.$inferSelect, locked = false): Account {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    agencyCode: row.agencyCode,
    registry: row.registry,
    createdAt: row.createdAt.toISOString(),
    disabled: row.disabledAt !== null,
    locked,
  };
}

/** How a person appears in the audit trail: "Nguyễn Văn An <an@snv.gov.vn>". */
export function personName(user: { name: string; email: string }): string {
  return `${user.name} <${user.email}>`;
}

export function principalOf(user: typeof users.$inferSelect | Account): Principal {
  return {
    role: user.role as Role,
    ...(user.agencyCode ? { agencyCode: user.agencyCode } : {}),
    ...(user.registry ? { registry: user.registry } : {}),
    name: personName(user),
    tokenId: `user:${user.id}`,
    userId: user.id,
  };
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function actorOfUser(user: typeof users.$inferSelect): Actor {
  return {
    role: user.role as Role,
    ...(user.agencyCode ? { agencyCode: user.agencyCode } : {}),
    name: personName(user),
  };
}

export interface NewSession {
  /** The cookie's value: shown to the browser once, kept only as a hash. */
  id: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function openSession(db: Pick<Database, 'insert'>, userId: string): Promise<NewSession> {
  const id = secret();
  const csrfToken = secret();
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await db.insert(sessions).values({ idHash: sha256(id), userId, csrfToken, expiresAt });
  return { id, csrfToken, expiresAt };
}

export type SignInResult =
  | { ok: true; account: Account; session: NewSession }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'held-back'; until: Date };

const SIGN_IN: Actor = { role: 'system', name: 'đăng nhập' };

/**
 * Counts a wrong password for (e-mail, address); when that pair starts to wait, the audit trail
 * says so, keyed by the account when there is one, else by the e-mail as typed. Never the password.
 */
async function countFailure(db: Database, email: string, from: string, now: Date, userId?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const failed = await recordFailure(tx, email, from, now);
    if (failed.until > now)
      await recordAudit(tx, {
        actor: SIGN_IN,
        action: 'sign-in-hold-back',
        entityType: userId ? 'user' : 'sign-in',
        entityId: userId ?? normaliseEmail(email),
        to: 'held-back',
        details: { failures: failed.failures, until: failed.until.toISOString(), from },
      });
  });
}

/**
 * Checks an e-mail and password typed at `from` (the client's address). Wrong ones hold back that
 * pair's next attempt a little longer each time (services/sign-in-throttle.ts); the right password
 * from another address is not held back, and no account is ever locked. An unknown e-mail, a
 * disabled account and a wrong password get the same answer after the same work; a pair that
 * starts to be held back is audited (never the password).
 */
export async function signIn(db: Database, email: string, password: string, from: string): Promise<SignInResult> {
  const now = new Date();
  const until = await heldBackUntil(db, email, from, now);
  if (until) return { ok: false, reason: 'held-back', until };
  const [found] = await db
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)));
  const user = found && !found.disabledAt ? found : undefined;
  const right = await verifyPassword(password, user?.passwordHash ?? (await decoy()));
  if (!user || !right) {
    // The wait counts from the wrong answer, not from the request: the hash alone takes most of a second.
    await countFailure(db, email, from, new Date(), user?.id);
    return { ok: false, reason: 'wrong' };
  }
  // A hash of an older, cheaper cost is made again now that the password is known.
  const rehashed = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  return db.transaction(async (tx) => {
    await clearThrottle(tx, user.email, from);
    if (rehashed)
      await tx
        .update(users)
        .set({ passwordHash: rehashed })
        .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
    await recordAudit(tx, {
      actor: actorOfUser(user),
      action: 'session-open',
      entityType: 'user',
      entityId: user.id,
      details: { from },
    });
    return { ok: true as const, account: toAccount(user), session: await openSession(tx, user.id) };
  });
}

export interface SessionInfo {
  account: Account;
  principal: Principal;
  csrfToken: string;
}

/** The person behind a session cookie, or undefined when it is unknown, expired or the account disabled. */
export async function findSession(db: Database, id: string): Promise<SessionInfo | undefined> {
  const [row] = await db
    .select({ user: users, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sha256(id)), gt(sessions.expiresAt, new Date()), isNull(users.disabledAt)));
  if (!row) return undefined;
  return { account: toAccount(row.user), principal: principalOf(row.user), csrfToken: row.csrfToken };
}

/** The account a session shows its person: with the agency named (one query; not on every request). */
export async function sessionAccount(db: Database, account: Account): Promise<Account & { agency?: AgencyLabel }> {
  return withAgencyLabel(db, account);
}

export async function signOut(db: Database, id: string, by: Actor, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.idHash, sha256(id)));
    // Expired sessions of anyone go with it: the table holds live sessions only.
    await tx.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    await recordAudit(tx, { actor: by, action: 'session-close', entityType: 'user', entityId: userId });
  });
}

export type PasswordChange =
  { ok: true } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'held-back'; until: Date };

/**
 * A signed-in person changes their password, giving the current one (checked, and throttled,
 * like a sign-in from `from`). Their other sessions end; the one they are using stays.
 */
export async function changePassword(
  db: Database,
  input: { userId: string; sessionId: string; current: string; next: string; from: string },
): Promise<PasswordChange> {
  checkPassword(input.next, '/next');
  const now = new Date();
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user) throw new NotFound('Không có tài khoản này.');
  const until = await heldBackUntil(db, user.email, input.from, now);
  if (until) return { ok: false, reason: 'held-back', until };
  if (!(await verifyPassword(input.current, user.passwordHash))) {
    await countFailure(db, user.email, input.from, new Date(), user.id);
    return { ok: false, reason: 'wrong' };
  }
  const passwordHash = await hashPassword(input.next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, user.id), ne(sessions.idHash, sha256(input.sessionId))))
      .returning({ id: sessions.idHash });
    await clearThrottle(tx, user.email, input.from);
    await recordAudit(tx, {
      actor: actorOfUser(user),
      action: 'password-change',
      entityType: 'user',
      entityId: user.id,
      details: { from: input.from, sessionsEnded: ended.length },
    });
  });
  return { ok: true };
}

/** The accounts, of one registry when `registry` is given. */
export async function listAccounts(db: Database, registry?: string): Promise<Account[]> {
  const heldBack = sql<boolean>`exists (select 1 from ${signInThrottle} where ${signInThrottle.email} = ${users.email} and ${signInThrottle.blockedUntil} > now())`;
  return (
    await db
      .select({ user: users, heldBack })
      .from(users)
      .where(registry !== undefined ? eq(users.registry, registry) : undefined)
      .orderBy(asc(users.name), asc(users.id))
  ).map((row) => toAccount(row.user, row.heldBack));
}

export interface AccountSearch {
  /** Part of the name or e-mail, with or without diacritics ("nguyen van an"). */
  q?: string;
  role?: Role;
  agency?: string;
  limit: number;
  /** How many of the ordered matches the page skips (the cursor). */
  offset: number;
}

/**
 * The people picker's search: accounts of the registry (or every one), by name and e-mail,
 * diacritics optional, in name order, a page at a time with how many match in all. The registry's
 * accounts are read by its index; a province has hundreds of people, folded here.
 */
export async function searchAccounts(
  db: Database,
  registry: string | undefined,
  search: AccountSearch,
): Promise<{ items: (Account & { agency?: AgencyLabel })[]; total: number }> {
  const needle = search.q ? fold(search.q) : '';
  const all = (await listAccounts(db, registry)).filter(
    (a) =>
      (!search.role || a.role === search.role) &&
      (!search.agency || a.agencyCode === search.agency) &&
      (!needle || fold(`${a.name} ${a.email}`).includes(needle)),
  );
  return {
    items: await withAgencyLabels(db, all.slice(search.offset, search.offset + search.limit)),
    total: all.length,
  };
}

/**
 * Disables an account (its sessions end), or enables it again and lets every address try its
 * password at once (the held-back sign-ins of its e-mail are forgotten).
 */
export async function setAccountDisabled(
  db: Database,
  id: string,
  disabled: boolean,
  by: Actor,
  registry?: string,
): Promise<Account> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id));
    if (!before || (registry !== undefined && before.registry !== registry))
      throw new NotFound('Không có tài khoản này.');
    const [row] = await tx
      .update(users)
      .set({ disabledAt: disabled ? sql`coalesce(${users.disabledAt}, now())` : null })
      .where(eq(users.id, id))
      .returning();
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, id));
    else await clearThrottle(tx, before.email);
    await recordAudit(tx, {
      actor: by,
      action: disabled ? 'user-disable' : 'user-enable',
      entityType: 'user',
      entityId: id,
      from: before.disabledAt ? 'disabled' : 'active',
      to: disabled ? 'disabled' : 'active',
      details: { email: before.email },
    });
    return toAccount(row!);
  });
}
