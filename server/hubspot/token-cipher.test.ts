import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher, TokenDecryptionError } from './token-cipher.js';

const key = () => randomBytes(32).toString('base64');

describe('token cipher', () => {
  it('round-trips a token and never stores it in clear', () => {
    const cipher = createTokenCipher(`k1:${key()}`);
    const stored = cipher.encrypt('CJSP5qf1KhICAQEYs-gDIIGOBii1');
    expect(stored).not.toContain('CJSP5qf1');
    expect(stored.startsWith('v1.k1.')).toBe(true);
    expect(cipher.decrypt(stored)).toBe('CJSP5qf1KhICAQEYs-gDIIGOBii1');
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('rotates: values under the old key still decrypt, new values use the new key', () => {
    const oldKey = key();
    const before = createTokenCipher(`old:${oldKey}`).encrypt('refresh-token');
    const rotated = createTokenCipher(`new:${key()},old:${oldKey}`);
    expect(rotated.decrypt(before)).toBe('refresh-token');
    expect(rotated.encrypt('x').split('.')[1]).toBe('new');
  });

  it('names a key that is gone, and refuses a tampered value', () => {
    const stored = createTokenCipher(`gone:${key()}`).encrypt('t');
    expect(() => createTokenCipher(`k1:${key()}`).decrypt(stored)).toThrow(/key "gone", which TOKEN_ENCRYPTION_KEYS no longer lists/);
    const cipher = createTokenCipher(`k1:${key()}`);
    const parts = cipher.encrypt('token').split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow(TokenDecryptionError);
  });
});
