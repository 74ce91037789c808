// Generated from /openapi.json by `npm run web:types` (api/web-types.ts). Do not edit by hand.

export type Account = {
  id: string;
  email: string;
  name: string;
  role: 'coordinator' | 'agency' | 'leadership';
  agencyCode: string | null;
  agency?: AgencyLabel;
  registry: string | null;
  createdAt: string;
  disabled: boolean;
  locked: boolean;
};

export type Agency = {
  code: string;
  name: string;
  shortName: string;
  kind: 'department' | 'office' | 'inspectorate' | 'board' | 'district' | 'commune' | 'province' | 'central' | 'other';
  aliases?: Array<string>;
  mergedInto?: string;
  existsFrom?: string;
  existsUntil?: string;
  successor?: {
    code: string;
    name: string;
  };
};

export type AgencyLabel = {
  code: string;
  name: string;
  shortName: string;
};

export type AgencyStats = {
  asOf: string;
  items: Array<
    {
      agencyCode: string;
      byArea: Array<
        {
          area: string | null;
        } & {
          total: number;
          completed: number;
          completedOnTime: number;
          completedLate: number;
          open: number;
          overdue: number;
          cancelled: number;
          completionRate: number | null;
          onTimeRate: number | null;
        }
      >;
    } & {
      total: number;
      completed: number;
      completedOnTime: number;
      completedLate: number;
      open: number;
      overdue: number;
      cancelled: number;
      completionRate: number | null;
      onTimeRate: number | null;
    }
  >;
  total: {
    total: number;
    completed: number;
    completedOnTime: number;
    completedLate: number;
    open: number;
    overdue: number;
    cancelled: number;
    completionRate: number | null;
    onTimeRate: number | null;
  };
};

export type Assignment = {
  id: string;
  plan: PlanLabel;
  registry: RegistryLabel;
  task: {
    id: string;
    key: string;
    number: string;
    section: string | null;
    title: string;
    area: string | null;
    objective: string | null;
    deliverables: Array<string>;
  };
  agencyCode: string;
  agency: AgencyLabel;
  collaborators: Array<{
    code: string | null;
    name: string;
    shortName: string;
  }>;
  role: 'lead' | 'collaborator' | null;
  status: 'assigned' | 'acknowledged' | 'in_progress' | 'submitted' | 'completed' | 'cancelled';
  statusLabel: string;
  deadline: {
    kind: 'date' | 'range' | 'recurring' | 'continuous' | 'unresolved';
    start?: string;
    due?: string;
    recurrence?: {
      every: 'year';
      month?: number;
      day?: number;
    };
    milestones?: Array<string>;
    raw: string;
  };
  effectiveDue: string | null;
  overdue: boolean;
  escalationLevel: number;
  acknowledgedAt?: string;
  completedAt?: string;
  completion: string | null;
  cancelledAt?: string;
  onTime: boolean | null;
  submissions: Array<{
    type: string;
    documentNumber: string;
    documentDate: string;
    link?: string;
    file?: string;
    submittedAt: string;
    submittedText: string;
    submittedBy: string;
    outcome: 'pending' | 'accepted' | 'returned';
    reason?: string;
    decidedAt?: string;
  }>;
  reports: Array<{
    period: string;
    summary: string;
    link?: string;
    filedAt: string;
    filedBy: string;
    late: boolean;
    documents?: Array<{
      kind: string;
      number: string;
      date: string;
      title: string;
      file?: string;
    }>;
    difficulties?: string;
    causes?: string;
    proposals?: string;
  }>;
  latePeriods: Array<string>;
  reportOwed: {
    period: string;
    label: string;
    late: boolean;
  } | null;
  extensions: Array<{
    until: string;
    reason: string;
    requestedAt: string;
    requestedBy: string;
    outcome: 'pending' | 'approved' | 'denied';
    decidedAt?: string;
    decisionReason?: string;
  }>;
  contributions: Array<{
    agencyCode: string;
    text: string;
    link?: string;
    at: string;
  }>;
  agencyHistory: Array<{
    [key: string]: unknown;
  }>;
  cycle: {
    [key: string]: unknown;
  } | null;
  cycles: Array<{
    [key: string]: unknown;
  }>;
  nextEvent: {
    kind: string;
    at: string;
  } | null;
  version: number;
  updatedAt: string;
  stopped: {
    at: string;
    reason: 'terminated' | 'failed' | 'timed-out' | 'canceled';
    text: string;
  } | null;
  allowedCommands: Array<CommandType>;
};

