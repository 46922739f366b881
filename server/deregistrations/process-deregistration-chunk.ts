// One chunk of a deregistration job (at most 100 registrations), in two parts that each leave
// a mark on the chunk, so a worker killed at any instant resumes exactly where it stopped:
//
// 1. deregisterChunk — one transaction: takes the chunk's row lock, ends the chunk's
//    registrations that are still active (with who, when and the job; audit rows; the capacity
//    is free when it commits), records each item's outcome, and marks the chunk `deregistered`.
//    A chunk already past `pending` is left alone, so no registration is ever ended twice.
// 2. writeChunkToHubSpot — one batch update of the chunk's contacts through the portal's
//    'bulk' lane, then one statement that records each contact's outcome, marks the chunk
//    `written` and counts it in the job's progress (only the statement that flips the chunk
//    counts it). If the process dies between the call and the commit, the call is made again:
//    it writes the same values, so the final state in HubSpot is the same.
//
// A contact HubSpot no longer has is recorded on its item (`missing`, "Not in HubSpot"), and the
// chunk's other contacts are written in the same step whichever way HubSpot reports the missing
// ones (a 207 with per-item errors, or an OBJECT_NOT_FOUND error for the whole batch: the batch
// update in hubspot-api.ts sends the rest again). HubSpot refusing the batch for another reason,
// or the portal being disconnected, is recorded as `failed` with the reason. Neither
// stops the job: the registrations are deregistered either way. HubSpot being unavailable
// throws, and the step is retried later with the chunk still `deregistered`.
import { withTransaction, type Database } from '../db/client.js';
import { APP_PROPERTIES, type RegistrationStatusValue } from '../hubspot/app-properties.js';
import type { HubSpotApi } from '../hubspot/hubspot-api.js';
import { NOT_IN_HUBSPOT } from '../hubspot/write-back.js';
import { HubSpotDisconnectedError, HubSpotRequestError } from '../hubspot/hubspot-errors.js';
import { endRegistrations } from '../registrations/deregister-registrations.js';
import { isJobId } from './get-deregistration-job.js';

/** What a deregistered contact says in HubSpot: no registration, and the trigger unticked so it can be ticked again. */
export const DEREGISTERED_PROPERTIES: Record<string, string> = {
  [APP_PROPERTIES.status]: 'deregistered' satisfies RegistrationStatusValue,
  [APP_PROPERTIES.registeredDomain]: '',
  [APP_PROPERTIES.registeredAt]: '',
  [APP_PROPERTIES.refusalReason]: '',
  [APP_PROPERTIES.trigger]: 'false',
};

export interface ChunkOfJob {
  jobId: string;
  portalId: number;
  chunkSize: number;
  requestedBy: string;
  chunkIndex: number;
}

function positions(chunk: ChunkOfJob): [number, number] {
  return [chunk.chunkIndex * chunk.chunkSize, (chunk.chunkIndex + 1) * chunk.chunkSize - 1];
}

/** Part 1. Returns whether this call did the work (false: the chunk was already past it). */
export async function deregisterChunk(db: Pick<Database, 'pool'>, chunk: ChunkOfJob): Promise<boolean> {
  const [first, last] = positions(chunk);
  // Sent along with BEGIN (one round trip), so without parameters: only a uuid and integers.
  if (!isJobId(chunk.jobId) || ![first, last, chunk.chunkIndex].every(Number.isSafeInteger)) throw new RangeError(`Not a chunk: ${JSON.stringify(chunk)}`);
  const lockChunk = `SELECT chunk.state::text AS state,
      ARRAY(SELECT registration_id::text FROM deregistration_job_items WHERE job_id = '${chunk.jobId}' AND position BETWEEN ${first} AND ${last}) AS registration_ids
    FROM deregistration_job_chunks chunk WHERE chunk.job_id = '${chunk.jobId}' AND chunk.chunk_index = ${chunk.chunkIndex} FOR UPDATE`;
  return withTransaction(
    db,
    async (sql, [begun]) => {
      // The chunk's lock, and the registrations it covers.
      const locked = begun!.rows[0] as { state: string; registration_ids: string[] } | undefined;
      if (locked?.state !== 'pending') return false;

      const ended = await endRegistrations(sql, {
        portalId: chunk.portalId,
        registrationIds: locked.registration_ids,
        deregisteredBy: chunk.requestedBy,
        jobId: chunk.jobId,
      });

      await sql.query(
        `WITH items AS (
         UPDATE deregistration_job_items
         SET outcome = CASE WHEN registration_id = ANY($4::bigint[]) THEN 'deregistered' ELSE 'skipped' END::deregistration_item_outcome,
             contact_update = CASE WHEN registration_id = ANY($4::bigint[]) THEN 'pending' ELSE 'not_needed' END::contact_update_outcome
         WHERE job_id = $1::uuid AND position BETWEEN $2 AND $3
       ), outbox AS (
         ${OUTBOX_OVERRIDE}
       )
       -- Not the job's row: chunks of one job run side by side, and would queue on its lock.
       UPDATE deregistration_job_chunks SET state = 'deregistered', deregistered_at = now()
       WHERE job_id = $1::uuid AND chunk_index = $5`,
        [
          chunk.jobId,
          first,
          last,
          ended.map((registration) => registration.id.toString()),
          chunk.chunkIndex,
          chunk.portalId,
          ended.map((registration) => registration.contactId),
          JSON.stringify(DEREGISTERED_PROPERTIES),
        ],
      );
      return true;
    },
    { beginWith: lockChunk },
  );
}

