// Deregistration errors as HTTP problems (for routes that call the deregistration use cases):
// the code and sentence stay; the status says what kind of refusal it is.
import { Problem } from '../http/problem.js';
import { DeregistrationError, NotRetryableError, type DeregistrationErrorCode } from './deregistration-errors.js';

const STATUS: Record<DeregistrationErrorCode, number> = {
  NOTHING_TO_DEREGISTER: 409,
  SELECTION_TOO_LARGE: 413,
  PORTAL_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  NOT_UNDOABLE: 409,
  UNDO_WINDOW_PASSED: 409,
};

/** The problem for a deregistration error; anything else is returned unchanged (to rethrow). */
export function deregistrationProblem(error: unknown): unknown {
  if (error instanceof NotRetryableError) return new Problem({ status: 409, code: error.code, title: 'The job cannot be retried', detail: error.message });
  if (!(error instanceof DeregistrationError)) return error;
  return new Problem({ status: STATUS[error.code], code: error.code, title: 'The deregistration was refused', detail: error.message, extensions: error.selection ?? {} });
}
