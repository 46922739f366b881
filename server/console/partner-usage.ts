// partner_usage: each partner's active registrations as last counted, so the console can sort
// 5,000 partners by used or % used without counting a million registrations per request.
//
// recountPartnerUsage makes every count in one statement (one index-only pass over the active
// registrations). keepPartnerUsageFresh is called before a sort that needs the counts: with no
// counts yet it makes them and waits; when they are older than STALE_AFTER_MS it starts a
// recount in the background (one process at a time, a Redis lock) and the request goes on with
// the counts it has. The list always shows live counts for its rows; only the order can lag.
import type { Database } from '../db/client.js';
import type { AppDependencies } from '../runtime/dependencies.js';

export const STALE_AFTER_MS = 60_000;

export async function recountPartnerUsage(db: Pick<Database, 'pool'>): Promise<number> {
  const { rowCount } = await db.pool.query(`
    INSERT INTO partner_usage (portal_id, active_registrations, counted_at)
    SELECT p.id, COALESCE(u.used, 0), now()
    FROM portals p
    LEFT JOIN (SELECT portal_id, count(*)::int AS used FROM registrations WHERE status = 'active' GROUP BY portal_id) u ON u.portal_id = p.id
    ON CONFLICT (portal_id) DO UPDATE SET active_registrations = EXCLUDED.active_registrations, counted_at = EXCLUDED.counted_at`);
  return rowCount ?? 0;
}

export async function keepPartnerUsageFresh(deps: Pick<AppDependencies, 'db' | 'redis' | 'config' | 'logger'>): Promise<void> {
  const { rows } = await deps.db.pool.query<{ oldest: Date | null }>('SELECT min(counted_at) AS oldest FROM partner_usage');
  const oldest = rows[0]?.oldest ?? null;
  if (oldest === null) {
    await recountPartnerUsage(deps.db);
    return;
  }
  if (Date.now() - oldest.getTime() < STALE_AFTER_MS) return;
  const lock = await deps.redis.set(`${deps.config.REDIS_KEY_PREFIX}:partner-usage-recount`, String(process.pid), 'PX', STALE_AFTER_MS, 'NX');
  if (!lock) return;
  void recountPartnerUsage(deps.db).catch((error: unknown) => deps.logger.warn({ err: error }, 'recounting partner usage failed; the next sort by usage tries again'));
}
