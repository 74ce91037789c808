import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Deadline } from '../domain/types.ts';
import type { RegistryData } from '../domain/agencies/types.ts';
import type { AssignmentView, OwedCommand } from '../domain/assignment-view.ts';
import type { Actor } from '../domain/lifecycle.ts';
import type { PolicyOverrides } from '../domain/policy.ts';
import type { ContactPreferences, PersonalPreferences } from '../domain/delivery-preferences.ts';
import type { DigestContent } from '../domain/digest.ts';
import type { PlanPreview, RawTable } from '../domain/appendix/types.ts';
import type { DraftEditRecord, DraftFields, TaskCompletion } from '../domain/appendix/draft.ts';

/** Bytes as they are (an uploaded file): PostgreSQL's bytea. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});

/** What an audit entry adds to who, what and from what to what: the command's fields, a reason, counts. */
export type AuditDetails = Record<string, unknown>;

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A plan (kế hoạch) as imported: its code is the decision number, e.g. "2866/QĐ-UBND". Decision
 * numbers repeat from province to province, so a plan is known by its registry and its code.
 */
export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    /**
     * URL- and workflow-ID-safe name of the plan, unique in the deployment (assignment ids start with
     * it): the code's, or the registry's and the code's when another registry took that one first.
     */
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    province: text('province').notNull(),
    registry: text('registry').notNull(),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    policy: jsonb('policy').$type<PolicyOverrides>().notNull().default({}),
    revision: integer('revision').notNull().default(1),
    /** The day the plan was signed, as its document writes it or as given: counts from it ("90 ngày kể từ ngày ban hành"). */
    issuedOn: date('issued_on'),
    /** The revision the plan's report-timers workflow was last given; behind `revision` means owed. */
    reportTimersRevision: integer('report_timers_revision'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('plans_registry_code').on(t.registry, t.code)],
);

/** One row of the appendix table. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    /**
     * The task's identity in its plan, used by revisions and assignment ids: its number, or
     * "<section>.<number>" (II.1) when the plan's numbering restarts in each section.
     */
    key: text('key').notNull(),
    /** The number as written ("1", "5.1.5"). */
    number: text('number').notNull(),
    /** The section it sits in ("II", "A", "A.II"), or null. */
    section: text('section'),
    sourceRow: integer('source_row'),
    area: text('area'),
    objective: text('objective'),
    title: text('title').notNull(),
    deliverables: text('deliverables')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    leadsRaw: text('leads_raw').notNull().default(''),
    collaboratorsRaw: text('collaborators_raw').notNull().default(''),
    collaborators: jsonb('collaborators').$type<{ code: string | null; name: string }[]>().notNull().default([]),
    deadline: jsonb('deadline').$type<Deadline>().notNull(),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    /** Done before the plan was imported (its status column, or the coordinator): its assignments start completed on that day. */
    completion: jsonb('completion').$type<TaskCompletion>(),
    /** The task's code, from the table's column of codes ("KH20_TT_N01.1.1"). */
    code: text('code'),
    /** Number, title, objective and area folded (lower case, no diacritics) for free-text search. */
    searchText: text('search_text').notNull().default(''),
    /** Set when a revised plan no longer lists the task; its assignments were cancelled. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tasks_plan_key').on(t.planId, t.key),
    // Collaborating agencies read the assignments of the tasks they are named in.
    index('tasks_collaborators').using('gin', t.collaborators),
  ],
);

/**
 * The read model of one assignment (task × lead agency). The workflow is the source of truth;
 * its projection activity writes here, and `version` makes sure an older write never wins.
 */
