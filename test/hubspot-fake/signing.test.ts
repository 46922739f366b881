import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUriForSignature, signRequest, signatureV1, signatureV2 } from './index.js';

// An independent v3 computation, written from HubSpot's description, not from signing.ts.
function independentV3(secret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`).digest('base64');
}

describe('request signing (HubSpot v3, v1, v2)', () => {
  it('reproduces the public v3 test vector from HubSpot’s SDK tests', () => {
    const headers = signRequest({
      method: 'POST',
      url: 'https://www.example.com/webhook_uri',
      body: "{'example_field':'example_value'}",
      clientSecret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy',
      timestamp: 15000000,
    });
    expect(headers).toEqual({
      'X-HubSpot-Signature-v3': 'HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=',
      'X-HubSpot-Request-Timestamp': '15000000',
    });
  });

  it('stamps the current time when no timestamp is given', () => {
    const before = Date.now();
    const headers = signRequest({ method: 'GET', url: 'https://app.example/api/card', body: '', clientSecret: 's' });
    const stamped = Number(headers['X-HubSpot-Request-Timestamp']);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
    expect(headers['X-HubSpot-Signature-v3']).toBe(independentV3('s', 'GET', 'https://app.example/api/card', '', stamped));
  });

  it('decodes exactly the escapes HubSpot decodes before hashing, and no others', () => {
    expect(decodeUriForSignature('https://a.example/p%3Aq%2Fr%3Fs%40t%21u%24v%27w%28x%29y%2Az%2Ca%3Bb')).toBe("https://a.example/p:q/r?s@t!u$v'w(x)y*z,a;b");
    expect(decodeUriForSignature('https://a.example/x?q=a%20b%26c%3d%25')).toBe('https://a.example/x?q=a%20b%26c%3d%25');
    expect(decodeUriForSignature('https://a.example/x?email=a%40b.com')).toBe('https://a.example/x?email=a@b.com');
  });

  it('signs the decoded uri, so an encoded and a plain @ give the same signature', () => {
    const common = { method: 'POST', body: '[]', clientSecret: 'secret', timestamp: 1 };
    expect(signRequest({ ...common, url: 'https://a.example/h?u=a%40b' })).toEqual(signRequest({ ...common, url: 'https://a.example/h?u=a@b' }));
  });

  it('matches an independent HMAC for any method, url, body and timestamp', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
        fc.webPath(),
        fc.string(),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (method, path, body, secret, timestamp) => {
          const url = `https://app.example${path.startsWith('/') ? path : `/${path}`}`;
          const headers = signRequest({ method, url, body, clientSecret: secret, timestamp });
          expect(headers['X-HubSpot-Signature-v3']).toBe(independentV3(secret, method, decodeUriForSignature(url), body, timestamp));
        },
      ),
    );
  });

  it('computes the legacy v1 and v2 signatures as hex SHA-256', () => {
    expect(signatureV1('secret', '[{"a":1}]')).toBe(createHash('sha256').update('secret[{"a":1}]').digest('hex'));
    expect(signatureV2('secret', 'POST', 'https://a.example/h', '[]')).toBe(createHash('sha256').update('secretPOSThttps://a.example/h[]').digest('hex'));
  });
});
