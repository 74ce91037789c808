import type { AgencyKind, AgencyRegistry } from '../agencies/types.ts';
import type { Deadline, IsoDate } from '../types.ts';

export type AppendixFormat = 'text' | 'csv' | 'xlsx' | 'docx';

/**
 * One record of the input as a person finds it again: a text line, a CSV line, a worksheet row,
 * a row of a Word table (counted from 1 at the table's first row).
 */
export interface RawRow {
  row: number;
  cells: string[];
  /**
   * The text extraction lost something right before this record (a page break glued it to the
   * previous one), so nothing carried over from above (area, objective) can be trusted.
   */
  afterGap?: boolean;
}

export interface RawTable {
  format: AppendixFormat;
  rows: RawRow[];
  /** The worksheet the table came from (xlsx). */
  sheet?: string;
  /** Which table of the document it is, counted from 1 (docx). */
  table?: number;
  /** Rows with a value right of the columns read: row → that column, counted from 1 (limits.ts). */
  stray?: ReadonlyMap<number, number>;
  /** What the reader noticed on the way (a formula with no saved value). */
  warnings?: Issue[];
}

/** What a column holds, whatever its header says. */
export type ColumnMeaning = 'number' | 'objective' | 'task' | 'deliverable' | 'lead' | 'collaborators' | 'deadline';

export interface ColumnMap {
  /** The row holding the header (the last one, for two-row headers); undefined when positional. */
  headerRow?: number;
  /** Rows right after the header that only number the columns ("(1)", "(2)" …). */
  skipRows: number[];
  /** Column index of each meaning found. */
  columns: Partial<Record<ColumnMeaning, number>>;
  /** The header text of each column, as written (or the standard name when positional). */
  headers: string[];
  /** Columns we do not know, kept as metadata under their header text. */
  metadata: { index: number; header: string }[];
}

/** A problem found in the input; `column` is the header as written, `field` the meaning. */
export interface Issue {
  row?: number;
  column?: string;
  field?: string;
  message: string;
}

export interface PreviewAgency {
  /** Null when the registry does not know the name (or it is a group without listed members). */
  code: string | null;
  name: string;
  /** The group the cell named, when this agency came from fanning it out. */
  group?: string;
}

export interface PreviewTask {
  row: number;
  /** The number as written ("1", "5.1.5"). */
  number: string;
  /** The section the task sits in ("II", "A", "A.II" when sections nest); null before any. */
  section: string | null;
  /** The task's identity in the plan: its number, or "<section>.<number>" when numbering restarts (task-keys.ts). */
  key: string;
  area: string | null;
  objective: string | null;
  title: string;
  deliverables: string[];
  leads: PreviewAgency[];
  leadsRaw: string;
  collaborators: PreviewAgency[];
  collaboratorsRaw: string;
  deadline: Deadline;
  warnings: Issue[];
  /** Columns the appendix has beyond the ones we know, by header text. */
  metadata: Record<string, string>;
}

/**
 * An agency the plan names that its registry does not know, offered to the coordinator: accepted,
 * it joins the registry under `code`, and the plan's cells that name it resolve to it.
 */
export interface ProposedAgency {
  code: string;
  name: string;
  kind: AgencyKind;
  /** The rows of the table that name it, in order. */
  rows: number[];
  /** The registry's closest names, in case it is a misspelling of one of them. */
  nearest: string[];
  /** How the plan wrote it, when that differs from `name`: kept as aliases, so the cells resolve. */
  written: string[];
}

export interface PlanPreview {
  tasks: PreviewTask[];
  /** Every warning, the tasks' own included, in row order. */
  warnings: Issue[];
  /** Anything here stops the import. */
  errors: Issue[];
  /** Names the registry does not know, offered to join it (proposed-agencies.ts); absent when none were read. */
  proposedAgencies?: ProposedAgency[];
}

export interface PreviewInput {
  bytes: Uint8Array;
  format?: AppendixFormat;
  fileName?: string;
}

export interface PreviewOptions {
  registry: AgencyRegistry;
  /** Unknown agencies become errors instead of warnings. */
  strict?: boolean;
  periodStart?: IsoDate;
  periodEnd?: IsoDate;
  maxBytes?: number;
}

/** Readers refuse anything larger; the API enforces the same limit on uploads. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/** Thrown by readers when the input cannot be read at all; carries the issue to report. */
export class AppendixReadError extends Error {
  readonly issue: Issue;
  constructor(issue: Issue) {
    super(issue.message);
    this.name = 'AppendixReadError';
    this.issue = issue;
  }
}
