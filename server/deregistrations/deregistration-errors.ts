// Why a deregistration request or an undo was refused: a stable code for programs, a sentence
// for people that says what to do next, and the kind of refusal (server/errors/app-error.ts),
// which decides the HTTP status and whether a job may retry.
import { AppError, type AppErrorKind } from '../errors/app-error.js';

export type DeregistrationErrorCode = 'NOTHING_TO_DEREGISTER' | 'SELECTION_TOO_LARGE' | 'PORTAL_NOT_FOUND' | 'JOB_NOT_FOUND' | 'NOT_UNDOABLE' | 'UNDO_WINDOW_PASSED';

const KIND_OF: Record<DeregistrationErrorCode, AppErrorKind> = {
  NOTHING_TO_DEREGISTER: 'conflict',
  SELECTION_TOO_LARGE: 'invalid',
  PORTAL_NOT_FOUND: 'not_found',
  JOB_NOT_FOUND: 'not_found',
  NOT_UNDOABLE: 'conflict',
  UNDO_WINDOW_PASSED: 'conflict',
};

export class DeregistrationError extends AppError {
  declare readonly code: DeregistrationErrorCode;
  constructor(
    code: DeregistrationErrorCode,
    message: string,
    /** For NOTHING_TO_DEREGISTER: what the selection named that was not deregistrable. */
    readonly selection: { notFound: string[]; alreadyDeregistered: string[] } | null = null,
  ) {
    super({ kind: KIND_OF[code], code, message, title: 'The deregistration was refused', details: selection ?? {} });
  }
}

/** The operator asked to retry a job that has not failed (only the operator can retry). */
export class NotRetryableError extends AppError {
  constructor(message: string) {
    super({ kind: 'conflict', code: 'NOT_RETRYABLE', message, title: 'The job cannot be retried' });
  }
}
