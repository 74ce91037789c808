import { Type } from 'typebox';
import { deliveryChannels, deliveryModes, notificationKinds } from '../../domain/delivery-preferences.ts';
import { deliveryFailures } from '../../domain/delivery-failures.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const NotificationKindSchema = literals(notificationKinds);
export const DeliveryChannelSchema = literals(deliveryChannels);
export const DeliveryModeSchema = literals(deliveryModes);
export const ContactRoleSchema = literals(['coordinator', 'coordinator-director', 'leadership'] as const);
export const DeliveryStatusSchema = literals(['pending', 'sent', 'failed', 'digested', 'dropped'] as const);
const DeliveryFailureSchema = Type.Union([literals(deliveryFailures), Type.Null()], {
  description:
    'Why it failed, as a category: unreachable, timeout, http-4xx, http-5xx, redirect, refused-target (an internal ' +
    'address), tls, … never the network detail',
});
const FailureText = Type.Union([Type.String(), Type.Null()], { description: 'The category, in Vietnamese' });

const Modes = Type.Object(Object.fromEntries(notificationKinds.map((k) => [k, DeliveryModeSchema])), {
  description: 'Every kind of notification with how this contact receives it',
});

/** Who receives notifications by e-mail or webhook. */
export const Contact = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    registry: Type.String(),
    agencyCode: Type.Union([Type.String(), Type.Null()], { description: 'The agency it receives for; null: a role' }),
    role: Type.Union([ContactRoleSchema, Type.Null()]),
    channel: DeliveryChannelSchema,
    address: Type.String({
      description:
        'E-mail address or webhook URL; a webhook URL is whole for those who manage the contact, "https://host/…" for others',
    }),
    name: Type.String(),
    hasSecret: Type.Boolean({ description: 'A webhook has a signing secret (shown once, at creation)' }),
    preferences: Type.Record(Type.String(), DeliveryModeSchema, { description: 'Its own choices, by kind' }),
    modes: Modes,
    createdBy: Type.String(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Contact' },
);

export const CreatedContact = Type.Object(
  {
    contact: Type.Ref('Contact'),
    secret: Type.Optional(
      Type.String({ description: "The webhook's signing secret (whsec_…): shown this once, never again" }),
    ),
  },
  { $id: 'CreatedContact' },
);

export const DeliveryAttempt = Type.Object(
  {
    id: Type.Integer(),
    deliveryId: Type.Integer(),
    at: Type.String(),
    channel: DeliveryChannelSchema,
    address: Type.String(),
    outcome: Type.Union([Type.Literal('sent'), Type.Literal('error')]),
    error: DeliveryFailureSchema,
    errorText: FailureText,
  },
  { $id: 'DeliveryAttempt' },
);

const deliveryFields = {
  id: Type.Integer(),
  kind: Type.String({ description: "The notification's kind, or digest" }),
  notificationId: Type.Union([Type.Integer(), Type.Null()]),
  assignmentId: Type.Union([Type.String(), Type.Null()]),
  contactId: Type.String({ description: 'The recipient: a contact’s id, or a person’s account id' }),
  recipient: Type.Union([Type.Literal('contact'), Type.Literal('account')], {
    description: 'A contact kept for an agency or a role, or a person with an account, at their sign-in e-mail',
  }),
  registry: Type.String(),
  channel: DeliveryChannelSchema,
  address: Type.String(),
  mode: DeliveryModeSchema,
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  lastError: DeliveryFailureSchema,
  lastErrorText: FailureText,
  digestId: Type.Union([Type.Integer(), Type.Null()], { description: 'The digest it went out in' }),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  failedAt: Type.Union([Type.String(), Type.Null()]),
};

export const Delivery = Type.Object(deliveryFields, { $id: 'Delivery' });

export const DeliveryWithAttempts = Type.Object(
  { ...deliveryFields, attemptLog: Type.Array(Type.Ref('DeliveryAttempt')) },
  { $id: 'DeliveryWithAttempts' },
);

export const DeliveryCounts = Type.Object(
  {
    pending: Type.Integer(),
    sent: Type.Integer(),
    failed: Type.Integer(),
    digested: Type.Integer(),
    dropped: Type.Integer(),
  },
  { $id: 'DeliveryCounts' },
);

/** The named schemas of delivery, registered once on the app. */
export const deliverySchemas = [
  Contact,
  CreatedContact,
  DeliveryAttempt,
  Delivery,
  DeliveryWithAttempts,
  DeliveryCounts,
];
