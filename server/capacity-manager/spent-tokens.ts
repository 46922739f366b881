// Tokens that must never work again before they expire: sessions that were signed out and
// "Manage your capacity" links that were used once.
//
// Both facts live in PostgreSQL (spent_tokens), not in Redis: a Redis that restarts empty must
// not bring a signed-out session back, nor let a used link open a second session. Checking a
// session is one primary-key lookup; using a link is one INSERT … ON CONFLICT DO NOTHING, which
// lets exactly one of any number of concurrent redemptions through. A row is useless once its
// token has expired; the sweeper deletes those (deleteExpiredSpentTokens).
import type { Database } from '../db/client.js';
import type { SpentTokenKind } from '../db/generated/client.js';

type Db = Pick<Database, 'pool'>;

/** Records the token as spent until `expiresAt`; true when this call spent it (it was not before). */
export async function spendToken(db: Db, kind: SpentTokenKind, tokenId: string, expiresAt: number): Promise<boolean> {
  const { rowCount } = await db.pool.query({
    name: 'spent-token-insert',
    text: 'INSERT INTO spent_tokens (kind, token_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    values: [kind, tokenId, new Date(expiresAt)],
  });
  return rowCount === 1;
}

export async function isTokenSpent(db: Db, kind: SpentTokenKind, tokenId: string): Promise<boolean> {
  const { rowCount } = await db.pool.query({ name: 'spent-token-check', text: 'SELECT 1 FROM spent_tokens WHERE kind = $1 AND token_id = $2', values: [kind, tokenId] });
  return rowCount === 1;
}

/** Deletes rows whose token has expired anyway; returns how many. */
export async function deleteExpiredSpentTokens(db: Db, now = new Date()): Promise<number> {
  const { rowCount } = await db.pool.query('DELETE FROM spent_tokens WHERE expires_at <= $1', [now]);
  return rowCount ?? 0;
}
