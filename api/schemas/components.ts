import { Account, Invitation, SessionInfo } from './account.ts';
import { Agency, MergeResult, RegistrySummary } from './agency.ts';
import {
  AgencyLabel,
  Assignment,
  AssignmentSummary,
  AssignmentWithTimeline,
  CommandType,
  PlanLabel,
  RegistryLabel,
} from './assignment.ts';
import { Problem } from './common.ts';
import { BucketLabels, Dashboard, TaskFigures } from './dashboard.ts';
import { Notification } from './notification.ts';
import { AgencyStats, AuditEntry, Escalation } from './oversight.ts';
import { ImportResult, PlanJson, PlanPreviewSchema, PlanSummary } from './plan.ts';
import { DraftEdit, DraftQuestion, PlanDraft, RevisionSummary } from './plan-draft.ts';
import { PeriodicReport } from './report.ts';
import { Token } from './token.ts';
import { MyPreferences } from './me.ts';
import { Labels } from './labels.ts';

/**
 * The schemas with a name: registered once on the app (`app.addSchema`), referenced by routes with
 * `Type.Ref('<$id>')`, and listed under that name in the OpenAPI document's components.schemas.
 * A schema with an `$id` must be here, and used only by reference: ajv refuses the same `$id` twice.
 */
export const namedSchemas = [
  Problem,
  AgencyLabel,
  PlanLabel,
  RegistryLabel,
  CommandType,
  Agency,
  RegistrySummary,
  MergeResult,
  Assignment,
  AssignmentSummary,
  AssignmentWithTimeline,
  PlanJson,
  PlanSummary,
  ImportResult,
  PlanPreviewSchema,
  RevisionSummary,
  DraftQuestion,
  PlanDraft,
  DraftEdit,
  Notification,
  Escalation,
  AuditEntry,
  AgencyStats,
  TaskFigures,
  BucketLabels,
  Dashboard,
  PeriodicReport,
  Token,
  Account,
  SessionInfo,
  Invitation,
  MyPreferences,
  Labels,
];
