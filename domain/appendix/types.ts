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
   * Columns (indexes) whose cell continues a merged cell from the row above (docx w:vMerge, a
   * workbook's merge): the value is the one above, not written again in this row.
   */
  continued?: number[];
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
  /**
   * Text of the document before the table, where its date of issue is written (docx paragraphs and
   * heading tables, the text extraction's lines); a sheet's or CSV's lines above the header are rows.
   */
  preamble?: string[];
}

/** What a column holds, whatever its header says. */
export type ColumnMeaning =
  | 'number'
  | 'code'
  | 'objective'
  | 'task'
  | 'deliverable'
  | 'lead'
  | 'collaborators'
  | 'deadline'
  /** A count of days from the plan's signing ("Số ngày dự kiến", "Thời gian thực hiện (ngày)"). */
  | 'duration'
  /** What has been done so far ("Tình hình thực hiện": "Đã hoàn thành", "Hoàn thành ngày 15/3/2024"). */
  | 'status';

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
  /** For a group kept whole (code null): how many agencies it stands for, when the registry lists them. */
  members?: number;
}

/** What the coordinator is asked about a row, or about the whole table. */
export type QuestionKind =
  'deadline' | 'vague-group' | 'commune-group' | 'unknown-agency' | 'proposal' | 'issued-on' | 'completed-on';

export interface Question {
  kind: QuestionKind;
  /** The row it is about; absent for a question about the whole table (the issue date). */
  row?: number;
  /** The column's header as written. */
  column?: string;
  /** The question, in Vietnamese. */
  text: string;
  /** Answers offered: an agency code, "each"/"group" for communes, "accept"/"reject", a date. */
  options: { value: string; label: string }[];
}

/** The document a task was completed with, when the table or the coordinator names one. */
export interface DoneDocument {
  kind?: string;
  number?: string;
  date?: IsoDate;
  title?: string;
}

/** What is done of a task: read from the table's status column, or set by the coordinator. */
export interface TaskStatus {
  state: 'open' | 'done';
  /** The day it was completed; absent when the table says it is done without a day. */
  completedOn?: IsoDate;
  document?: DoneDocument;
  /** The status cell as written. */
  raw?: string;
}

/** A coordinator's change to one row, applied when the table is read (a draft's edits). */
export interface RowOverride {
  row: number;
  /** A deadline as people write it, or an ISO date. */
  deadline?: string;
  /** The leads, by agency code: replaces whatever the cell names. */
  leads?: string[];
  /** For a cell naming the communes as a group: one assignment per commune, or one to the group. */
  communes?: 'each' | 'group';
  collaborators?: string[];
  title?: string;
  excluded?: boolean;
  status?: TaskStatus;
}

export interface PreviewTask {
  row: number;
  /** The number as written ("1", "5.1.5"); a lettered child's is its parent's and its letter ("1.a"); empty when unnumbered. */
  number: string;
  /** The task's code, from a column of codes ("KH20_TT_N01.1.1"). */
  code?: string;
  /** The title of the group the task belongs to (a numbered row over lettered or sub-numbered ones, an unnumbered heading). */
  parent?: string;
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
  /** What the reader decided about the deadline that the cell does not write ("cuối tháng 6/2025 → 30/06/2025"). */
  deadlineNote?: string;
  status: TaskStatus;
  /** Left out of the import by the coordinator. */
  excluded: boolean;
  /** What the coordinator is asked about this row. */
  questions: Question[];
  warnings: Issue[];
  /** Columns the appendix has beyond the ones we know, by header text. */
  metadata: Record<string, string>;
}

/** A column of the table as read: for choosing which one holds the task. */
export interface PreviewColumn {
  index: number;
  /** A, B, … as a spreadsheet names it. */
  letter: string;
  header: string;
  meaning: ColumnMeaning | null;
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
  /** Every question, the tasks' own included, in row order; the table's own (the issue date) first. */
  questions?: Question[];
  /** The table's columns and what each was read as. */
  columns?: PreviewColumn[];
  /** The plan's date of issue as the document writes it, when it does. */
  issued?: { date: IsoDate; text: string };
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
  /** The plan's issue date as given (else the document's): what counts "90 ngày kể từ ngày ban hành" from. */
  issuedOn?: IsoDate;
  /** The column holding the task, by index, as the coordinator chose it. */
  taskColumn?: number;
  /** The coordinator's changes to rows. */
  overrides?: RowOverride[];
  /** Proposed names the coordinator rejected: they are not offered again. */
  rejectedProposals?: string[];
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
