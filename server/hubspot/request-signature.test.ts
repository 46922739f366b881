import { describe, expect, it } from 'vitest';
import { signatureV3, signedUri, verifySignatureV3 } from './request-signature.js';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';

describe('HubSpot v3 request signatures', () => {
  it("matches HubSpot's public test vector", () => {
    expect(
      signatureV3({ clientSecret: SECRET, method: 'POST', uri: 'https://www.example.com/webhook_uri', rawBody: "{'example_field':'example_value'}", timestamp: '15000000' }),
    ).toBe('HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=');
  });

  it('decodes exactly the escapes HubSpot decodes, and no others', () => {
    expect(signedUri('https://x.example/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm')).toBe("https://x.example/a:b/c?d@e!f$g'h(i)j*k,l;m");
    expect(signedUri('https://x.example/?q=a%20b%26c%3d')).toBe('https://x.example/?q=a%20b%26c%3d');
  });

  function signed(overrides: Partial<{ method: string; uri: string; body: string; timestamp: string }> = {}) {
    const request = { method: 'POST', uri: 'https://app.example/webhooks/hubspot?x=1', body: '[{"eventId":1}]', timestamp: String(Date.now()), ...overrides };
    return { ...request, rawBody: request.body, signature: signatureV3({ clientSecret: SECRET, ...request, rawBody: request.body }) };
  }

  it('accepts a request signed now', () => {
    expect(verifySignatureV3(signed(), SECRET)).toMatchObject({ ok: true });
  });

  it.each([
    ['a tampered body', (r: ReturnType<typeof signed>) => ({ ...r, rawBody: '[{"eventId":2}]' }), /does not match/],
    ['another URI', (r: ReturnType<typeof signed>) => ({ ...r, uri: 'https://evil.example/webhooks/hubspot?x=1' }), /does not match/],
    ['another method', (r: ReturnType<typeof signed>) => ({ ...r, method: 'PUT' }), /does not match/],
    [
      'another secret',
      (r: ReturnType<typeof signed>) => ({ ...r, signature: signatureV3({ clientSecret: 'other', method: r.method, uri: r.uri, rawBody: r.rawBody, timestamp: r.timestamp }) }),
      /does not match/,
    ],
    ['no signature', (r: ReturnType<typeof signed>) => ({ ...r, signature: undefined }), /header is missing/],
    ['no timestamp', (r: ReturnType<typeof signed>) => ({ ...r, timestamp: undefined }), /header is missing/],
    ['a garbage signature', (r: ReturnType<typeof signed>) => ({ ...r, signature: 'not base64 at all!' }), /does not match/],
  ])('refuses %s', (_what, change, reason) => {
    const result = verifySignatureV3(change(signed()), SECRET);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('refuses a timestamp older than five minutes, even correctly signed', () => {
    const old = signed({ timestamp: String(Date.now() - 5 * 60 * 1000 - 1) });
    expect(verifySignatureV3(old, SECRET)).toEqual({ ok: false, reason: 'the request timestamp is more than 5 minutes old' });
  });

  it('refuses a timestamp far in the future', () => {
    expect(verifySignatureV3(signed({ timestamp: String(Date.now() + 10 * 60 * 1000) }), SECRET)).toMatchObject({ ok: false, reason: /future/ });
  });
});
