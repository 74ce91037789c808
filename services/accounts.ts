import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Actor } from '../domain/lifecycle.ts';
import type { Principal, Role } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { invitations, sessions, signInThrottle, users } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { clearThrottle, heldBackUntil, recordFailure } from './sign-in-throttle.ts';
import { Conflict, Forbidden, Invalid, NotFound } from './errors.ts';
import { loadRegistry, registriesKnowing } from './registries.ts';

/**
 * Personal accounts: people sign in as themselves with a password (scrypt), hold a session in a
 * cookie, and are attributed by name and e-mail in the audit trail. An account maps onto the same
 * principal as a token, so the scope checks are the ones tokens already pass.
 */

export const SESSION_HOURS = 12;
export const INVITATION_DAYS = 7;
export const MIN_PASSWORD_LENGTH = 10;

// scrypt's cost: N = 2^15 (32 MiB of memory with r = 8), about 50 ms a sign-in on one core.
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 64;

function scryptAsync(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: SCRYPT.maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** "scrypt$N$r$p$salt$key" (base64url), so the cost can grow without invalidating old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  // No password (one being reset): the same work as a wrong one, so the answer takes as long.
  if (scheme !== 'scrypt' || !salt || !key) {
    await verifyPassword(password, await decoy());
    return false;
  }
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Compared against when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword(randomBytes(32).toString('base64url')));

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

