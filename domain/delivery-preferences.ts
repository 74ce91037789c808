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