export type AssignmentSummary = {
  id: string;
  plan: PlanLabel;
  task: {
    id: string;
    key: string;
    number: string;
    section: string | null;
    title: string;
    area: string | null;
  };
  agencyCode: string;
  agency: AgencyLabel;
  role: 'lead' | 'collaborator' | null;
  status: 'assigned' | 'acknowledged' | 'in_progress' | 'submitted' | 'completed' | 'cancelled';
  statusLabel: string;
  deadline: {
    kind: 'date' | 'range' | 'recurring' | 'continuous' | 'unresolved';
    start?: string;
    due?: string;
    recurrence?: {
      every: 'year';
      month?: number;
      day?: number;
    };
    milestones?: Array<string>;
    raw: string;
  };
  effectiveDue: string | null;
  overdue: boolean;
  escalationLevel: number;
  onTime: boolean | null;
  reportOwed: {
    period: string;
    label: string;
    late: boolean;
  } | null;
  version: number;
  updatedAt: string;
};

export type AssignmentWithTimeline = Assignment & {
  timeline: Array<{
    at: string;
    summary: string;
    who: string;
    actor: string;
    action: string;
    from: string | null;
    to: string | null;
    details: {
      [key: string]: unknown;
    };
  }>;
};

export type AuditEntry = {
  id: number;
  at: string;
  summary: string;
  who: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  entity: string | null;
  from: string | null;
  to: string | null;
  details: {
    [key: string]: unknown;
  };
};

export type BucketLabels = {
  onTime: string;
  late: string;
  within: string;
  overdue: string;
};

export type CommandType =
  | 'acknowledge'
  | 'fileReport'
  | 'submitDeliverable'
  | 'requestExtension'
  | 'addContribution'
  | 'accept'
  | 'return'
  | 'approveExtension'
  | 'denyExtension'
  | 'reassign'
  | 'setDeadline'
  | 'cancel';