function toAccount(row: typeof users.$inferSelect, locked = false): Account {
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

const normaliseEmail = (email: string) => email.trim().toLowerCase();

function checkEmail(email: string): string {
  const value = normaliseEmail(email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    throw new Invalid(`Địa chỉ thư điện tử "${email}" không hợp lệ.`, [{ field: '/email', message: 'không hợp lệ' }]);
  return value;
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new Invalid(`Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`, [
      { field: '/password', message: `ít nhất ${MIN_PASSWORD_LENGTH} ký tự` },
    ]);
}

export interface InvitationInput {
  email: string;
  name: string;
  role: Role;
  agency?: string;
  registry?: string;
  by: Actor;
  /** The registry of whoever invites: a province's coordinator invites into its own province. */
  byRegistry?: string;
}

export interface Invitation {
  id: string;
  email: string;
  name: string;
  role: Role;
  agencyCode: string | null;
  registry: string | null;
  expiresAt: string;
}

/**
 * A coordinator invites a person: an agency's account is bound to a known agency of one registry;
 * the secret of the link is returned once, only its hash kept.
 */
export async function invite(db: Database, input: InvitationInput): Promise<Invitation & { token: string }> {
  const email = checkEmail(input.email);
  const name = input.name.trim();
  if (!name) throw new Invalid('Cần họ tên người được mời.', [{ field: '/name', message: 'bắt buộc' }]);
  if (input.byRegistry !== undefined && input.registry !== undefined && input.registry !== input.byRegistry)
    throw new Forbidden(`Chỉ được mời người dùng trong danh mục "${input.byRegistry}".`);
  let registry = input.registry ?? input.byRegistry;
  if (input.role === 'agency') {
    if (!input.agency)
      throw new Invalid('Tài khoản của cơ quan cần mã cơ quan.', [{ field: '/agency', message: 'bắt buộc' }]);
    const knowing = await registriesKnowing(db, input.agency);
    if (registry !== undefined ? !knowing.includes(registry) : knowing.length !== 1)
      throw new Invalid(
        knowing.length > 1 && registry === undefined
          ? `Mã cơ quan "${input.agency}" có trong nhiều danh mục; hãy chọn danh mục.`
          : `Không có cơ quan mã "${input.agency}" trong danh mục${registry ? ` "${registry}"` : ''}.`,
        [
          knowing.length > 1 && registry === undefined
            ? { field: '/registry', message: `mã cơ quan "${input.agency}" có trong nhiều danh mục; hãy chọn một` }
            : { field: '/agency', message: `không có cơ quan mã "${input.agency}" trong danh mục` },
        ],
      );
    registry ??= knowing[0];
  } else if (input.agency) {
    throw new Invalid('Chỉ tài khoản của cơ quan mới gắn với một cơ quan.', [
      { field: '/agency', message: `không dùng với vai trò "${input.role}"` },
    ]);
  } else if (registry !== undefined && !(await loadRegistry(db, registry))) {
    throw new Invalid(`Không có danh mục cơ quan "${registry}".`, [{ field: '/registry', message: 'không có' }]);
  }
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw new Conflict(`Đã có tài khoản với địa chỉ ${email}.`);
  const token = `inv_${secret()}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(invitations)
      .values({
        tokenHash: sha256(token),
        email,
        name,
        role: input.role,
        agencyCode: input.role === 'agency' ? input.agency! : null,
        registry: registry ?? null,
        createdBy: input.by.name,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      })
      .returning();
    await recordAudit(tx, {
      actor: input.by,
      action: 'user-invite',
      entityType: 'invitation',
      entityId: row!.id,
      to: 'invited',
      details: { email, name, role: row!.role, agencyCode: row!.agencyCode, registry: row!.registry },
    });
    return { ...toInvitation(row!), token };
  });
}

function toInvitation(row: typeof invitations.$inferSelect): Invitation {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    agencyCode: row.agencyCode,
    registry: row.registry,
    expiresAt: row.expiresAt.toISOString(),
  };
}

async function openInvitation(db: Pick<Database, 'select'>, token: string) {
  const [row] = await db
    .select()
    .from(invitations)
    .where(
      and(eq(invitations.tokenHash, sha256(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, new Date())),
    );
  if (!row) throw new NotFound('Lời mời không tồn tại, đã được dùng hoặc đã hết hạn.');
  return row;
}

/** What an invitation link is for, before the person chooses a password. */
export async function readInvitation(db: Database, token: string): Promise<Invitation> {
  return toInvitation(await openInvitation(db, token));
}

/** The invited person chooses a password: the account is created, the link spent, a session opened. */
export async function acceptInvitation(
  db: Database,
  token: string,
  password: string,
): Promise<{ account: Account; session: NewSession }> {
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const invitation = await openInvitation(tx, token);
    const spent = await tx
      .update(invitations)
      .set({ usedAt: new Date() })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.usedAt)))
      .returning({ id: invitations.id });
    if (spent.length === 0) throw new NotFound('Lời mời đã được dùng.');
    const [clash] = await tx.select({ id: users.id }).from(users).where(eq(users.email, invitation.email));
    if (clash) throw new Conflict(`Đã có tài khoản với địa chỉ ${invitation.email}.`);
    const [user] = await tx
      .insert(users)
      .values({
        email: invitation.email,
        name: invitation.name,
        role: invitation.role,
        agencyCode: invitation.agencyCode,
        registry: invitation.registry,
        passwordHash,
        createdBy: invitation.createdBy,
      })
      .returning();
    await tx.update(invitations).set({ userId: user!.id }).where(eq(invitations.id, invitation.id));
    const actor = actorOfUser(user!);
    await recordAudit(tx, {
      actor,
      action: 'user-create',
      entityType: 'user',
      entityId: user!.id,
      from: 'invited',
      to: 'active',
      details: { invitation: invitation.id, email: user!.email, role: user!.role, agencyCode: user!.agencyCode },
    });
    const session = await openSession(tx, user!.id);
    return { account: toAccount(user!), session };
  });
}

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

async function openSession(db: Pick<Database, 'insert'>, userId: string): Promise<NewSession> {
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
    await db.transaction(async (tx) => {
      const failed = await recordFailure(tx, email, from, now);
      if (failed.until > now)
        await recordAudit(tx, {
          actor: SIGN_IN,
          action: 'sign-in-hold-back',
          // Keyed like the throttle: the account when there is one, else the e-mail as typed.
          entityType: user ? 'user' : 'sign-in',
          entityId: user ? user.id : normaliseEmail(email),
          to: 'held-back',
          details: { failures: failed.failures, until: failed.until.toISOString(), from },
        });
    });
    return { ok: false, reason: 'wrong' };
  }
  return db.transaction(async (tx) => {
    await clearThrottle(tx, user.email, from);
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

export async function signOut(db: Database, id: string, by: Actor, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.idHash, sha256(id)));
    // Expired sessions of anyone go with it: the table holds live sessions only.
    await tx.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    await recordAudit(tx, { actor: by, action: 'session-close', entityType: 'user', entityId: userId });
  });
}

/** The accounts, of one registry when `registry` is given. */
export async function listAccounts(db: Database, registry?: string): Promise<Account[]> {
  const heldBack = sql<boolean>`exists (select 1 from ${signInThrottle} where ${signInThrottle.email} = ${users.email} and ${signInThrottle.blockedUntil} > now())`;
  return (
    await db
      .select({ user: users, heldBack })
      .from(users)
      .where(registry !== undefined ? eq(users.registry, registry) : undefined)
      .orderBy(asc(users.name))
  ).map((row) => toAccount(row.user, row.heldBack));
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