export const assignments = pgTable(
  'assignments',
  {
    /** Business ID, also the workflow ID. */
    id: text('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    agencyCode: text('agency_code').notNull(),
    status: text('status').notNull(),
    deadline: jsonb('deadline').$type<Deadline>().notNull(),
    effectiveDue: date('effective_due'),
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** When the coordinator accepted the deliverable, and whether it had been submitted by the effective due day. */
    completedAt: timestamp('completed_at', { withTimezone: true }),
    onTime: boolean('on_time'),
    /** The workflow's state as last projected (deliverables, reports, history). */
    state: jsonb('state').$type<Partial<AssignmentView>>().notNull().default({}),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    /** When the workflow was started; null means the import committed but the start is still owed. */
    workflowStartedAt: timestamp('workflow_started_at', { withTimezone: true }),
    /**
     * When the workflow was found closed while this row still says open (terminated, failed, timed
     * out): the coordinator restarts it from this row. Null while it runs.
     */
    workflowStoppedAt: timestamp('workflow_stopped_at', { withTimezone: true }),
    /** How Temporal closed it: one of `workflowStopReasons` (domain/lifecycle.ts). */
    workflowStopReason: text('workflow_stop_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('assignments_agency_status').on(t.agencyCode, t.status),
    index('assignments_stopped')
      .on(t.workflowStoppedAt)
      .where(sql`${t.workflowStoppedAt} is not null`),
    index('assignments_plan').on(t.planId),
    index('assignments_task').on(t.taskId),
    index('assignments_effective_due').on(t.effectiveDue),
    index('assignments_agency_id').on(t.agencyCode, t.id),
  ],
);

/** Who did what, when, from what to what. The permanent record; Temporal's history is not. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    details: jsonb('details').$type<AuditDetails>().notNull().default({}),
    /** Makes a retried activity's write land once. */
    dedupeKey: text('dedupe_key').unique(),
  },
  (t) => [index('audit_entity').on(t.entityType, t.entityId, t.at)],
);

/** An agency registry (data/agencies/*.json as edited since): agencies, aliases, groups, mergers. */
export const agencyRegistries = pgTable('agency_registries', {
  key: text('key').primaryKey(),
  data: jsonb('data').$type<RegistryData>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Every agency of every registry, one row each, kept beside the registry's JSON in the same
 * transaction (db/agency-index.ts): what lets a query name an agency (a join, not a registry loaded
 * per row), sort by its name and find it as one types.
 */
export const registryAgencies = pgTable(
  'registry_agencies',
  {
    registry: text('registry')
      .notNull()
      .references(() => agencyRegistries.key, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** domain/agencies/names.ts: "UBND xã Tân Dương" for "Ủy ban nhân dân xã Tân Dương". */
    shortName: text('short_name').notNull(),
    kind: text('kind').notNull(),
    mergedInto: text('merged_into'),
    /** Name, short name, code and aliases folded (lower case, no diacritics), for search as one types. */
    search: text('search').notNull(),
    /** The index's rule (AGENCY_INDEX_VERSION): rows of an older rule are written again at start. */
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.registry, t.code] })],
);

/**
 * Commands owed to running workflows by a committed import (deadline changes, reassignments,
 * cancellations). Written in the import's transaction, sent after it commits, and retried until
 * sent, so a revised plan never reaches the database without reaching the workflows.
 */
export const workflowOutbox = pgTable(
  'workflow_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assignmentId: text('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    command: jsonb('command').$type<OwedCommand>().notNull(),
    actor: jsonb('actor').$type<Actor>().notNull(),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    index('workflow_outbox_unsent')
      .on(t.id)
      .where(sql`${t.sentAt} is null`),
  ],
);

/** What Đôn đốc told whom: the source for delivery (e-mail, webhook) and the "mine" list. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assignmentId: text('assignment_id').notNull(),
    recipientAgency: text('recipient_agency'),
    recipientRole: text('recipient_role'),
    kind: text('kind').notNull(),
    level: integer('level'),
    period: text('period'),
    text: text('text').notNull(),
    link: text('link').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** A fired timer or a change, and its recipient: the same notification is never written twice. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    /**
     * When delivery planned it (one `deliveries` row per contact, or none): delivery reads the rows
     * still null, so no path that writes notifications needs to know about delivery.
     */
    plannedAt: timestamp('planned_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_unplanned')
      .on(t.id)
      .where(sql`${t.plannedAt} is null`),
    index('notifications_agency').on(t.recipientAgency, t.createdAt),
    index('notifications_role').on(t.recipientRole, t.createdAt),
    index('notifications_assignment').on(t.assignmentId),
  ],
);

/** Overdue escalations, for leadership; resolved when the assignment is completed, extended or cancelled. */
export const escalations = pgTable(
  'escalations',
  {
    assignmentId: text('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    /** The cycle year of a recurring task, 0 otherwise. */
    cycle: integer('cycle').notNull(),
    level: integer('level').notNull(),
    agencyCode: text('agency_code').notNull(),
    effectiveDue: date('effective_due'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.assignmentId, t.cycle, t.level] }),
    index('escalations_open')
      .on(t.level, t.raisedAt)
      .where(sql`${t.resolvedAt} is null`),
  ],
);

/**
 * How far each of a plan's two timer workflows has marked its shared instants (plan time): every
 * instant up to `through` has had its records written, in the same transaction as this row. An
 * assignment changes nothing after such an instant until it is marked (workflows/assignment-run.ts).
 */
