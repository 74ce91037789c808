import { randomBytes } from 'node:crypto';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import {
  contactRoles,
  deliveryChannels,
  deliveryModes,
  effectivePreferences,
  isEmailAddress,
  notificationKinds,
  type ContactPreferences,
  type DeliveryChannel,
  type DeliveryMode,
} from '../domain/delivery-preferences.ts';
import type { Actor } from '../domain/lifecycle.ts';
import type { NotificationKind, Role as NotificationRole } from '../domain/notifications.ts';
import type { Principal } from '../domain/permissions.ts';
import { isWebhookSecret, WEBHOOK_SECRET_PREFIX } from '../domain/webhook-signature.ts';
import {
  maskWebhookAddress,
  targetRefusalNames,
  webhookAddressProblem,
  type CidrRange,
} from '../domain/webhook-target.ts';
import type { Database } from '../db/client.ts';
import { contacts } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { Conflict, Forbidden, Invalid, NotFound } from './errors.ts';
import { findAgencyByCode, loadRegistry } from './registries.ts';

/**
 * Who receives notifications by e-mail or webhook. The coordinator of a registry manages every
 * contact of it; an agency manages its own. Every change is audited. A webhook's URL is shown whole
 * to those who manage the contact and masked for the others who see it (leadership): its path is
 * often a key.
 */

export interface ContactView {
  id: string;
  registry: string;
  agencyCode: string | null;
  role: NotificationRole | null;
  channel: DeliveryChannel;
  /** An e-mail address, or a webhook's URL (scheme and host only, "https://host/…", to whoever may not manage it). */
  address: string;
  name: string;
  /** A webhook's secret is shown once, when created; afterwards only that it has one. */
  hasSecret: boolean;
  /** The contact's own choices. */
  preferences: ContactPreferences;
  /** Every kind with the mode it goes out in (its choices over the defaults). */
  modes: Record<NotificationKind, DeliveryMode>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  registry?: string;
  agency?: string;
  role?: NotificationRole;
  channel: DeliveryChannel;
  address: string;
  name?: string;
  /** For a webhook: whsec_<base64>; generated when absent. */
  secret?: string;
  preferences?: ContactPreferences;
}

/** What the deployment allows of webhook targets (DONDOC_WEBHOOK_ALLOW). */
export interface WebhookTargets {
  /** Internal ranges a webhook may point at; every other internal address is refused. */
  webhookAllow?: readonly CidrRange[];
}

export interface ContactChange {
  name?: string;
  address?: string;
  /** Merged over the current choices; a kind set to null goes back to its default. */
  preferences?: Partial<Record<NotificationKind, DeliveryMode | null>>;
}

/** Who acts, for a service: the principal (its registry and agency) and its name for the audit trail. */
export interface ContactActor {
  principal: Principal;
  actor: Actor;
}

