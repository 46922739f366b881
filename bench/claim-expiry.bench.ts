// Claim expiry at program scale: 100,000 expired claims over 5,000 portals (20 each).
//
// The database side is what the scheduled run and the deregistration jobs do in PostgreSQL:
// `expireClaims` records one deregistration job per portal (per-portal advisory lock, the
// expired rows picked FOR UPDATE SKIP LOCKED, items and chunks written), then every chunk's
// transaction ends its claims (audited `reason: expired`, capacity freed), 4 at a time as the
// deregistration worker does. Target: ≤ 60 s for both together.
//
// The write-back: each job's chunks are one HubSpot batch update each, made by the
// deregistrations worker through the portal's 'bulk' lane of the shared rate limiter. A portal
// with N expired claims needs ceil(N / 100) calls; the bench reports the most any portal needs
// against what its lane allows per rolling 10 s (HUBSPOT_REQUESTS_PER_10S 100 × 70 %), so the
// write-back stays within every portal's limit by construction (the deregistrations bench
// measures the limiter holding it).
import { Redis } from 'ioredis';
import { createDatabase } from '../server/db/client.js';
import { deregisterChunk } from '../server/deregistrations/process-deregistration-chunk.js';
import { expireClaims } from '../server/expiry/expire-claims.js';
import { createQueues } from '../server/queue/queues.js';
import { elapsedMs, fixed } from './stats.js';

const PORTALS = 5_000;
const PER_PORTAL = 20;
const FIRST_PORTAL = 9_100_000_000;
const LANE_CALLS_PER_10S = 70;

export interface ClaimExpiryBenchResult {
  claims: number;
  portals: number;
  recordSeconds: number;
  endSeconds: number;
  databaseSeconds: number;
  jobs: number;
  chunks: number;
  maxCallsPerPortal: number;
  laneCallsPer10s: number;
}

export async function benchClaimExpiry(databaseUrl: string): Promise<ClaimExpiryBenchResult> {
  const db = createDatabase({ url: databaseUrl, poolSize: 8 });
  const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queues = createQueues({ connection, prefix: `pc-bench-expiry-${Date.now()}` });
  try {
    await db.pool.query(`INSERT INTO portals (id, name, tier) SELECT $1::bigint + n, 'Bench expiry ' || n, 'gold' FROM generate_series(0, $2 - 1) AS n`, [FIRST_PORTAL, PORTALS]);
    await db.pool.query(
      `INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel, registered_at, expires_at)
       SELECT $1::bigint + p, 'x' || c || '-p' || p || '.com', 'https://x' || c || '-p' || p || '.com/', (p * 1000 + c)::text,
              'x' || c || '-p' || p || '.com', 'bench@agency.example', 'card', now() - interval '91 days', now() - interval '1 hour'
       FROM generate_series(0, $2 - 1) AS p, generate_series(0, $3 - 1) AS c`,
      [FIRST_PORTAL, PORTALS, PER_PORTAL],
    );
    await db.pool.query('ANALYZE registrations');

    const recordStart = process.hrtime.bigint();
    const report = await expireClaims({ db, queues }, { parallel: 4 });
    const recordSeconds = elapsedMs(recordStart) / 1000;
    // The queue only carried the steps: emptied, the chunks are run here as the worker runs them.
    await queues.deregistrations.obliterate({ force: true });

    const { rows: chunks } = await db.pool.query<{ job_id: string; portal_id: string; chunk_size: number; requested_by: string; chunk_index: number }>(
      `SELECT c.job_id, j.portal_id::text, j.chunk_size, j.requested_by, c.chunk_index
       FROM deregistration_job_chunks c JOIN deregistration_jobs j ON j.id = c.job_id WHERE j.channel = 'expiry' ORDER BY j.created_at, c.chunk_index`,
    );
    const endStart = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++]!;
          await deregisterChunk(db, {
            jobId: chunk.job_id,
            portalId: Number(chunk.portal_id),
            chunkSize: chunk.chunk_size,
            requestedBy: chunk.requested_by,
            chunkIndex: chunk.chunk_index,
          });
        }
      }),
    );
    const endSeconds = elapsedMs(endStart) / 1000;
    const { rows: left } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM registrations WHERE portal_id >= $1 AND status = 'active'`, [FIRST_PORTAL]);
    if (left[0]!.n !== 0) throw new Error(`${left[0]!.n} expired claims were not ended`);
    const { rows: perPortal } = await db.pool.query<{ n: number }>(
      `SELECT coalesce(max(n), 0)::int AS n FROM (SELECT count(*) AS n FROM deregistration_job_chunks c JOIN deregistration_jobs j ON j.id = c.job_id WHERE j.channel = 'expiry' GROUP BY j.portal_id) AS counted`,
    );
    return {
      claims: report.claims,
      portals: report.portals,
      recordSeconds,
      endSeconds,
      databaseSeconds: recordSeconds + endSeconds,
      jobs: report.portals,
      chunks: chunks.length,
      maxCallsPerPortal: perPortal[0]!.n,
      laneCallsPer10s: LANE_CALLS_PER_10S,
    };
  } finally {
    await queues.deregistrations.obliterate({ force: true }).catch(() => {});
    await queues.close();
    await connection.quit();
    await db.$disconnect();
  }
}

export function claimExpiryRows(result: ClaimExpiryBenchResult): Array<Record<string, string | number>> {
  return [
    { step: 'record jobs (expireClaims)', claims: result.claims, portals: result.portals, seconds: fixed(result.recordSeconds, 1) },
    { step: 'end claims (chunk transactions, 4 at a time)', claims: result.claims, portals: result.portals, seconds: fixed(result.endSeconds, 1) },
    { step: 'database side (target <= 60 s)', claims: result.claims, portals: result.portals, seconds: fixed(result.databaseSeconds, 1) },
    {
      step: `write-back: most batch calls any portal needs (its bulk lane allows ${result.laneCallsPer10s} / 10 s)`,
      claims: result.claims,
      portals: result.portals,
      seconds: result.maxCallsPerPortal,
    },
  ];
}