export const planMarks = pgTable(
  'plan_marks',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    /** `reports` (plan-reports.ts) or `deadlines` (plan-deadlines.ts). */
    timers: text('timers').$type<'reports' | 'deadlines'>().notNull(),
    through: timestamp('through', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.timers] })],
);

/** Periodic reports per assignment and period: filed (on time or late) or marked late. */
export const reportFilings = pgTable(
  'report_filings',
  {
    assignmentId: text('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    agencyCode: text('agency_code').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    late: boolean('late').notNull().default(false),
    markedLateAt: timestamp('marked_late_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.assignmentId, t.period] }),
    index('report_filings_period_agency').on(t.period, t.agencyCode),
  ],
);

/** Bearer tokens: only a SHA-256 of each is stored, so a database dump reveals none. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  agencyCode: text('agency_code'),
  /** The registry (province, or the central one) the token belongs to; null: the whole deployment. */
  registry: text('registry'),
  tokenHash: text('token_hash').notNull().unique(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/**
 * The calendar data (notices and statutory rules) that running workflows were last told about:
 * when a deployment brings other data, every running timer is planned again (one row).
 */
export const calendarState = pgTable('calendar_state', {
  key: text('key').primaryKey().default('calendar'),
  version: text('version').notNull(),
  announcedAt: timestamp('announced_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * People who sign in with a password: each maps onto the same principal as a token (role, agency,
 * registry), so every scope check applies unchanged. The password is kept as an scrypt hash.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-cased: the sign-in name. */
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    agencyCode: text('agency_code'),
    registry: text('registry'),
    passwordHash: text('password_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /**
     * How the person receives each kind of notification at their e-mail (immediate, digest, off);
     * absent kinds take the defaults of domain/delivery-preferences.ts. Every active account
     * receives what concerns its agency or role.
     */
    preferences: jsonb('preferences').$type<PersonalPreferences>().notNull().default({}),
  },
  (t) => [index('users_registry_name').on(t.registry, t.name)],
);

/**
 * Failed sign-ins per (e-mail, client address): each failure past the first few holds back that
 * pair's next attempt a little longer. Kept for any e-mail typed, known or not, so the answer
 * never tells which addresses have an account; in the database, so every API replica applies it.
 * Rows not touched for a day are deleted.
 */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    /** Normalised (trimmed, lower-cased) as typed. */
    email: text('email').notNull(),
    /** The client's address; an IPv6 address by its /64. */
    address: text('address').notNull(),
    failures: integer('failures').notNull(),
    /** No sign-in of this pair is tried before this instant. */
    blockedUntil: timestamp('blocked_until', { withTimezone: true }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.email, t.address] }), index('sign_in_throttle_updated').on(t.updatedAt)],
);

/**
 * A coordinator's invitation: a single-use link (only its SHA-256 is kept) that creates an account,
 * or, of kind "reset", sets a new password on the account it names.
 */
export const invitations = pgTable('invitations', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** "account" (makes an account) or "reset" (a new password for `userId`). */
  kind: text('kind').notNull().default('account'),
  tokenHash: text('token_hash').notNull().unique(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  agencyCode: text('agency_code'),
  registry: text('registry'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  /** Revoked by a coordinator, or replaced by a newer invitation of the same address. */
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** The account it made (kind "account", once accepted) or whose password it resets (kind "reset"). */
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
});

/** Signed-in browsers: the cookie holds a random id, the table its SHA-256 and the CSRF token. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Files sent with a deliverable, stored by content (<dataDir>/files/<sha256>); the row says whose and what. */
export const deliverableFiles = pgTable(
  'deliverable_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assignmentId: text('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    /** The submission (its index in the assignment's submissions) the file went with; null until submitted. */
    submission: integer('submission'),
  },
  (t) => [index('deliverable_files_assignment').on(t.assignmentId)],
);

/**
 * Who receives notifications outside the API: an e-mail address or a webhook of an agency, or of the
 * coordinator's office, its director or leadership, in one registry (province).
 */
export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    registry: text('registry').notNull(),
    /** The agency whose notifications it receives; null for a role's contact. */
    agencyCode: text('agency_code'),
    /** coordinator, coordinator-director or leadership; null for an agency's contact. */
    role: text('role'),
    /** email or webhook. */
    channel: text('channel').notNull(),
    /** The e-mail address or the webhook URL. */
    address: text('address').notNull(),
    /** Who it is, for people: "Văn phòng Sở Y tế". */
    name: text('name').notNull().default(''),
    /** The webhook's signing secret (whsec_…), shown once at creation. */
    secret: text('secret'),
    /** Per kind of notification: immediate or digest; absent kinds take the defaults. */
    preferences: jsonb('preferences').$type<ContactPreferences>().notNull().default({}),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('contacts_owner_address').on(
      t.registry,
      sql`coalesce(${t.agencyCode}, '')`,
      sql`coalesce(${t.role}, '')`,
      t.channel,
      t.address,
    ),
    index('contacts_agency').on(t.registry, t.agencyCode),
  ],
);