/** The contact as `principal` sees it: a webhook's URL whole only for those who manage the contact. */
function toView(row: typeof contacts.$inferSelect, principal: Principal): ContactView {
  return {
    id: row.id,
    registry: row.registry,
    agencyCode: row.agencyCode,
    role: row.role as NotificationRole | null,
    channel: row.channel as DeliveryChannel,
    address: row.channel === 'webhook' && !mayManage(principal, row) ? maskWebhookAddress(row.address) : row.address,
    name: row.name,
    hasSecret: row.secret !== null,
    preferences: row.preferences,
    modes: effectivePreferences(row.preferences),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function newWebhookSecret(): string {
  // 32 random bytes: the Standard Webhooks specification asks for 24 to 64.
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

function checkAddress(channel: DeliveryChannel, address: string, targets: WebhookTargets): void {
  if (channel === 'email') {
    if (!isEmailAddress(address))
      throw new Invalid('Địa chỉ thư điện tử không hợp lệ.', [
        { field: '/address', message: 'Không phải địa chỉ thư.' },
      ]);
    return;
  }
  const problem =
    address.length > 2000 ? { kind: 'not-http' as const } : webhookAddressProblem(address, targets.webhookAllow ?? []);
  if (problem?.kind === 'not-http')
    throw new Invalid('Địa chỉ webhook phải là một URL http:// hoặc https://.', [
      { field: '/address', message: 'Không phải URL http(s).' },
    ]);
  if (problem?.kind === 'credentials')
    throw new Invalid(
      'Địa chỉ webhook không được chứa tên đăng nhập hay mật khẩu: máy nhận xác thực tin bằng chữ ký (khoá bí mật whsec_).',
      [{ field: '/address', message: 'Bỏ phần "tên:mật-khẩu@" khỏi URL.' }],
    );
  if (problem?.kind === 'target')
    throw new Invalid(
      `Địa chỉ webhook trỏ vào ${targetRefusalNames[problem.refusal]}: không được phép. ` +
        'Máy nhận trong mạng của tỉnh cần được người vận hành cho phép (DONDOC_WEBHOOK_ALLOW).',
      [{ field: '/address', message: `Không được gửi tới ${targetRefusalNames[problem.refusal]}.` }],
    );
}

function checkPreferences(preferences: Record<string, unknown>): void {
  const errors = Object.entries(preferences)
    .filter(
      ([kind, mode]) =>
        !notificationKinds.includes(kind as NotificationKind) ||
        (mode !== null && !deliveryModes.includes(mode as DeliveryMode)),
    )
    .map(([kind]) => ({
      field: `/preferences/${kind}`,
      message: `Loại thông báo là một trong: ${notificationKinds.join(', ')}; cách gửi là immediate hoặc digest.`,
    }));
  if (errors.length > 0) throw new Invalid('Lựa chọn cách nhận thông báo không hợp lệ.', errors);
}

/** The registry the principal acts in: its own, or the one it names (a deployment-wide coordinator). */
function registryFor(principal: Principal, given: string | undefined): string {
  if (principal.registry !== undefined) {
    if (given !== undefined && given !== principal.registry)
      throw new Forbidden(`Chỉ được quản lý người nhận trong danh mục "${principal.registry}".`);
    return principal.registry;
  }
  if (!given)
    throw new Invalid('Cần chỉ rõ danh mục (tỉnh) của người nhận.', [{ field: '/registry', message: 'Bắt buộc.' }]);
  return given;
}

/** Whether the principal may change this contact: the registry's coordinator, or the agency itself. */
export function mayManage(principal: Principal, row: { registry: string; agencyCode: string | null }): boolean {
  if (principal.registry !== undefined && principal.registry !== row.registry) return false;
  if (principal.role === 'coordinator') return true;
  return principal.role === 'agency' && row.agencyCode !== null && row.agencyCode === principal.agencyCode;
}

/** Whether the principal may see it: as `mayManage`, and leadership sees its registry's. */
function maySee(principal: Principal, row: { registry: string; agencyCode: string | null }): boolean {
  if (principal.registry !== undefined && principal.registry !== row.registry) return false;
  return principal.role === 'leadership' || mayManage(principal, row);
}

export async function listContacts(
  db: Database,
  principal: Principal,
  filter: { registry?: string; agency?: string } = {},
): Promise<ContactView[]> {
  const where: (SQL | undefined)[] = [];
  if (principal.registry !== undefined) where.push(eq(contacts.registry, principal.registry));
  if (filter.registry !== undefined) where.push(eq(contacts.registry, filter.registry));
  if (principal.role === 'agency') where.push(eq(contacts.agencyCode, principal.agencyCode ?? ''));
  if (filter.agency !== undefined) where.push(eq(contacts.agencyCode, filter.agency));
  const rows = await db
    .select()
    .from(contacts)
    .where(and(...where))
    .orderBy(asc(contacts.registry), asc(contacts.agencyCode), asc(contacts.role), asc(contacts.createdAt));
  return rows.map((row) => toView(row, principal));
}

export async function getContact(db: Database, principal: Principal, id: string): Promise<ContactView> {
  const [row] = await db.select().from(contacts).where(eq(contacts.id, id));
  if (!row || !maySee(principal, row)) throw new NotFound('Không có người nhận này.');
  return toView(row, principal);
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause)
    if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}

/** Adds a contact; a webhook's secret is in the answer, this once. */
export async function addContact(
  db: Database,
  by: ContactActor,
  input: ContactInput,
  targets: WebhookTargets = {},
): Promise<ContactView & { secret?: string }> {
  const { principal } = by;
  const registry = registryFor(principal, input.registry);
  if (!deliveryChannels.includes(input.channel))
    throw new Invalid('Kênh nhận là email hoặc webhook.', [{ field: '/channel', message: 'email hoặc webhook.' }]);
  if (principal.role === 'leadership')
    throw new Forbidden('Chỉ cơ quan thường trực hoặc cơ quan chủ trì được thêm người nhận.');
  if (principal.role === 'agency' && (input.role || (input.agency && input.agency !== principal.agencyCode)))
    throw new Forbidden('Cơ quan chỉ quản lý người nhận của chính mình.');
  // An agency adds its own contacts without naming itself.
  const agency = principal.role === 'agency' ? principal.agencyCode : input.agency;
  if (Boolean(agency) === Boolean(input.role))
    throw new Invalid('Người nhận thuộc một cơ quan (agency) hoặc một vai trò (role), không cả hai.', [
      { field: '/agency', message: 'Chỉ rõ agency hoặc role.' },
    ]);
  if (input.role && !contactRoles.includes(input.role))
    throw new Invalid('Vai trò không hợp lệ.', [{ field: '/role', message: contactRoles.join(', ') }]);
  const known = await loadRegistry(db, registry);
  if (!known) throw new NotFound(`Không có danh mục "${registry}".`);
  if (agency && !findAgencyByCode(known, agency))
    throw new Invalid(`Danh mục "${registry}" không có cơ quan mã "${agency}".`, [
      { field: '/agency', message: 'Mã cơ quan không có trong danh mục.' },
    ]);
  const address = input.channel === 'email' ? input.address.trim().toLowerCase() : input.address.trim();
  checkAddress(input.channel, address, targets);
  checkPreferences(input.preferences ?? {});
  let secret: string | undefined;
  if (input.channel === 'webhook') {
    secret = input.secret ?? newWebhookSecret();
    if (!isWebhookSecret(secret))
      throw new Invalid('Khóa bí mật webhook có dạng whsec_ và ít nhất 24 byte mã base64.', [
        { field: '/secret', message: 'Không đúng dạng whsec_<base64>.' },
      ]);
  } else if (input.secret !== undefined) {
    throw new Invalid('Chỉ webhook mới có khóa bí mật.', [{ field: '/secret', message: 'Chỉ dùng cho webhook.' }]);
  }
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(contacts)
        .values({
          registry,
          agencyCode: agency ?? null,
          role: input.role ?? null,
          channel: input.channel,
          address,
          name: input.name?.trim() ?? '',
          secret: secret ?? null,
          preferences: input.preferences ?? {},
          createdBy: by.actor.name,
        })
        .returning();
      await recordAudit(tx, {
        actor: by.actor,
        action: 'contact-add',
        entityType: 'contact',
        entityId: row!.id,
        to: row!.channel,
        details: {
          registry,
          agencyCode: row!.agencyCode,
          role: row!.role,
          channel: row!.channel,
          address,
          preferences: row!.preferences,
        },
      });
      return { ...toView(row!, principal), ...(secret ? { secret } : {}) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('Người nhận này đã có địa chỉ đó trên kênh đó.');
    throw error;
  }
}

export async function updateContact(
  db: Database,
  by: ContactActor,
  id: string,
  change: ContactChange,
  targets: WebhookTargets = {},
): Promise<ContactView> {
  checkPreferences(change.preferences ?? {});
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
      if (!row || !maySee(by.principal, row)) throw new NotFound('Không có người nhận này.');
      if (!mayManage(by.principal, row)) throw new Forbidden('Không được sửa người nhận này.');
      const preferences: ContactPreferences = { ...row.preferences };
      for (const [kind, mode] of Object.entries(change.preferences ?? {})) {
        if (mode === null) delete preferences[kind as NotificationKind];
        else preferences[kind as NotificationKind] = mode;
      }
      const address =
        change.address === undefined
          ? row.address
          : row.channel === 'email'
            ? change.address.trim().toLowerCase()
            : change.address.trim();
      // An address that did not change is not checked again: an allow list narrowed since then does
      // not stop its owner from changing its name or preferences (the worker still refuses to send).
      if (address !== row.address) checkAddress(row.channel as DeliveryChannel, address, targets);
      const [updated] = await tx
        .update(contacts)
        .set({ name: change.name?.trim() ?? row.name, address, preferences, updatedAt: new Date() })
        .where(eq(contacts.id, id))
        .returning();
      await recordAudit(tx, {
        actor: by.actor,
        action: 'contact-update',
        entityType: 'contact',
        entityId: id,
        details: {
          registry: row.registry,
          ...(change.name !== undefined ? { name: { from: row.name, to: updated!.name } } : {}),
          ...(address !== row.address ? { address: { from: row.address, to: address } } : {}),
          ...(change.preferences ? { preferences: { from: row.preferences, to: preferences } } : {}),
        },
      });
      return toView(updated!, by.principal);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('Người nhận này đã có địa chỉ đó trên kênh đó.');
    throw error;
  }
}

/** Removes a contact: it receives nothing more; its pending deliveries are dropped when their turn comes. */
export async function removeContact(db: Database, by: ContactActor, id: string): Promise<ContactView> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
    if (!row || !maySee(by.principal, row)) throw new NotFound('Không có người nhận này.');
    if (!mayManage(by.principal, row)) throw new Forbidden('Không được xóa người nhận này.');
    await tx.delete(contacts).where(eq(contacts.id, id));
    await recordAudit(tx, {
      actor: by.actor,
      action: 'contact-remove',
      entityType: 'contact',
      entityId: id,
      from: row.channel,
      details: {
        registry: row.registry,
        agencyCode: row.agencyCode,
        role: row.role,
        channel: row.channel,
        address: row.address,
      },
    });
    return toView(row, by.principal);
  });
}
