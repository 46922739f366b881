// What can go wrong talking to HubSpot, in terms the callers act on: application errors
// (server/errors/app-error.ts) whose kind says whether trying again can help.
//
// - unavailable (HubSpot down, timeouts, rate limits that outlasted our patience): a job tries
//   again later with backoff, a route answers 503;
// - forbidden (the install was revoked) and invalid (HubSpot refused the request itself, e.g. a
//   400 for a property value it does not accept): the same request meets the same answer, so a
//   job ends at once with the reason on its record and a person must act.
//
// HubSpot's common error answers (400 with category VALIDATION_ERROR for values it refuses, 403
// when the token lacks a scope, 401 for a token it no longer honours):
// https://developers.hubspot.com/docs/api-reference/error-handling
import { AppError, type AppErrorKind } from '../errors/app-error.js';

/** HubSpot did not answer usefully (5xx, timeout, connection); try again later. */
export class HubSpotUnavailableError extends AppError {
  constructor(message: string) {
    super({ kind: 'unavailable', code: 'HUBSPOT_UNAVAILABLE', title: 'HubSpot is not answering', message: `${message} Try again in a moment.` });
  }
}

/** HubSpot refused the app's tokens for this portal: the app was uninstalled or its access revoked. */
export class HubSpotDisconnectedError extends AppError {
  constructor(
    readonly portalId: number,
    reason: string,
  ) {
    super({
      kind: 'forbidden',
      code: 'HUBSPOT_DISCONNECTED',
      title: 'The app is no longer installed in this HubSpot account',
      message: `HubSpot account ${portalId} no longer accepts the app's tokens (${reason}). Someone with access must install the app again.`,
    });
  }
}

/** What a 4xx answer (other than 401/429) means: retrying the same request will not help. */
function kindOfRefusal(status: number): AppErrorKind {
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  return 'invalid';
}

/** HubSpot refused the request itself (4xx other than 401/429): retrying the same request will not help. */
export class HubSpotRequestError extends AppError {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super({ kind: kindOfRefusal(status), code: 'HUBSPOT_REFUSED', title: 'HubSpot refused the request', message, details: { hubspotStatus: status } });
  }
}

/** The shape @hubspot/api-client throws for non-2xx answers. */
export interface ApiExceptionLike {
  code: number;
  body?: unknown;
  headers?: Record<string, string>;
  message: string;
}

export function isApiException(error: unknown): error is ApiExceptionLike {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' && 'body' in error;
}

/** HubSpot's own message from an error body, when there is one. */
export function hubspotMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  if (typeof body === 'string' && body.length > 0) {
    try {
      return hubspotMessage(JSON.parse(body));
    } catch {
      return body.slice(0, 200);
    }
  }
  return undefined;
}