/**
 * One message to one recipient (a contact, or a person with an account): a notification sent at
 * once, a notification waiting for the digest, or a digest. Planned idempotently from
 * `notifications` (unique key), sent by activities.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** n:<notification id> or d:<local day> (a digest): with the contact, the message's identity. */
    key: text('key').notNull(),
    notificationId: bigint('notification_id', { mode: 'number' }),
    /** The recipient: a contact's id, or a person's (users.id) when `recipient` is "account". */
    contactId: uuid('contact_id').notNull(),
    /** contact (a contact kept by a coordinator or an agency) or account (a person, at their sign-in e-mail). */
    recipient: text('recipient').notNull().default('contact'),
    registry: text('registry').notNull(),
    channel: text('channel').notNull(),
    /** The address as it was when planned (the contact may change or go). */
    address: text('address').notNull(),
    /** immediate or digest. */
    mode: text('mode').notNull(),
    /** pending, sent, failed, digested (went out inside a digest), dropped (its contact was removed). */
    status: text('status').notNull(),
    /** A digest's content as composed at its hour. */
    content: jsonb('content').$type<DigestContent>(),
    /** The digest this notification went out in. */
    digestId: bigint('digest_id', { mode: 'number' }),
    /** When a delivery workflow was started for it. */
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('deliveries_message').on(t.key, t.contactId),
    index('deliveries_undispatched')
      .on(t.id)
      .where(sql`${t.status} = 'pending' and ${t.dispatchedAt} is null`),
    index('deliveries_waiting_digest')
      .on(t.contactId)
      .where(sql`${t.status} = 'pending' and ${t.mode} = 'digest'`),
    index('deliveries_registry_status').on(t.registry, t.status, t.id),
    index('deliveries_notification').on(t.notificationId),
  ],
);

/** Every try to hand a delivery over: when, how, to whom, what came of it. */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    channel: text('channel').notNull(),
    address: text('address').notNull(),
    /** sent or error. */
    outcome: text('outcome').notNull(),
    /** What went wrong, shortened; never a secret. */
    error: text('error'),
  },
  (t) => [index('delivery_attempts_delivery').on(t.deliveryId, t.at)],
);

/**
 * An appendix read and not yet imported: the file as sent (its bytes and SHA-256), the table read
 * from it, the coordinator's edits and the preview they give. Belongs to a registry; expires.
 */
export const planDrafts = pgTable(
  'plan_drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    registry: text('registry').notNull(),
    createdBy: text('created_by').notNull(),
    fileName: text('file_name'),
    format: text('format').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
    /** The table as read from the file, once: edits re-read it, never the file. */
    table: jsonb('table').$type<RawTable>().notNull(),
    fields: jsonb('fields').$type<DraftFields>().notNull(),
    edits: jsonb('edits').$type<DraftEditRecord[]>().notNull().default([]),
    /** What the table reads as with the edits: the draft as last shown. */
    preview: jsonb('preview').$type<PlanPreview>().notNull(),
    /** The plan it was imported as (a draft is imported once). */
    importedPlanId: uuid('imported_plan_id').references(() => plans.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('plan_drafts_registry').on(t.registry, t.createdAt), index('plan_drafts_expires').on(t.expiresAt)],
);

/** The file each import of a plan came from, kept as it was sent, with the edits made to its reading. */
export const planSources = pgTable(
  'plan_sources',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    /** The plan's revision this file made. */
    revision: integer('revision').notNull(),
    fileName: text('file_name'),
    format: text('format').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
    edits: jsonb('edits').$type<DraftEditRecord[]>().notNull().default([]),
    importedBy: text('imported_by').notNull(),
    importedAt: createdAt(),
  },
  (t) => [index('plan_sources_plan').on(t.planId, t.revision)],
);

/**
 * A person's private calendar feed (GET /calendar/<secret>.ics): the secret is the credential, so
 * only its SHA-256 is kept. One per person; making a new one replaces it, deleting revokes it.
 */
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretHash: text('secret_hash').notNull().unique(),
  createdAt: createdAt(),
});