export type Contact = {
  id: string;
  registry: string;
  agencyCode: string | null;
  role: 'coordinator' | 'coordinator-director' | 'leadership' | null;
  channel: 'email' | 'webhook';
  address: string;
  name: string;
  hasSecret: boolean;
  preferences: {
    [key: string]: 'immediate' | 'digest';
  };
  modes: {
    assigned: 'immediate' | 'digest';
    reminder: 'immediate' | 'digest';
    'report-reminder': 'immediate' | 'digest';
    'report-late': 'immediate' | 'digest';
    escalation: 'immediate' | 'digest';
    'ack-chase': 'immediate' | 'digest';
    submitted: 'immediate' | 'digest';
    accepted: 'immediate' | 'digest';
    returned: 'immediate' | 'digest';
    'extension-requested': 'immediate' | 'digest';
    'extension-decided': 'immediate' | 'digest';
    reassigned: 'immediate' | 'digest';
    cancelled: 'immediate' | 'digest';
    'deadline-changed': 'immediate' | 'digest';
    contribution: 'immediate' | 'digest';
    'cycle-started': 'immediate' | 'digest';
    'workflow-stopped': 'immediate' | 'digest';
  };
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

export type CreatedContact = {
  contact: Contact;
  secret?: string;
};

export type Dashboard = {
  plan: string | null;
  planLabel: PlanLabel | null;
  agency: string | null;
  period: string;
  asOf: string;
  today: string;
  label: string;
  reconstructed: boolean;
  periods: Array<{
    id: string;
    asOf: string;
    label: string;
    cutOffLabel: string;
    reconstructed: boolean;
  }>;
  bucketLabels: BucketLabels;
  total: TaskFigures;
  byAgency: Array<{
    agencyCode: string;
    agency: AgencyLabel;
    onTime: number;
    late: number;
    within: number;
    overdue: number;
    total: number;
    completionRate: number | null;
    onTimeRate: number | null;
  }>;
  byArea: Array<{
    area: string | null;
    onTime: number;
    late: number;
    within: number;
    overdue: number;
    total: number;
    completionRate: number | null;
    onTimeRate: number | null;
  }>;
  trend: Array<{
    period: string;
    asOf: string;
    label: string;
    reconstructed: boolean;
    onTime: number;
    late: number;
    within: number;
    overdue: number;
    total: number;
    completionRate: number | null;
    onTimeRate: number | null;
  }>;
  escalations: Array<{
    level: number;
    label: string;
    assignments: number;
  }>;
};

export type DeliverableFile = {
  id: string;
  assignmentId: string;
  sha256: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  submission: number | null;
};

export type Delivery = {
  id: number;
  kind: string;
  notificationId: number | null;
  assignmentId: string | null;
  contactId: string;
  recipient: 'contact' | 'account';
  registry: string;
  channel: 'email' | 'webhook';
  address: string;
  mode: 'immediate' | 'digest';
  status: 'pending' | 'sent' | 'failed' | 'digested' | 'dropped';
  attempts: number;
  lastError:
    | 'unreachable'
    | 'timeout'
    | 'http-4xx'
    | 'http-5xx'
    | 'http-other'
    | 'redirect'
    | 'refused-target'
    | 'tls'
    | 'protocol'
    | 'bad-address'
    | 'no-secret'
    | 'mail-rejected'
    | 'mail-unavailable'
    | 'cancelled'
    | 'contact-removed'
    | 'nothing-to-send'
    | 'error'
    | null;
  lastErrorText: string | null;
  digestId: number | null;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
};

export type DeliveryAttempt = {
  id: number;
  deliveryId: number;
  at: string;
  channel: 'email' | 'webhook';
  address: string;
  outcome: 'sent' | 'error';
  error:
    | 'unreachable'
    | 'timeout'
    | 'http-4xx'
    | 'http-5xx'
    | 'http-other'
    | 'redirect'
    | 'refused-target'
    | 'tls'
    | 'protocol'
    | 'bad-address'
    | 'no-secret'
    | 'mail-rejected'
    | 'mail-unavailable'
    | 'cancelled'
    | 'contact-removed'
    | 'nothing-to-send'
    | 'error'
    | null;
  errorText: string | null;
};

export type DeliveryCounts = {
  pending: number;
  sent: number;
  failed: number;
  digested: number;
  dropped: number;
};

export type DeliveryWithAttempts = {
  id: number;
  kind: string;
  notificationId: number | null;
  assignmentId: string | null;
  contactId: string;
  recipient: 'contact' | 'account';
  registry: string;
  channel: 'email' | 'webhook';
  address: string;
  mode: 'immediate' | 'digest';
  status: 'pending' | 'sent' | 'failed' | 'digested' | 'dropped';
  attempts: number;
  lastError:
    | 'unreachable'
    | 'timeout'
    | 'http-4xx'
    | 'http-5xx'
    | 'http-other'
    | 'redirect'
    | 'refused-target'
    | 'tls'
    | 'protocol'
    | 'bad-address'
    | 'no-secret'
    | 'mail-rejected'
    | 'mail-unavailable'
    | 'cancelled'
    | 'contact-removed'
    | 'nothing-to-send'
    | 'error'
    | null;
  lastErrorText: string | null;
  digestId: number | null;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
  attemptLog: Array<DeliveryAttempt>;
};

export type DraftEdit = {
  row?: number;
  deadline?: string;
  leads?:
    | Array<string>
    | {
        communes: 'each' | 'group';
      };
  collaborators?: Array<string>;
  title?: string;
  excluded?: boolean;
  status?: 'done' | 'open';
  completedOn?: string;
  document?: {
    kind?: string;
    number?: string;
    date?: string;
    title?: string;
  };
  taskColumn?: string;
  proposal?: {
    name: string;
    accept: boolean;
  };
  issuedOn?: string | null;
  code?: string;
  periodStart?: string;
  periodEnd?: string;
  policy?: {
    [key: string]: unknown;
  };
};

export type DraftQuestion = {
  kind: 'deadline' | 'vague-group' | 'commune-group' | 'unknown-agency' | 'proposal' | 'issued-on' | 'completed-on';
  row?: number;
  column?: string;
  text: string;
  options: Array<{
    value: string;
    label: string;
  }>;
};

export type Escalation = {
  assignmentId: string;
  level: number;
  cycle: number;
  agencyCode: string;
  agency: AgencyLabel;
  planInfo: PlanLabel;
  effectiveDue: string | null;
  raisedAt: string;
  resolvedAt: string | null;
  plan: string;
  task: {
    key: string;
    number: string;
    title: string;
  };
  status: string;
};

export type ImportResult = {
  plan: {
    id: string;
    code: string;
    slug: string;
    registry: string;
    revision: number;
  };
  outcome: 'created' | 'updated' | 'unchanged';
  changes: Array<{
    kind: string;
    key: string;
  }>;
  assignments: {
    created: number;
    total: number;
    started: number;
    pendingStart: number;
  };
  warnings: Array<{
    row?: number;
    column?: string;
    field?: string;
    message: string;
  }>;
};

export type Invitation = {
  id: string;
  kind: 'account' | 'reset';
  email: string;
  name: string;
  role: 'coordinator' | 'agency' | 'leadership';
  agencyCode: string | null;
  agency?: AgencyLabel;
  registry: string | null;
  expiresAt: string;
};

export type Labels = {
  statuses: {
    assigned: string;
    acknowledged: string;
    in_progress: string;
    submitted: string;
    completed: string;
    cancelled: string;
  };
  statusGroups: {
    withLead: {
      label: string;
      statuses: Array<string>;
    };
    review: {
      label: string;
      statuses: Array<string>;
    };
    closed: {
      label: string;
      statuses: Array<string>;
    };
    open: {
      label: string;
      statuses: Array<string>;
    };
  };
  buckets: {
    onTime: string;
    late: string;
    within: string;
    overdue: string;
  };
  reportStatuses: {
    'on-time': string;
    late: string;
    missing: string;
    pending: string;
  };
  commands: {
    acknowledge: string;
    fileReport: string;
    submitDeliverable: string;
    requestExtension: string;
    addContribution: string;
    accept: string;
    return: string;
    approveExtension: string;
    denyExtension: string;
    reassign: string;
    cancel: string;
    setDeadline: string;
  };
  notificationKinds: {
    assigned: string;
    reminder: string;
    'report-reminder': string;
    'report-late': string;
    escalation: string;
    'ack-chase': string;
    submitted: string;
    accepted: string;
    returned: string;
    'extension-requested': string;
    'extension-decided': string;
    reassigned: string;
    cancelled: string;
    'deadline-changed': string;
    contribution: string;
    'cycle-started': string;
    'workflow-stopped': string;
  };
  personalModes: {
    immediate: string;
    digest: string;
    off: string;
  };
  roles: {
    coordinator: string;
    agency: string;
    leadership: string;
  };
  fields: {
    effectiveDue: string;
    planDeadline: string;
    objective: string;
    deliverables: string;
    lead: string;
    collaborators: string;
    plan: string;
    registry: string;
  };
};

export type MergeResult = {
  agency: Agency;
  successor: Agency;
  reassigned: Array<string>;
  refused: Array<{
    id: string;
    reason: string;
  }>;
};

export type MyPreferences = {
  email: string;
  preferences: {
    [key: string]: 'immediate' | 'digest' | 'off';
  };
  kinds: Array<{
    kind:
      | 'assigned'
      | 'reminder'
      | 'report-reminder'
      | 'report-late'
      | 'escalation'
      | 'ack-chase'
      | 'submitted'
      | 'accepted'
      | 'returned'
      | 'extension-requested'
      | 'extension-decided'
      | 'reassigned'
      | 'cancelled'
      | 'deadline-changed'
      | 'contribution'
      | 'cycle-started'
      | 'workflow-stopped';
    label: string;
    mode: 'immediate' | 'digest' | 'off';
    defaultMode: 'immediate' | 'digest' | 'off';
  }>;
};

export type Notification = {
  id: number;
  assignmentId: string;
  kind: string;
  kindLabel: string;
  level: number | null;
  period: string | null;
  text: string;
  link: string;
  createdAt: string;
  readAt: string | null;
  plan: PlanLabel | null;
  task: {
    number: string;
    title: string;
  } | null;
  agency: AgencyLabel | null;
};

export type PeriodicReport = {
  period: string;
  label: string;
  agencies: Array<{
    agencyCode: string;
    agency: AgencyLabel;
    onTime: number;
    late: number;
    missing: number;
    pending: number;
  }>;
  rows: Array<{
    agencyCode: string;
    agency: AgencyLabel;
    assignmentId: string;
    plan: string;
    planTitle: string;
    taskNumber: string;
    taskTitle: string;
    status: 'on-time' | 'late' | 'missing' | 'pending';
    statusLabel: string;
    filedAt: string | null;
  }>;
  tasks: {
    asOf: string;
    label: string;
    reconstructed: boolean;
    agencies: Array<{
      agencyCode: string;
      agency: AgencyLabel;
      onTime: number;
      late: number;
      within: number;
      overdue: number;
      total: number;
      completionRate: number | null;
      onTimeRate: number | null;
    }>;
    total: TaskFigures;
  };
};

export type PlanDraft = {
  id: string;
  registry: {
    key: string;
    name: string;
  };
  code: string | null;
  title: string | null;
  province: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  policy: {
    [key: string]: unknown;
  };
  issuedOn: string | null;
  issuedOnSource: 'document' | 'given' | null;
  issuedOnText: string | null;
  file: {
    name: string | null;
    format: string;
    size: number;
    sha256: string;
  };
  revision: RevisionSummary | null;
  tasks: Array<{
    row: number;
    section: string | null;
    number: string;
    key: string;
    code?: string;
    parent?: string;
    title: string;
    area: string | null;
    objective: string | null;
    deliverables: Array<string>;
    leads: Array<{
      code: string | null;
      name: string;
      group?: string;
      members?: number;
    }>;
    leadsRaw: string;
    collaborators: Array<{
      code: string | null;
      name: string;
      group?: string;
      members?: number;
    }>;
    collaboratorsRaw: string;
    deadline: {
      kind: 'date' | 'range' | 'recurring' | 'continuous' | 'unresolved';
      start?: string;
      due?: string;
      recurrence?: {
        every: 'year';
        month?: number;
        day?: number;
      };
      milestones?: Array<string>;
      raw: string;
    } & {
      note?: string;
      effectiveDue?: string;
    };
    status: {
      state: 'open' | 'done';
      completedOn?: string;
      document?: {
        kind?: string;
        number?: string;
        date?: string;
        title?: string;
      };
      raw?: string;
    };
    excluded: boolean;
    questions: Array<DraftQuestion>;
    warnings: Array<{
      row?: number;
      column?: string;
      field?: string;
      message: string;
    }>;
    metadata: {
      [key: string]: string;
    };
  }>;
  questions: Array<DraftQuestion>;
  proposals: Array<{
    code: string;
    name: string;
    kind: string;
    rows: Array<number>;
    nearest: Array<string>;
    written: Array<string>;
    decision: 'accepted' | 'rejected' | null;
  }>;
  warnings: Array<{
    message: string;
    rows: Array<number>;
    column?: string;
  }>;
  errors: Array<{
    row?: number;
    column?: string;
    field?: string;
    message: string;
  }>;
  columns: Array<{
    index: number;
    letter: string;
    header: string;
    meaning: string | null;
  }>;
  edits: Array<{
    who: string;
    at: string;
    row: number | null;
    field: string;
    from: unknown;
    to: unknown;
  }>;
  counts: {
    tasks: number;
    excluded: number;
    assignments: number;
    byLead: Array<{
      code: string;
      name: string;
      assignments: number;
    }>;
  };
  importedPlanId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
};

export type PlanJson = {
  code: string;
  title: string;
  province: string;
  registry?: string;
  periodStart: string;
  periodEnd: string;
  policy?: {
    [key: string]: unknown;
  };
  issuedOn?: string;
  revise?: boolean;
  tasks: Array<{
    number: string;
    section?: string;
    title: string;
    area?: string;
    objective?: string;
    deliverables?: Array<string>;
    leads: Array<string>;
    collaborators?: Array<string>;
    dueDate?: string;
    deadline?: string;
    metadata?: {
      [key: string]: string;
    };
  }>;
};

export type PlanLabel = {
  id: string;
  code: string;
  slug: string;
  title: string;
};

export type PlanPreview = {
  tasks: Array<{
    row: number;
    number: string;
    section: string | null;
    key: string;
    area: string | null;
    objective: string | null;
    title: string;
    deliverables: Array<string>;
    leads: Array<{
      code: string | null;
      name: string;
      group?: string;
      members?: number;
    }>;
    leadsRaw: string;
    collaborators: Array<{
      code: string | null;
      name: string;
      group?: string;
      members?: number;
    }>;
    collaboratorsRaw: string;
    deadline: {
      kind: 'date' | 'range' | 'recurring' | 'continuous' | 'unresolved';
      start?: string;
      due?: string;
      recurrence?: {
        every: 'year';
        month?: number;
        day?: number;
      };
      milestones?: Array<string>;
      raw: string;
    };
    deadlineNote?: string;
    code?: string;
    parent?: string;
    status: {
      state: 'open' | 'done';
      completedOn?: string;
      document?: {
        [key: string]: string;
      };
      raw?: string;
    };
    excluded: boolean;
    questions: Array<DraftQuestion>;
    warnings: Array<{
      row?: number;
      column?: string;
      field?: string;
      message: string;
    }>;
    metadata: {
      [key: string]: string;
    };
  }>;
  warnings: Array<{
    row?: number;
    column?: string;
    field?: string;
    message: string;
  }>;
  errors: Array<{
    row?: number;
    column?: string;
    field?: string;
    message: string;
  }>;
  questions?: Array<DraftQuestion>;
  columns?: Array<{
    index: number;
    letter: string;
    header: string;
    meaning: string | null;
  }>;
  issued?: {
    date: string;
    text: string;
  };
  proposedAgencies?: Array<{
    code: string;
    name: string;
    kind: string;
    rows: Array<number>;
    nearest: Array<string>;
    written: Array<string>;
  }>;
};

export type PlanSummary = {
  id: string;
  code: string;
  slug: string;
  title: string;
  province: string;
  registry: string;
  registryName: string;
  periodStart: string;
  periodEnd: string;
  revision: number;
  tasks: number;
  assignments: number;
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: Array<{
    field: string;
    message: string;
    row?: number;
    column?: string;
  }>;
};

export type RegistryLabel = {
  key: string;
  name: string;
};

export type RegistrySummary = {
  key: string;
  name: string;
  kind: 'province' | 'central';
  agencies: number;
  groups: number;
  updatedAt: string;
};

export type RevisionSummary = {
  planId: string;
  code: string;
  revision: number;
  counts: {
    added: number;
    cancelled: number;
    moved: number;
    deadlineChanged: number;
    textChanged: number;
  };
  planChanged: boolean;
  changes: Array<{
    kind: string;
    key: string;
    title: string;
    detail?: string;
  }>;
};

export type SessionInfo = {
  user: Account;
  csrfToken: string;
  abilities: {
    importPlans: boolean;
    reviewWork: boolean;
    managePeople: boolean;
    manageTokens: boolean;
    editRegistries: boolean;
    readAudit: boolean;
    manageContacts: boolean;
  };
};

export type TaskFigures = {
  onTime: number;
  late: number;
  within: number;
  overdue: number;
  total: number;
  completionRate: number | null;
  onTimeRate: number | null;
};

export type Token = {
  id: string;
  name: string;
  role: 'coordinator' | 'agency' | 'leadership';
  agencyCode: string | null;
  agency?: AgencyLabel;
  registry: string | null;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
};

/** What each GET route answers with 200, by its path as the OpenAPI document writes it. */
export interface Reads {
  '/healthz': {
    status: 'ok';
  };
  '/readyz': {
    status: 'ready';
    database: {
      status: 'ok' | 'unavailable';
    };
    temporal: {
      status: 'ok' | 'unavailable';
    };
  };
  '/v1/assignments': {
    items: Array<AssignmentSummary>;
    nextCursor: string | null;
    total: number;
  };
  '/v1/assignments/{id}': AssignmentWithTimeline;
  '/v1/assignments/{id}/files': {
    items: Array<DeliverableFile>;
    nextCursor: null;
    total: number;
  };
  '/v1/audit': {
    items: Array<AuditEntry>;
    nextCursor: string | null;
    total: number;
  };
  '/v1/contacts': {
    items: Array<Contact>;
    nextCursor: null;
    total: number;
  };
  '/v1/contacts/{id}': Contact;
  '/v1/dashboard': Dashboard;
  '/v1/deliveries': {
    items: Array<Delivery>;
    nextCursor: string | null;
    total: number;
  };
  '/v1/deliveries/{id}': DeliveryWithAttempts;
  '/v1/deliveries/counts': DeliveryCounts;
  '/v1/escalations': {
    items: Array<Escalation>;
    nextCursor: string | null;
    total: number;
  };
  '/v1/invitations': {
    items: Array<Invitation>;
    nextCursor: null;
    total: number;
  };
  '/v1/invitations/{invitation}': Invitation;
  '/v1/labels': Labels;
  '/v1/me/preferences': MyPreferences;
  '/v1/notifications': {
    items: Array<Notification>;
    nextCursor: string | null;
    total: number;
    unread: number;
  };
  '/v1/plans': {
    items: Array<PlanSummary>;
    nextCursor: null;
    total: number;
  };
  '/v1/plans/drafts/{id}': PlanDraft;
  '/v1/registries': {
    items: Array<RegistrySummary>;
    nextCursor: string | null;
    total: number;
  };
  '/v1/registries/{key}/agencies': {
    items: Array<Agency>;
    nextCursor: string | null;
    total: number;
  };
  '/v1/registries/{key}/agencies/{code}': Agency;
  '/v1/reports/periodic': PeriodicReport;
  '/v1/session': SessionInfo;
  '/v1/stats/agencies': AgencyStats;
  '/v1/tokens': {
    items: Array<Token>;
    nextCursor: null;
    total: number;
  };
  '/v1/users': {
    items: Array<Account>;
    nextCursor: string | null;
    total: number;
  };
}

/** Every JSON operation, keyed 'METHOD /path/{param}': the body it takes and what it answers (null: 204). */
export interface Operations {
  'GET /healthz': {
    body: undefined;
    response: {
      status: 'ok';
    };
  };
  'GET /readyz': {
    body: undefined;
    response: {
      status: 'ready';
      database: {
        status: 'ok' | 'unavailable';
      };
      temporal: {
        status: 'ok' | 'unavailable';
      };
    };
  };
  'GET /v1/assignments': {
    body: undefined;
    response: {
      items: Array<AssignmentSummary>;
      nextCursor: string | null;
      total: number;
    };
  };
  'GET /v1/assignments/{id}': {
    body: undefined;
    response: AssignmentWithTimeline;
  };
  'POST /v1/assignments/{id}/accept': {
    body: {
      note?: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/acknowledge': {
    body: Record<string, unknown>;
    response: Assignment;
  };
  'POST /v1/assignments/{id}/cancel': {
    body: {
      reason: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/contributions': {
    body: {
      text: string;
      link?: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/deadline': {
    body: {
      deadline?: string;
      due?: string;
      start?: string;
      reason?: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/deliverables': {
    body: {
      type: string;
      documentNumber: string;
      date: string;
      link?: string;
      file?: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/extension-requests': {
    body: {
      until: string;
      reason: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/extension-requests/approve': {
    body: {
      until?: string;
      reason?: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/extension-requests/deny': {
    body: {
      reason: string;
    };
    response: Assignment;
  };
  'GET /v1/assignments/{id}/files': {
    body: undefined;
    response: {
      items: Array<DeliverableFile>;
      nextCursor: null;
      total: number;
    };
  };
  'POST /v1/assignments/{id}/files': {
    body: FormData;
    response: DeliverableFile;
  };
  'POST /v1/assignments/{id}/reassign': {
    body: {
      toAgency: string;
      reason: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/reports': {
    body: {
      period: string;
      summary: string;
      link?: string;
      documents?: Array<{
        kind: string;
        number: string;
        date: string;
        title: string;
        file?: string;
      }>;
      difficulties?: string;
      causes?: string;
      proposals?: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/{id}/restart': {
    body: undefined;
    response: Assignment;
  };
  'POST /v1/assignments/{id}/return': {
    body: {
      reason: string;
    };
    response: Assignment;
  };
  'POST /v1/assignments/reassign-agency': {
    body: {
      from: string;
      to: string;
      reason: string;
      plan?: string;
      registry?: string;
    };
    response: {
      reassigned: Array<string>;
      refused: Array<{
        id: string;
        reason: string;
      }>;
    };
  };
  'GET /v1/audit': {
    body: undefined;
    response: {
      items: Array<AuditEntry>;
      nextCursor: string | null;
      total: number;
    };
  };
  'GET /v1/contacts': {
    body: undefined;
    response: {
      items: Array<Contact>;
      nextCursor: null;
      total: number;
    };
  };
  'POST /v1/contacts': {
    body: {
      registry?: string;
      agency?: string;
      role?: 'coordinator' | 'coordinator-director' | 'leadership';
      channel: 'email' | 'webhook';
      address: string;
      name?: string;
      secret?: string;
      preferences?: {
        assigned?: 'immediate' | 'digest';
        reminder?: 'immediate' | 'digest';
        'report-reminder'?: 'immediate' | 'digest';
        'report-late'?: 'immediate' | 'digest';
        escalation?: 'immediate' | 'digest';
        'ack-chase'?: 'immediate' | 'digest';
        submitted?: 'immediate' | 'digest';
        accepted?: 'immediate' | 'digest';
        returned?: 'immediate' | 'digest';
        'extension-requested'?: 'immediate' | 'digest';
        'extension-decided'?: 'immediate' | 'digest';
        reassigned?: 'immediate' | 'digest';
        cancelled?: 'immediate' | 'digest';
        'deadline-changed'?: 'immediate' | 'digest';
        contribution?: 'immediate' | 'digest';
        'cycle-started'?: 'immediate' | 'digest';
        'workflow-stopped'?: 'immediate' | 'digest';
      };
    };
    response: CreatedContact;
  };
  'GET /v1/contacts/{id}': {
    body: undefined;
    response: Contact;
  };
  'PATCH /v1/contacts/{id}': {
    body: {
      name?: string;
      address?: string;
      preferences?: {
        assigned?: 'immediate' | 'digest' | null;
        reminder?: 'immediate' | 'digest' | null;
        'report-reminder'?: 'immediate' | 'digest' | null;
        'report-late'?: 'immediate' | 'digest' | null;
        escalation?: 'immediate' | 'digest' | null;
        'ack-chase'?: 'immediate' | 'digest' | null;
        submitted?: 'immediate' | 'digest' | null;
        accepted?: 'immediate' | 'digest' | null;
        returned?: 'immediate' | 'digest' | null;
        'extension-requested'?: 'immediate' | 'digest' | null;
        'extension-decided'?: 'immediate' | 'digest' | null;
        reassigned?: 'immediate' | 'digest' | null;
        cancelled?: 'immediate' | 'digest' | null;
        'deadline-changed'?: 'immediate' | 'digest' | null;
        contribution?: 'immediate' | 'digest' | null;
        'cycle-started'?: 'immediate' | 'digest' | null;
        'workflow-stopped'?: 'immediate' | 'digest' | null;
      };
    };
    response: Contact;
  };
  'DELETE /v1/contacts/{id}': {
    body: undefined;
    response: Contact;
  };
  'GET /v1/dashboard': {
    body: undefined;
    response: Dashboard;
  };
  'GET /v1/deliveries': {
    body: undefined;
    response: {
      items: Array<Delivery>;
      nextCursor: string | null;
      total: number;
    };
  };
  'GET /v1/deliveries/{id}': {
    body: undefined;
    response: DeliveryWithAttempts;
  };
  'GET /v1/deliveries/counts': {
    body: undefined;
    response: DeliveryCounts;
  };
  'GET /v1/escalations': {
    body: undefined;
    response: {
      items: Array<Escalation>;
      nextCursor: string | null;
      total: number;
    };
  };
  'GET /v1/invitations': {
    body: undefined;
    response: {
      items: Array<Invitation>;
      nextCursor: null;
      total: number;
    };
  };
  'POST /v1/invitations': {
    body: {
      email: string;
      name: string;
      role: 'coordinator' | 'agency' | 'leadership';
      agency?: string;
      registry?: string;
    };
    response: Invitation & {
      token: string;
      link: string;
      emailed: boolean;
    };
  };
  'GET /v1/invitations/{invitation}': {
    body: undefined;
    response: Invitation;
  };
  'DELETE /v1/invitations/{invitation}': {
    body: undefined;
    response: Invitation;
  };
  'POST /v1/invitations/{token}/accept': {
    body: {
      password: string;
    };
    response: SessionInfo;
  };
  'GET /v1/labels': {
    body: undefined;
    response: Labels;
  };
  'POST /v1/me/calendar': {
    body: undefined;
    response: {
      url: string;
      createdAt: string;
    };
  };
  'DELETE /v1/me/calendar': {
    body: undefined;
    response: null;
  };
  'GET /v1/me/preferences': {
    body: undefined;
    response: MyPreferences;
  };
  'PUT /v1/me/preferences': {
    body: {
      preferences: {
        [key: string]: 'immediate' | 'digest' | 'off' | null;
      };
    };
    response: MyPreferences;
  };
  'GET /v1/notifications': {
    body: undefined;
    response: {
      items: Array<Notification>;
      nextCursor: string | null;
      total: number;
      unread: number;
    };
  };
  'POST /v1/notifications/{id}/read': {
    body: undefined;
    response: Notification;
  };
  'POST /v1/notifications/read': {
    body: {
      ids?: Array<number>;
    };
    response: {
      marked: number;
    };
  };
  'GET /v1/plans': {
    body: undefined;
    response: {
      items: Array<PlanSummary>;
      nextCursor: null;
      total: number;
    };
  };
  'POST /v1/plans': {
    body: PlanJson | FormData;
    response: ImportResult;
  };
  'POST /v1/plans/drafts': {
    body: FormData;
    response: PlanDraft;
  };
  'GET /v1/plans/drafts/{id}': {
    body: undefined;
    response: PlanDraft;
  };
  'PATCH /v1/plans/drafts/{id}': {
    body: {
      edits: Array<DraftEdit>;
    };
    response: PlanDraft;
  };
  'POST /v1/plans/drafts/{id}/import': {
    body: {
      revise?: boolean;
    };
    response: ImportResult;
  };
  'POST /v1/plans/move-registry': {
    body: {
      plan: string;
      to: string;
    };
    response: {
      plan: {
        id: string;
        code: string;
        from: string;
        to: string;
        fromName: string;
        toName: string;
      };
      moved: Array<{
        id: string;
        from: string;
        to: string;
      }>;
      kept: Array<string>;
      unmapped: Array<{
        id: string;
        agencyCode: string;
        name: string;
      }>;
      refused: Array<{
        id: string;
        reason: string;
      }>;
    };
  };
  'POST /v1/plans/preview': {
    body: FormData;
    response: PlanPreview;
  };
  'GET /v1/registries': {
    body: undefined;
    response: {
      items: Array<RegistrySummary>;
      nextCursor: string | null;
      total: number;
    };
  };
  'GET /v1/registries/{key}/agencies': {
    body: undefined;
    response: {
      items: Array<Agency>;
      nextCursor: string | null;
      total: number;
    };
  };
  'GET /v1/registries/{key}/agencies/{code}': {
    body: undefined;
    response: Agency;
  };
  'PUT /v1/registries/{key}/agencies/{code}': {
    body: {
      code?: string;
      name: string;
      kind:
        'department' | 'office' | 'inspectorate' | 'board' | 'district' | 'commune' | 'province' | 'central' | 'other';
      aliases?: Array<string>;
    };
    response: Agency;
  };
  'POST /v1/registries/{key}/agencies/{code}/merge': {
    body: {
      into: string;
      reason?: string;
      reassignOpenWork?: boolean;
    };
    response: MergeResult;
  };
  'POST /v1/registries/{key}/agencies/import': {
    body: undefined;
    response: {
      added: number;
      updated: number;
    };
  };
  'GET /v1/reports/periodic': {
    body: undefined;
    response: PeriodicReport;
  };
  'GET /v1/session': {
    body: undefined;
    response: SessionInfo;
  };
  'POST /v1/session': {
    body: {
      email: string;
      password: string;
    };
    response: SessionInfo;
  };
  'DELETE /v1/session': {
    body: undefined;
    response: null;
  };
  'POST /v1/session/password': {
    body: {
      current: string;
      next: string;
    };
    response: null;
  };
  'GET /v1/stats/agencies': {
    body: undefined;
    response: AgencyStats;
  };
  'GET /v1/tokens': {
    body: undefined;
    response: {
      items: Array<Token>;
      nextCursor: null;
      total: number;
    };
  };
  'POST /v1/tokens': {
    body: {
      role: 'coordinator' | 'agency' | 'leadership';
      agency?: string;
      registry?: string;
      name: string;
    };
    response: Token & {
      token: string;
    };
  };
  'DELETE /v1/tokens/{id}': {
    body: undefined;
    response: Token;
  };
  'GET /v1/users': {
    body: undefined;
    response: {
      items: Array<Account>;
      nextCursor: string | null;
      total: number;
    };
  };
  'POST /v1/users/{id}/disable': {
    body: undefined;
    response: Account;
  };
  'POST /v1/users/{id}/enable': {
    body: undefined;
    response: Account;
  };
  'POST /v1/users/{id}/reset': {
    body: undefined;
    response: Invitation & {
      token: string;
      link: string;
      emailed: boolean;
    };
  };
}
