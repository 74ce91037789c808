import type { NotificationKind, Role } from './notifications.ts';

/**
 * Who receives what outside the API, and when. A contact (an e-mail address or a webhook) belongs
 * to an agency, or to a role of a registry (the coordinator's office, its director, leadership);
 * for each kind of notification it chooses immediate delivery or the daily digest.
 */

export const deliveryChannels = ['email', 'webhook'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];

export const deliveryModes = ['immediate', 'digest'] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

export const contactRoles: readonly Role[] = ['coordinator', 'coordinator-director', 'leadership'];

export const notificationKinds: readonly NotificationKind[] = [
  'assigned',
  'reminder',
  'report-reminder',
  'report-late',
  'escalation',
  'ack-chase',
  'submitted',
  'accepted',
  'returned',
  'extension-requested',
  'extension-decided',
  'reassigned',
  'cancelled',
  'deadline-changed',
  'contribution',
  'cycle-started',
  'workflow-stopped',
];

export type ContactPreferences = Partial<Record<NotificationKind, DeliveryMode>>;

/**
 * Reminders and other notices that ask for nothing today wait for the morning digest; whatever
 * asks for action or reports a slip (escalations, a returned deliverable, a late report, a
 * decision) goes out at once.
 */
export const defaultModes: Readonly<Record<NotificationKind, DeliveryMode>> = {
  assigned: 'immediate',
  reminder: 'digest',
  'report-reminder': 'digest',
  'ack-chase': 'digest',
  'cycle-started': 'digest',
  contribution: 'digest',
  'report-late': 'immediate',
  escalation: 'immediate',
  submitted: 'immediate',
  accepted: 'immediate',
  returned: 'immediate',
  'extension-requested': 'immediate',
  'extension-decided': 'immediate',
  reassigned: 'immediate',
  cancelled: 'immediate',
  'deadline-changed': 'immediate',
  'workflow-stopped': 'immediate',
};

/** The mode a contact gets a notification of this kind in; an unknown kind goes out at once. */
export function deliveryMode(kind: string, preferences: ContactPreferences): DeliveryMode {
  const chosen = preferences[kind as NotificationKind];
  if (chosen) return chosen;
  return defaultModes[kind as NotificationKind] ?? 'immediate';
}

/** Every kind with the mode the contact gets it in: its own choices over the defaults. */
export function effectivePreferences(preferences: ContactPreferences): Record<NotificationKind, DeliveryMode> {
  return Object.fromEntries(notificationKinds.map((kind) => [kind, deliveryMode(kind, preferences)])) as Record<
    NotificationKind,
    DeliveryMode
  >;
}

/** A plain, conservative e-mail address check: one @, no spaces, a dotted domain. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(value);
}

/**
 * How a person with an account receives each kind: by e-mail at once, in the morning digest, or
 * not at all (off). Everyone with an account receives what concerns their agency or role, at the
 * address they sign in with, by the defaults above until they choose otherwise on their own page.
 */
export const personalModes = ['immediate', 'digest', 'off'] as const;
export type PersonalMode = (typeof personalModes)[number];
export type PersonalPreferences = Partial<Record<NotificationKind, PersonalMode>>;

/** The mode a person gets a notification of this kind in: their choice, or the default. */
export function personalMode(kind: string, preferences: PersonalPreferences): PersonalMode {
  return preferences[kind as NotificationKind] ?? deliveryMode(kind, {});
}

/** Every kind with the mode the person gets it in. */
export function effectivePersonalModes(preferences: PersonalPreferences): Record<NotificationKind, PersonalMode> {
  return Object.fromEntries(notificationKinds.map((kind) => [kind, personalMode(kind, preferences)])) as Record<
    NotificationKind,
    PersonalMode
  >;
}

/** One who may receive a notification: a contact a coordinator or agency keeps, or a person's account. */
export interface RecipientCandidate {
  recipient: 'contact' | 'account';
  id: string;
  channel: DeliveryChannel;
  address: string;
  /** Its mode for this notification; off: nothing is sent. */
  mode: PersonalMode;
}

/**
 * Who is sent a notification: every candidate, once per address. When a contact and an account
 * share an e-mail address, the person's own choice (the account's) decides, "off" included.
 */
export function recipientsOnce<T extends RecipientCandidate>(candidates: readonly T[]): T[] {
  const byAddress = new Map<string, T>();
  for (const c of candidates) {
    const key = `${c.channel}|${c.channel === 'email' ? c.address.trim().toLowerCase() : c.address}`;
    const held = byAddress.get(key);
    if (!held || (held.recipient === 'contact' && c.recipient === 'account')) byAddress.set(key, c);
  }
  return [...byAddress.values()].filter((c) => c.mode !== 'off');
}
