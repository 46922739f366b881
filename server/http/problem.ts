// Errors over HTTP: RFC 9457 problem details (application/problem+json) with a stable `code`.
//
// Routes throw `Problem` (or let validation throw); the error handler turns anything thrown into
// a problem document, so no route writes an error body by hand. Unexpected errors answer 500
// with the request id, and their detail stays in the log.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';

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
  if (error instanceof z.ZodError) return sendProblem(res, invalidRequest(error, 'body'));

  const bodyError = error as BodyParserError;
  if (bodyError.type === 'entity.too.large') {
    return sendProblem(res, new Problem({ status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'The request body is too large', detail: `Send at most ${bodyError.limit ?? 1048576} bytes.` }));
  }
  if (bodyError.type === 'entity.parse.failed') {
    return sendProblem(res, new Problem({ status: 400, code: 'MALFORMED_JSON', title: 'The request body is not valid JSON', detail: 'Send a JSON document with Content-Type: application/json.' }));
  }
  if (bodyError.type === 'encoding.unsupported' || bodyError.type === 'charset.unsupported') {
    return sendProblem(res, new Problem({ status: 415, code: 'UNSUPPORTED_ENCODING', title: 'The request body encoding is not supported', detail: bodyError.message }));
  }

  // HubSpot's failures, wherever a route met them (matched by name: http/ knows no HubSpot code).
  const name = (error as Error | undefined)?.name;
  if (name === 'HubSpotUnavailableError') {
    res.setHeader('Retry-After', '30');
    return sendProblem(res, new Problem({ status: 503, code: 'HUBSPOT_UNAVAILABLE', title: 'HubSpot is not answering', detail: `${(error as Error).message} Try again in a moment.` }));
  }
  if (name === 'HubSpotDisconnectedError') {
    return sendProblem(res, new Problem({ status: 409, code: 'HUBSPOT_DISCONNECTED', title: 'The app is no longer installed in this HubSpot account', detail: (error as Error).message }));
  }
  if (name === 'HubSpotRequestError' || name === 'OAuthGrantRejectedError') {
    return sendProblem(res, new Problem({ status: 502, code: 'HUBSPOT_REFUSED', title: 'HubSpot refused the request', detail: (error as Error).message }));
  }

  req.log?.error({ err: error }, 'request failed');
  return sendProblem(
    res,
    new Problem({ status: 500, code: 'INTERNAL_ERROR', title: 'Something went wrong on our side', detail: `Try again; if it keeps failing, contact support with request id ${req.id}.` }),
  );
};
