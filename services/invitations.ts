import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, type SQL } from 'drizzle-orm';
import type { Actor } from '../domain/lifecycle.ts';
import type { Role } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { invitations, sessions, users } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { actorOfUser, normaliseEmail, openSession, toAccount, type Account, type NewSession } from './accounts.ts';
import { Conflict, Forbidden, Invalid, NotFound } from './errors.ts';
import { checkPassword, hashPassword } from './passwords.ts';
import { loadRegistry, registriesKnowing } from './registries.ts';
import { clearThrottle } from './sign-in-throttle.ts';
import type { AgencyLabel } from '../domain/agencies/names.ts';
import { withAgencyLabel, withAgencyLabels } from './agency-labels.ts';

/**
 * Links that let a person in: a coordinator's invitation makes an account; a reset link (which a
 * coordinator makes for someone who forgot their password) sets a new password on one. Either is
 * single use, expires after INVITATION_DAYS, can be revoked, and is kept only as a SHA-256 of its
 * secret; the secret is returned once.
 */

export const INVITATION_DAYS = 7;

/** What the stored password of an account being reset is: no scrypt hash, so no password matches it. */
const NO_PASSWORD = 'reset';

export type InvitationKind = 'account' | 'reset';

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
  kind: InvitationKind;
  email: string;
  name: string;
  role: Role;
  agencyCode: string | null;
  registry: string | null;
  expiresAt: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newToken = () => `inv_${randomBytes(32).toString('base64url')}`;

function toInvitation(row: typeof invitations.$inferSelect): Invitation {
  return {
    id: row.id,
    kind: row.kind as InvitationKind,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    agencyCode: row.agencyCode,
    registry: row.registry,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** Not used, not revoked, not expired. */
const isOpen = () =>
  and(isNull(invitations.usedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date()));

function checkEmail(email: string): string {
  const value = normaliseEmail(email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    throw new Invalid(`Địa chỉ thư điện tử "${email}" không hợp lệ.`, [{ field: '/email', message: 'không hợp lệ' }]);
  return value;
}

/** Revokes the open links `where` picks (replaced by a newer one), each audited. */
async function revokeOpen(
  tx: Pick<Database, 'update' | 'insert'>,
  where: SQL | undefined,
  by: Actor,
  reason: string,
): Promise<void> {
  const revoked = await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(where, isOpen()))
    .returning({ id: invitations.id, email: invitations.email });
  for (const row of revoked)
    await recordAudit(tx, {
      actor: by,
      action: 'invitation-revoke',
      entityType: 'invitation',
      entityId: row.id,
      from: 'open',
      to: 'revoked',
      details: { email: row.email, reason },
    });
}

/**
 * A coordinator invites a person: an agency's account is bound to a known agency of one registry.
 * An address may be invited again while it has no account (its earlier invitation expired, was
 * revoked or is still open: the open one is revoked, so one link at a time works).
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
  const token = newToken();
  return db.transaction(async (tx) => {
    await revokeOpen(tx, and(eq(invitations.email, email), eq(invitations.kind, 'account')), input.by, 'invited again');
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

/** The links still open (not used, revoked or expired), newest first; of one registry when given. */
export async function listInvitations(db: Database, registry?: string): Promise<Invitation[]> {
  const rows = await db
    .select()
    .from(invitations)
    .where(and(isOpen(), registry !== undefined ? eq(invitations.registry, registry) : undefined))
    .orderBy(desc(invitations.createdAt));
  return withAgencyLabels(db, rows.map(toInvitation));
}

/** A coordinator (of `registry`, when given) revokes an open link: it lets nobody in any more. */
export async function revokeInvitation(db: Database, id: string, by: Actor, registry?: string): Promise<Invitation> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(invitations).where(eq(invitations.id, id)).for('update');
    if (!row || (registry !== undefined && row.registry !== registry)) throw new NotFound('Không có lời mời này.');
    if (row.usedAt) throw new Conflict('Lời mời đã được dùng; hãy khoá tài khoản nếu cần.');
    if (!row.revokedAt) await revokeOpen(tx, eq(invitations.id, id), by, 'revoked');
    return toInvitation(row);
  });
}

async function openInvitation(db: Pick<Database, 'select'>, token: string) {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, sha256(token)), isOpen()));
  if (!row) throw new NotFound('Lời mời không tồn tại, đã được dùng, đã bị thu hồi hoặc đã hết hạn.');
  return row;
}

/** What a link is for, before the person chooses a password. */
export async function readInvitation(db: Database, token: string): Promise<Invitation & { agency?: AgencyLabel }> {
  return withAgencyLabel(db, toInvitation(await openInvitation(db, token)));
}

/**
 * The person chooses a password: an invitation makes the account, a reset link sets the
 * account's password; either way the link is spent and a session opened.
 */
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
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.usedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (spent.length === 0) throw new NotFound('Lời mời đã được dùng.');
    if (invitation.kind === 'reset') {
      const [user] = await tx
        .update(users)
        .set({ passwordHash })
        .where(and(eq(users.id, invitation.userId ?? ''), isNull(users.disabledAt)))
        .returning();
      if (!user) throw new NotFound('Tài khoản của liên kết này không còn hoặc đã bị khoá.');
      await clearThrottle(tx, user.email);
      await recordAudit(tx, {
        actor: actorOfUser(user),
        action: 'password-set',
        entityType: 'user',
        entityId: user.id,
        from: 'reset',
        to: 'active',
        details: { invitation: invitation.id },
      });
      return { account: toAccount(user), session: await openSession(tx, user.id) };
    }
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
    await recordAudit(tx, {
      actor: actorOfUser(user!),
      action: 'user-create',
      entityType: 'user',
      entityId: user!.id,
      from: 'invited',
      to: 'active',
      details: { invitation: invitation.id, email: user!.email, role: user!.role, agencyCode: user!.agencyCode },
    });
    return { account: toAccount(user!), session: await openSession(tx, user!.id) };
  });
}

/**
 * A coordinator (of `registry`, when given) resets a person's password: their sessions end, the
 * old password stops working at once, and a reset link is returned (once) for them to choose a
 * new one; an earlier reset link of theirs is revoked.
 */
export async function resetPassword(
  db: Database,
  userId: string,
  by: Actor,
  registry?: string,
): Promise<Invitation & { token: string }> {
  const token = newToken();
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user || (registry !== undefined && user.registry !== registry)) throw new NotFound('Không có tài khoản này.');
    if (user.disabledAt) throw new Conflict('Tài khoản đang bị khoá; hãy mở khoá trước khi đặt lại mật khẩu.');
    await tx.update(users).set({ passwordHash: NO_PASSWORD }).where(eq(users.id, userId));
    const ended = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.idHash });
    await revokeOpen(
      tx,
      and(eq(invitations.kind, 'reset'), eq(invitations.userId, userId)),
      by,
      'password reset again',
    );
    const [row] = await tx
      .insert(invitations)
      .values({
        kind: 'reset',
        tokenHash: sha256(token),
        email: user.email,
        name: user.name,
        role: user.role,
        agencyCode: user.agencyCode,
        registry: user.registry,
        createdBy: by.name,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
        userId,
      })
      .returning();
    await recordAudit(tx, {
      actor: by,
      action: 'password-reset',
      entityType: 'user',
      entityId: userId,
      to: 'reset',
      details: { email: user.email, invitation: row!.id, sessionsEnded: ended.length },
    });
    return { ...toInvitation(row!), token };
  });
}
