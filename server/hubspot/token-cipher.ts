// OAuth tokens at rest: AES-256-GCM with a key ring from TOKEN_ENCRYPTION_KEYS.
//
// Each stored value names the key that encrypted it (`v1.<keyId>.<iv>.<tag>.<ciphertext>`,
// base64url parts), so keys rotate without a migration: put the new key first, keep the old
// ones until every token has been refreshed (refreshing re-encrypts with the first key).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface TokenCipher {
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
  /** The id of the key new values are encrypted with. */
  readonly currentKeyId: string;
}

export class TokenDecryptionError extends Error {
  override name = 'TokenDecryptionError';
}

/** Parses `keyId:base64key,keyId:base64key`; the first key encrypts. */
export function createTokenCipher(keyRing: string): TokenCipher {
  const keys = new Map<string, Buffer>();
  const ids: string[] = [];
  for (const entry of keyRing.split(',')) {
    const [id, base64] = entry.split(':');
    const key = Buffer.from(base64 ?? '', 'base64');
    if (!id || key.length !== 32) throw new Error(`Token encryption key "${id ?? ''}" must be 32 bytes, base64-encoded.`);
    keys.set(id, key);
    ids.push(id);
  }
  const currentKeyId = ids[0]!;
  const currentKey = keys.get(currentKeyId)!;

  return {
    currentKeyId,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      // The key id is authenticated too: a value cannot be moved under another key's name.
      cipher.setAAD(Buffer.from(currentKeyId));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    decrypt(stored) {
      const [version, keyId, iv, tag, ciphertext] = stored.split('.');
      if (version !== 'v1' || !keyId || !iv || !tag || ciphertext === undefined) throw new TokenDecryptionError('The stored token is not in a format this app wrote.');
      const key = keys.get(keyId);
      if (!key)
        throw new TokenDecryptionError(
          `The stored token was encrypted with key "${keyId}", which TOKEN_ENCRYPTION_KEYS no longer lists. Add it back until the token is refreshed.`,
        );
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(keyId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new TokenDecryptionError('The stored token failed its integrity check: it was altered or encrypted with another key of the same id.');
      }
    },
  };
}
