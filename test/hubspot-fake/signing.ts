// How HubSpot signs the requests it sends: webhook deliveries and `hubspot.fetch` calls from UI
// extensions (cards). Exported for card tests, which sign their own requests exactly as HubSpot
// would.
//
// v3 (the one to verify): base64 HMAC-SHA256, keyed with the app's client secret, over
// method + uri + rawBody + timestamp (no separators), timestamp in epoch milliseconds. HubSpot
// decodes a fixed set of percent-escapes in the uri before hashing (`decodeUriForSignature`).
// v1: hex SHA-256 of clientSecret + body. v2: hex SHA-256 of clientSecret + method + uri + body.
import { createHash, createHmac } from 'node:crypto';

export interface SignRequestInput {
  method: string;
  /** The full URL the request is sent to (scheme, host, path, query). */
  url: string;
  /** The exact bytes sent. */
  body: string | Buffer;
  clientSecret: string;
  /** Epoch milliseconds; defaults to now. */
  timestamp?: number;
}

export interface V3SignatureHeaders {
  'X-HubSpot-Signature-v3': string;
  'X-HubSpot-Request-Timestamp': string;
}

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

/** The uri as HubSpot hashes it: these escapes decoded, every other one left as it is. */
export function decodeUriForSignature(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (encoded) => DECODED_ESCAPES[encoded.toUpperCase()] ?? encoded);
}

export function signatureV3(input: Required<SignRequestInput>): string {
  const hmac = createHmac('sha256', input.clientSecret);
  hmac.update(input.method.toUpperCase());
  hmac.update(decodeUriForSignature(input.url));
  hmac.update(input.body);
  hmac.update(String(input.timestamp));
  return hmac.digest('base64');
}

export function signatureV1(clientSecret: string, body: string | Buffer): string {
  return createHash('sha256').update(clientSecret).update(body).digest('hex');
}

export function signatureV2(clientSecret: string, method: string, uri: string, body: string | Buffer): string {
  return createHash('sha256').update(clientSecret).update(method.toUpperCase()).update(uri).update(body).digest('hex');
}

/** The v3 headers HubSpot puts on a request it sends (webhooks, `hubspot.fetch`). */
export function signRequest(input: SignRequestInput): V3SignatureHeaders {
  const timestamp = input.timestamp ?? Date.now();
  return {
    'X-HubSpot-Signature-v3': signatureV3({ ...input, timestamp }),
    'X-HubSpot-Request-Timestamp': String(timestamp),
  };
}
