// HubSpot's error bodies, in one place.
//
// HubSpot's API errors share one JSON shape: `{ status: "error", message, correlationId,
// category, subCategory?, errors?: [{ message, code?, in?, context? }], context?, links? }`;
// HubSpot says every field is optional to a parser. Handlers throw `HubSpotHttpError` and the
// error middleware (server.ts) writes it, so no route builds an error body by hand.
//
// The OAuth token endpoint is the exception: it answers `{ status: "BAD_AUTH_CODE", message,
// correlationId, error?, error_description? }` (see oauth.ts).
import { randomUUID } from 'node:crypto';

export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

export interface HubSpotErrorInit {
  message: string;
  category?: string;
  subCategory?: string;
  errors?: HubSpotErrorDetail[];
  context?: Record<string, string[]>;
  links?: Record<string, string>;
  /** Fields some errors add beside the common ones (the 429 body's `errorType`, `policyName`). */
  extra?: Record<string, unknown>;
}

export type HubSpotErrorBody = { status: string; message: string; correlationId: string } & Record<string, unknown>;

export function hubSpotErrorBody(init: HubSpotErrorInit): HubSpotErrorBody {
  return {
    status: 'error',
    message: init.message,
    correlationId: randomUUID(),
    ...(init.context ? { context: init.context } : {}),
    ...(init.category ? { category: init.category } : {}),
    ...(init.subCategory ? { subCategory: init.subCategory } : {}),
    ...(init.errors ? { errors: init.errors } : {}),
    ...(init.links ? { links: init.links } : {}),
    ...init.extra,
  };
}

/** Thrown by route handlers; server.ts turns it into the HTTP answer. */
export class HubSpotHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HubSpot fake error ${httpStatus}`);
  }
}

export function validationError(message: string, errors?: HubSpotErrorDetail[]): HubSpotHttpError {
  return new HubSpotHttpError(400, hubSpotErrorBody({ message, category: 'VALIDATION_ERROR', ...(errors ? { errors } : {}) }));
}

/**
 * GET of a missing record. The body is the one HubSpot was seen answering for an unknown contact
 * id (hubspot-api-nodejs issue #669: "Object not found.  objectId are usually numeric.", two
 * spaces included). Some reports say HubSpot answers some 404s with an empty body: unconfirmed,
 * and an empty body would break @hubspot/api-client's parser, so the fake always sends JSON.
 */
export function objectNotFound(id: string): HubSpotHttpError {
  return new HubSpotHttpError(
    404,
    hubSpotErrorBody({
      message: 'Object not found.  objectId are usually numeric.',
      category: 'OBJECT_NOT_FOUND',
      context: { id: [id] },
    }),
  );
}

export function resourceNotFound(message = 'resource not found'): HubSpotHttpError {
  return new HubSpotHttpError(404, hubSpotErrorBody({ message, category: 'OBJECT_NOT_FOUND' }));
}

/** A control-API mistake (unknown portal, bad input): not a HubSpot answer, so a plain shape. */
export class FakeControlError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}
