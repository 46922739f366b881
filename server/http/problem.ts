// Errors over HTTP: RFC 9457 problem details (application/problem+json) with a stable `code`.
//
// Routes throw `Problem` or an application error (server/errors/app-error.ts), or let
// validation throw; the error handler turns anything thrown into a problem document, so no route
// writes an error body by hand. An application error's kind decides its status, here and only
// here (STATUS_OF_KIND). Unexpected errors answer 500 with the request id, and their detail
// stays in the log.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, type AppErrorKind } from '../errors/app-error.js';

/** The one mapping from an application error's kind to an HTTP status. */
export const STATUS_OF_KIND: Record<AppErrorKind, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  forbidden: 403,
  unavailable: 503,
};

/** How long a client should wait before trying again after an `unavailable` answer. */
const RETRY_AFTER_SECONDS = 30;

export interface ProblemOptions {
  status: number;
  code: string;
  title: string;
  detail?: string;
  /** Extra members, e.g. the fields that failed validation. */
  extensions?: Record<string, unknown>;
}

export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  readonly extensions: Record<string, unknown>;

  constructor({ status, code, title, detail, extensions = {} }: ProblemOptions) {
    super(detail ?? title);
    this.name = 'Problem';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.extensions = extensions;
  }
}

export function sendProblem(res: Response, problem: Problem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: `https://partner-capacity.dev/problems/${problem.code.toLowerCase().replace(/_/g, '-')}`,
      title: problem.title,
      status: problem.status,
      code: problem.code,
      detail: problem.detail,
      instance: res.req.originalUrl,
      requestId: res.req.id,
      ...problem.extensions,
    });
}

/** An application error as a problem document: the status its kind maps to, its code and sentence. */
export function problemOf(error: AppError): Problem {
  return new Problem({ status: STATUS_OF_KIND[error.kind], code: error.code, title: error.title, detail: error.message, extensions: error.details });
}

/** The problem for a request whose input did not validate: every field and what is wrong with it. */
export function invalidRequest(error: z.ZodError, where: 'body' | 'query' | 'params'): Problem {
  const fields = error.issues.map((issue) => ({ field: [where, ...issue.path].join('.'), message: issue.message }));
  return new Problem({
    status: 400,
    code: 'INVALID_REQUEST',
    title: 'The request is not valid',
    detail: fields.map((field) => `${field.field}: ${field.message}`).join('; '),
    extensions: { fields },
  });
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, new Problem({ status: 404, code: 'NOT_FOUND', title: 'Not found', detail: `Nothing is served at ${req.method} ${req.path}.` }));
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

export const problemHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof Problem) return sendProblem(res, error);
  if (error instanceof AppError) {
    if (error.kind === 'unavailable') res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return sendProblem(res, problemOf(error));
  }
  if (error instanceof z.ZodError) return sendProblem(res, invalidRequest(error, 'body'));

  const bodyError = error as BodyParserError;
  if (bodyError.type === 'entity.too.large') {
    return sendProblem(
      res,
      new Problem({ status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'The request body is too large', detail: `Send at most ${bodyError.limit ?? 1048576} bytes.` }),
    );
  }
  if (bodyError.type === 'entity.parse.failed') {
    return sendProblem(
      res,
      new Problem({ status: 400, code: 'MALFORMED_JSON', title: 'The request body is not valid JSON', detail: 'Send a JSON document with Content-Type: application/json.' }),
    );
  }
  if (bodyError.type === 'encoding.unsupported' || bodyError.type === 'charset.unsupported') {
    return sendProblem(res, new Problem({ status: 415, code: 'UNSUPPORTED_ENCODING', title: 'The request body encoding is not supported', detail: bodyError.message }));
  }

  req.log?.error({ err: error }, 'request failed');
  return sendProblem(
    res,
    new Problem({
      status: 500,
      code: 'INTERNAL_ERROR',
      title: 'Something went wrong on our side',
      detail: `Try again; if it keeps failing, contact support with request id ${req.id}.`,
    }),
  );
};
