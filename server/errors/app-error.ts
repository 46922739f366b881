// The application's one error class: a stable `code` for programs, a sentence a person can act
// on (the message), and a `kind` that says what sort of failure it is, whatever the surface:
//
// - the HTTP layer answers each kind with one status (server/http/problem.ts);
// - workers end a job at once when its kind is one retrying cannot fix (invalid, forbidden,
//   not_found) and let BullMQ retry the others with backoff (workers/job-failures.ts);
// - the CLI prints the sentence and exits 1.
//
// Domain errors extend it (HubSpot's in server/hubspot/hubspot-errors.ts). Callers tell errors
// apart with `instanceof` and `kind`, never by their name.

export type AppErrorKind = 'not_found' | 'conflict' | 'invalid' | 'forbidden' | 'unavailable';

export interface AppErrorOptions {
  kind: AppErrorKind;
  code: string;
  /** The sentence for people: what happened and what to do. */
  message: string;
  /** A short headline (problem documents' `title`); a generic one for the kind by default. */
  title?: string;
  /** Facts a program may use (a problem document carries them as extension members). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

const DEFAULT_TITLES: Record<AppErrorKind, string> = {
  not_found: 'Not found',
  conflict: 'The request conflicts with the current state',
  invalid: 'The request cannot be carried out as given',
  forbidden: 'Not allowed',
  unavailable: 'A service the app depends on is not available',
};

/** The kinds no retry can fix: the same input meets the same answer. */
const PERMANENT_KINDS: ReadonlySet<AppErrorKind> = new Set(['invalid', 'forbidden', 'not_found']);

export class AppError extends Error {
  readonly kind: AppErrorKind;
  readonly code: string;
  readonly title: string;
  readonly details: Record<string, unknown>;

  constructor({ kind, code, message, title, details = {}, cause }: AppErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    // The subclass's own name in stack traces and logs (never used to tell errors apart).
    this.name = new.target.name;
    this.kind = kind;
    this.code = code;
    this.title = title ?? DEFAULT_TITLES[kind];
    this.details = details;
  }
}

/** True for an AppError whose kind no retry can fix (invalid, forbidden, not found). */
export function retryingCannotFix(error: unknown): error is AppError {
  return error instanceof AppError && PERMANENT_KINDS.has(error.kind);
}
