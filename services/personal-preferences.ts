import { eq } from 'drizzle-orm';
import {
  defaultModes,
  effectivePersonalModes,
  notificationKinds,
  personalModes,
  type PersonalMode,
  type PersonalPreferences,
} from '../domain/delivery-preferences.ts';
import { notificationKindLabels } from '../domain/labels.ts';
import type { Actor } from '../domain/lifecycle.ts';
import type { NotificationKind } from '../domain/notifications.ts';
import type { Principal } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { Forbidden, Invalid, NotFound } from './errors.ts';

// A person's own choice of how they hear about their work: every active account receives what
// concerns its agency or role by e-mail at the address it signs in with (activities/
// delivery-recipients.ts); here the person chooses, per kind, at once, in the morning digest, or off.

export interface MyPreferences {
  /** Where the e-mails go: the address the person signs in with. */
  email: string;
  /** The person's own choices. */
  preferences: PersonalPreferences;
  /** Every kind, its name, how the person receives it, and the default. */
  kinds: { kind: NotificationKind; label: string; mode: PersonalMode; defaultMode: PersonalMode }[];
}

function accountOf(principal: Principal): string {
  if (!principal.userId)
    throw new Forbidden('Chỉ người đăng nhập bằng tài khoản cá nhân mới chọn được cách nhận thông báo của mình.');
  return principal.userId;
}

function view(row: { email: string; preferences: PersonalPreferences }): MyPreferences {
  const modes = effectivePersonalModes(row.preferences);
  return {
    email: row.email,
    preferences: row.preferences,
    kinds: notificationKinds.map((kind) => ({
      kind,
      label: notificationKindLabels[kind],
      mode: modes[kind],
      defaultMode: defaultModes[kind],
    })),
  };
}

export async function myPreferences(db: Database, principal: Principal): Promise<MyPreferences> {
  const [row] = await db
    .select({ email: users.email, preferences: users.preferences })
    .from(users)
    .where(eq(users.id, accountOf(principal)));
  if (!row) throw new NotFound('Không có tài khoản này.');
  return view(row);
}

/** Merges the person's choices: a kind set to null goes back to its default. Audited. */
export async function setMyPreferences(
  db: Database,
  principal: Principal,
  actor: Actor,
  change: Partial<Record<string, PersonalMode | null>>,
): Promise<MyPreferences> {
  const id = accountOf(principal);
  const errors = Object.entries(change)
    .filter(
      ([kind, mode]) =>
        !notificationKinds.includes(kind as NotificationKind) ||
        (mode !== null && !personalModes.includes(mode as PersonalMode)),
    )
    .map(([kind]) => ({
      field: `/preferences/${kind}`,
      message: `Loại thông báo là một trong: ${notificationKinds.join(', ')}; cách nhận là immediate, digest hoặc off.`,
    }));
  if (errors.length > 0) throw new Invalid('Cách nhận thông báo không hợp lệ.', errors);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!row) throw new NotFound('Không có tài khoản này.');
    const next: PersonalPreferences = { ...row.preferences };
    for (const [kind, mode] of Object.entries(change)) {
      if (mode === null || mode === undefined) delete next[kind as NotificationKind];
      else next[kind as NotificationKind] = mode;
    }
    await tx.update(users).set({ preferences: next }).where(eq(users.id, id));
    await recordAudit(tx, {
      actor,
      action: 'preferences-update',
      entityType: 'user',
      entityId: id,
      details: { from: row.preferences, to: next },
    });
    return view({ email: row.email, preferences: next });
  });
}
