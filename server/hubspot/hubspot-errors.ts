// What can go wrong talking to HubSpot, in terms the callers act on.
//
// Retryable errors (HubSpot down, timeouts, rate limits that outlasted our patience) let a job
// try again later; the others say what a person must do.

/** HubSpot did not answer usefully (5xx, timeout, connection); try again later. */
export class HubSpotUnavailableError extends Error {
  override name = 'HubSpotUnavailableError';
  readonly retryable = true;
}

/** HubSpot refused the app's tokens for this portal: the app was uninstalled or its access revoked. */
export class HubSpotDisconnectedError extends Error {
  override name = 'HubSpotDisconnectedError';
  readonly retryable = false;
  constructor(readonly portalId: number, reason: string) {
    super(`HubSpot account ${portalId} no longer accepts the app's tokens (${reason}). Someone with access must install the app again.`);
  }
}

/** HubSpot refused the request itself (4xx other than 401/429): retrying the same request will not help. */
export class HubSpotRequestError extends Error {
  override name = 'HubSpotRequestError';
  readonly retryable = false;
  constructor(readonly status: number, message: string, readonly body?: unknown) {
    super(message);
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
