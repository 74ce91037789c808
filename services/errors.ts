import type { RevisionSummary } from '../domain/plan-revision.ts';

/**
 * What the application refuses, as types rather than HTTP statuses: the API maps each kind to a
 * problem+json status and the CLI to an exit code. `message` is shown to people, so it is
 * Vietnamese.
 */

/** One bad field: a JSON pointer into the body ("/tasks/3/leads"), an option, or a row and column of a file. */
export interface FieldError {
  field: string;
  message: string;
  row?: number;
  column?: string;
}

export abstract class ServiceError extends Error {
  /** A stable machine-readable code for clients (a lifecycle refusal, "closed"), when there is one. */
  readonly code?: string;

  constructor(message: string, code?: string) {
    super(message);
    this.name = new.target.name;
    if (code !== undefined) this.code = code;
  }
}

/** The thing asked for does not exist (or is not visible to whoever asks). */
export class NotFound extends ServiceError {}

/** The caller may not do this. */
export class Forbidden extends ServiceError {}

/** The request clashes with the current state: a finished assignment, a plan code taken. */
export class Conflict extends ServiceError {}

/** Importing a plan already there would revise it, and the caller did not confirm: what it would change. */
export class RevisionNeeded extends Conflict {
  constructor(
    message: string,
    readonly revision: RevisionSummary,
  ) {
    super(message, 'revision-needed');
  }
}

/** The input is wrong; `errors` names each field, or row and column, and why. */
export class Invalid extends ServiceError {
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
    code?: string,
  ) {
    super(message, code);
  }
}

/** Too much at once for one thing (an assignment taking many commands together): try again shortly. */
export class Busy extends ServiceError {
  constructor(
    message: string,
    /** Seconds after which a retry is likely to pass. */
    readonly retryAfter = 1,
  ) {
    super(message, 'busy');
  }
}
