import type { Actor } from '../lifecycle.ts';
import type { IsoDate } from '../types.ts';
import type { DoneDocument, RowOverride, TaskStatus } from './types.ts';

// A draft is a table read once and edited by the coordinator before it is imported. Its edits are
// kept as they were made (who changed which cell from what to what) and folded, in order, into what
// the reader takes: the row overrides, the chosen task column, the proposals accepted or rejected.

/** A task done before its plan was imported: its assignments start completed on that day. */
export interface TaskCompletion {
  completedOn: IsoDate;
  document?: DoneDocument;
}

/** What a draft says about its plan besides the table. */
export interface DraftFields {
  code?: string;
  title?: string;
  province?: string;
  registry: string;
  periodStart?: IsoDate;
  periodEnd?: IsoDate;
  /** The issue date the coordinator gave (else the document's). */
  issuedOn?: IsoDate;
  policy?: Record<string, unknown>;
  strict?: boolean;
}

/** One field changed by one edit. */
export interface DraftEditRecord {
  /** Who, as the audit trail names them. */
  who: string;
  actor: Actor;
  /** When, RFC 3339 UTC. */
  at: string;
  /** The table's row, or null for the draft itself (a plan field, the task column, a proposal). */
  row: number | null;
  field: DraftEditField;
  from: unknown;
  to: unknown;
}

export type DraftEditField =
  | 'deadline'
  | 'leads'
  | 'communes'
  | 'collaborators'
  | 'title'
  | 'excluded'
  | 'status'
  | 'taskColumn'
  | 'proposal'
  | 'issuedOn'
  | 'code'
  | 'planTitle'
  | 'periodStart'
  | 'periodEnd'
  | 'policy';

/** What the edits so far amount to, for the reader. */
export interface DraftChoices {
  overrides: RowOverride[];
  taskColumn?: number;
  /** Proposed names accepted (they join the registry at import) and rejected. */
  accepted: string[];
  rejected: string[];
}

export function draftChoices(edits: readonly DraftEditRecord[]): DraftChoices {
  const rows = new Map<number, RowOverride>();
  const choices: DraftChoices = { overrides: [], accepted: [], rejected: [] };
  for (const edit of edits) {
    if (edit.row === null) {
      if (edit.field === 'taskColumn') choices.taskColumn = edit.to as number;
      if (edit.field === 'proposal') {
        const { name, accept } = edit.to as { name: string; accept: boolean };
        choices.accepted = choices.accepted.filter((n) => n !== name);
        choices.rejected = choices.rejected.filter((n) => n !== name);
        (accept ? choices.accepted : choices.rejected).push(name);
      }
      continue;
    }
    const override = rows.get(edit.row) ?? { row: edit.row };
    switch (edit.field) {
      case 'deadline':
        override.deadline = edit.to as string;
        break;
      case 'leads':
        override.leads = edit.to as string[];
        delete override.communes;
        break;
      case 'communes':
        override.communes = edit.to as 'each' | 'group';
        delete override.leads;
        break;
      case 'collaborators':
        override.collaborators = edit.to as string[];
        break;
      case 'title':
        override.title = edit.to as string;
        break;
      case 'excluded':
        override.excluded = edit.to as boolean;
        break;
      case 'status':
        override.status = edit.to as TaskStatus;
        break;
      default:
        break;
    }
    rows.set(edit.row, override);
  }
  choices.overrides = [...rows.values()];
  return choices;
}
