// Verifies that a request comes from HubSpot: webhooks and the card's `hubspot.fetch` calls
// carry HubSpot's v3 signature.
//
// v3 = Base64(HMAC-SHA256(clientSecret, method + uri + rawBody + timestamp)), with the
// timestamp (epoch ms) in X-HubSpot-Request-Timestamp. `uri` is the full URL HubSpot sent the
// request to; before hashing, HubSpot decodes exactly these percent-escapes and no others:
// %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B. The body is hashed as the raw bytes received.
// `@hubspot/api-client`'s Signature.isValid does not decode the URI and compares with `===`,
// so this is our own (docs/hubspot-api.md), tested against HubSpot's public vector.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
/** HubSpot: reject requests whose timestamp is older than five minutes. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;
/** Clocks drift; a timestamp far in the future is as suspect as an old one. */
export const MAX_CLOCK_SKEW_MS = 60 * 1000;

const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** The URI as HubSpot hashes it. */
export function signedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (encoded) => DECODED_ESCAPES[encoded.toUpperCase()]!);
}

export function signatureV3({
  clientSecret,
  method,
  uri,
  rawBody,
  timestamp,
}: {
  clientSecret: string;
  method: string;
  uri: string;
  rawBody: Buffer | string;
  timestamp: string;
}): string {
  return createHmac('sha256', clientSecret).update(method.toUpperCase()).update(signedUri(uri)).update(rawBody).update(timestamp).digest('base64');
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

export interface SignedRequest {
  method: string;
  /** The full public URL the request was sent to (scheme, host, path, query). */
  uri: string;
  rawBody: Buffer | string;
  signature: string | undefined;
  timestamp: string | undefined;
}

export function verifySignatureV3(request: SignedRequest, clientSecret: string, now = Date.now()): SignatureCheck {
  if (!request.signature) return { ok: false, reason: 'the X-HubSpot-Signature-v3 header is missing' };
  if (!request.timestamp) return { ok: false, reason: 'the X-HubSpot-Request-Timestamp header is missing' };
  if (!/^\d{1,15}$/.test(request.timestamp)) return { ok: false, reason: 'the request timestamp is not epoch milliseconds' };
  const timestamp = Number(request.timestamp);
  if (now - timestamp > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'the request timestamp is more than 5 minutes old' };
  if (timestamp - now > MAX_CLOCK_SKEW_MS) return { ok: false, reason: 'the request timestamp is in the future' };

  const expected = Buffer.from(signatureV3({ clientSecret, method: request.method, uri: request.uri, rawBody: request.rawBody, timestamp: request.timestamp }), 'base64');
  const given = Buffer.from(request.signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'the signature does not match the request' };
  }
  return { ok: true, timestamp };
}