// A registration's write-back may still wait in the outbox (hubspot/write-back.ts) when its
// registration is deregistered; sent after this chunk's own write, it would say "registered"
// again. The outbox keeps the newest value of each property, so the deregistration overrides
// what waits there (the flush sends whatever a row holds when it runs). $6 portal, $7 contacts,
// $8 properties. Contacts that still hold another registration keep what they have.
const OUTBOX_OVERRIDE = `
  UPDATE contact_write_backs AS pending SET properties = pending.properties || $8::jsonb, updated_at = now()
  WHERE pending.portal_id = $6 AND pending.contact_id = ANY($7::text[])
    AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.portal_id = $6 AND r.contact_id = pending.contact_id AND r.status = 'active')`;

type ContactOutcome = { outcome: 'written' | 'missing' | 'failed' | 'not_needed'; error: string | null };

/** Part 2. Returns whether this call counted the chunk as done. */
export async function writeChunkToHubSpot(deps: { db: Pick<Database, 'pool'>; api: HubSpotApi }, chunk: ChunkOfJob): Promise<boolean> {
  const [first, last] = positions(chunk);
  const { rows } = await deps.db.pool.query<{ state: string; position: number | null; contact_id: string | null }>(
    `SELECT chunk.state::text AS state, item.position, item.contact_id
     FROM deregistration_job_chunks chunk
     LEFT JOIN deregistration_job_items item ON item.job_id = chunk.job_id AND item.position BETWEEN $3 AND $4
       AND item.outcome = 'deregistered' AND item.contact_update = 'pending'
     WHERE chunk.job_id = $1::uuid AND chunk.chunk_index = $2`,
    [chunk.jobId, chunk.chunkIndex, first, last],
  );
  if (rows[0]?.state !== 'deregistered') return false;
  const pending = rows.flatMap((row) => (row.position === null ? [] : [{ position: row.position, contactId: row.contact_id! }]));

  // Contacts that hold another active registration (a contact can have registered two domains)
  // are still registered: they are left as they are. One look-up for the chunk.
  const { rows: registered } = pending.length
    ? await deps.db.pool.query<{ contact_id: string }>(
        `SELECT DISTINCT contact_id FROM registrations WHERE portal_id = $1 AND contact_id = ANY($2::text[]) AND status = 'active'`,
        [chunk.portalId, [...new Set(pending.map((item) => item.contactId))]],
      )
    : { rows: [] };
  const stillRegistered = new Set(registered.map((row) => row.contact_id));

  const byContact = new Map<string, ContactOutcome>();
  const contacts = [...new Set(pending.filter((item) => !stillRegistered.has(item.contactId)).map((item) => item.contactId))];
  if (contacts.length > 0) {
    try {
      const answer = await deps.api.forPortal(chunk.portalId, 'bulk').batchUpdateContacts(contacts.map((id) => ({ id, properties: DEREGISTERED_PROPERTIES })));
      const missing = new Set(answer.missing);
      for (const id of contacts) byContact.set(id, missing.has(id) ? { outcome: 'missing', error: NOT_IN_HUBSPOT } : { outcome: 'written', error: null });
    } catch (error) {
      if (!(error instanceof HubSpotRequestError || error instanceof HubSpotDisconnectedError)) throw error;
      for (const id of contacts) byContact.set(id, { outcome: 'failed', error: error.message });
    }
  }
  const notNeeded: ContactOutcome = { outcome: 'not_needed', error: null };
  const decided = pending.map((item) => ({ position: item.position, ...(stillRegistered.has(item.contactId) ? notNeeded : byContact.get(item.contactId)!) }));
  const failed = decided.filter((item) => item.outcome === 'missing' || item.outcome === 'failed').length;

  // One statement: the items' outcomes, the chunk written, and the job's progress, counted only
  // by the statement that flips the chunk (a second worker on the same chunk counts nothing).
  const { rowCount } = await deps.db.pool.query(
    `WITH recorded AS (
       UPDATE deregistration_job_items AS item SET contact_update = decided.outcome::contact_update_outcome, contact_error = decided.error
       FROM jsonb_to_recordset($5::jsonb) AS decided(position int, outcome text, error text)
       WHERE item.job_id = $1::uuid AND item.position = decided.position
     ), chunk AS (
       UPDATE deregistration_job_chunks SET state = 'written', written_at = now()
       WHERE job_id = $1::uuid AND chunk_index = $2 AND state = 'deregistered'
       RETURNING 1
     )
     UPDATE deregistration_jobs SET
       done = done + (SELECT count(*) FROM deregistration_job_items WHERE job_id = $1::uuid AND position BETWEEN $3 AND $4),
       failed = failed + $6,
       updated_at = now()
     WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM chunk)`,
    [chunk.jobId, chunk.chunkIndex, first, last, JSON.stringify(decided), failed],
  );
  return rowCount === 1;
}

/** Both parts; true when this call deregistered the chunk's registrations (domains were released). */
export async function processChunk(deps: { db: Pick<Database, 'pool'>; api: HubSpotApi }, chunk: ChunkOfJob): Promise<boolean> {
  const released = await deregisterChunk(deps.db, chunk);
  await writeChunkToHubSpot(deps, chunk);
  return released;
}
