// Why a deregistration request or an undo was refused: a stable code for programs, a sentence
// for people that says what to do next.
export type DeregistrationErrorCode =
  | 'NOTHING_TO_DEREGISTER'
  | 'SELECTION_TOO_LARGE'
  | 'PORTAL_NOT_FOUND'
  | 'JOB_NOT_FOUND'
  | 'NOT_UNDOABLE'
  | 'UNDO_WINDOW_PASSED';

export class DeregistrationError extends Error {
  override name = 'DeregistrationError';
  constructor(
    readonly code: DeregistrationErrorCode,
    message: string,
    /** For NOTHING_TO_DEREGISTER: what the selection named that was not deregistrable. */
    readonly details: { notFound: string[]; alreadyDeregistered: string[] } | null = null,
  ) {
    super(message);
  }
}

export function isDeregistrationError(error: unknown): error is DeregistrationError {
  return error instanceof DeregistrationError;
}

/** The operator asked to retry a job that has not failed (only the operator can retry). */
export class NotRetryableError extends Error {
  override name = 'NotRetryableError';
  readonly code = 'NOT_RETRYABLE';
}
