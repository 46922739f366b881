// Requests a bulk deregistration: validates the selection, records the job with one item per
// active registration it covers (in PostgreSQL, one transaction), puts its first step on the
// queue and answers at once; workers do the rest (run-deregistration-step.ts).
//
// The selection is resolved now, not when the job runs: the items are exactly the registrations
// that were active and matched when the partner confirmed. Ids that are unknown, belong to
// another portal, or are already deregistered are reported back and never become items. If
// Redis does not take the step, the job is still recorded and the sweeper queues it later.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import { Prisma, type DeregistrationChannel } from '../db/generated/client.js';
import { registrableDomainOf } from '../domain/registrable-domain.js';
import type { AppQueues } from '../queue/queues.js';
import { registrationFilter } from '../registrations/find-registrations.js';
import { DeregistrationError } from './deregistration-errors.js';
import { enqueueStep, stepJobId } from './deregistration-queue.js';
import { deregistrationJobColumns, deregistrationJobView, type DeregistrationJobRow, type DeregistrationJobView } from './deregistration-job-view.js';

/** Registrations per chunk: one transaction and one HubSpot batch update (HubSpot's maximum). */
export const CHUNK_SIZE = 100;
/** Ids (or domains) one request may name; searches, "all" and dates have no such limit. */
export const MAX_SELECTED = 10_000;

export type DeregistrationSelection =
  | { kind: 'registrations'; registrationIds: string[] }
  /** What the Capacity Manager's list shows: a search, optionally only what was registered before an instant (ISO 8601). */
  | { kind: 'search'; search?: string; registeredBefore?: string }
  | { kind: 'all' }
  | { kind: 'registered-before'; before: Date }
  /** Registered domains (or websites, normalised the way registration does); for the operator's CSV. */
  | { kind: 'domains'; domains: string[] };

export interface RequestDeregistrationInput {
  portalId: number;
  selection: DeregistrationSelection;
  requestedBy: string;
  channel: DeregistrationChannel;
}

export interface RequestDeregistrationResult {
  job: DeregistrationJobView;
  /** Ids (or domains) that are not registrations of this portal: another portal's are here too. */
  notFound: string[];
  alreadyDeregistered: string[];
}

export async function requestDeregistration(
  deps: { db: Database; queues: Pick<AppQueues, 'deregistrations'> },
  input: RequestDeregistrationInput,
): Promise<RequestDeregistrationResult> {
  const { selection } = input;
  const named = selection.kind === 'registrations' ? selection.registrationIds : selection.kind === 'domains' ? selection.domains : [];
  if (named.length > MAX_SELECTED) {
    throw new DeregistrationError(
      'SELECTION_TOO_LARGE',
      `At most ${MAX_SELECTED.toLocaleString('en-US')} registrations can be named in one request; select them by search, date or "all" instead.`,
    );
  }
  if (selection.kind === 'registered-before' && Number.isNaN(selection.before.getTime())) {
    throw new DeregistrationError('NOTHING_TO_DEREGISTER', 'The date to deregister registrations made before is not a valid date.');
  }

  const jobId = randomUUID();
  const queueJobId = stepJobId(jobId, 0);
  const recorded = await deps.db.$transaction((tx) => recordDeregistrationJob(tx, { ...input, jobId, queueJobId, queuePrefix: deps.queues.deregistrations.opts.prefix ?? null }));

  await enqueueStep(deps.queues, { deregistrationJobId: jobId, portalId: input.portalId, queueJobId });
  return recorded;
}

/**
 * Records a job and its items inside the caller's transaction, without queueing its first step
 * (the caller does, after the commit; the sweeper does if that fails). The claim expiry run
 * (expiry/expire-claims.ts) records its jobs in the transaction that picked their registrations.
 */
export async function recordDeregistrationJob(
  tx: Prisma.TransactionClient,
  input: RequestDeregistrationInput & { jobId: string; queueJobId: string; queuePrefix: string | null },
): Promise<RequestDeregistrationResult> {
  const { selection, jobId, queueJobId } = input;
  const portalId = BigInt(input.portalId);
  const [portal] = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM portals WHERE id = ${portalId}`;
  if (!portal) throw new DeregistrationError('PORTAL_NOT_FOUND', `No portal ${input.portalId} has installed Partner Capacity.`);

  await tx.$executeRaw`
    INSERT INTO deregistration_jobs (id, portal_id, selection, total, chunk_size, requested_by, channel, queue_job_id, queue_prefix)
    VALUES (${jobId}::uuid, ${portalId}, ${JSON.stringify(describeSelection(selection))}::jsonb, 0, ${CHUNK_SIZE},
            ${input.requestedBy}, ${input.channel}::deregistration_channel, ${queueJobId}, ${input.queuePrefix})`;

  // Positions follow registration order, so chunks are stable and a resumed job goes on where it stopped.
  const insertItems = Prisma.sql`
    INSERT INTO deregistration_job_items (job_id, position, registration_id, domain, contact_id)
    SELECT ${jobId}::uuid, (row_number() OVER (ORDER BY id) - 1)::int, id, domain, contact_id
    FROM registrations WHERE ${selectionFilter(input.portalId, selection)}`;
  let total: number;
  let reported = { notFound: [] as string[], alreadyDeregistered: [] as string[] };
  if (selection.kind === 'registrations' || selection.kind === 'domains') {
    const key = Prisma.raw(selection.kind === 'domains' ? 'domain' : 'registration_id::text');
    const inserted = await tx.$queryRaw<{ key: string }[]>`${insertItems} RETURNING ${key} AS key`;
    total = inserted.length;
    reported = await reportUnselected(tx, input.portalId, selection, new Set(inserted.map((item) => item.key)));
  } else {
    total = await tx.$executeRaw(insertItems);
  }
  if (total === 0) throw nothingToDeregister(selection, reported);

  await tx.$executeRaw`
    INSERT INTO deregistration_job_chunks (job_id, chunk_index)
    SELECT ${jobId}::uuid, chunk FROM generate_series(0, ${Math.ceil(total / CHUNK_SIZE) - 1}::int) AS chunk`;
  const [row] = await tx.$queryRaw<DeregistrationJobRow[]>`
    UPDATE deregistration_jobs SET total = ${total} WHERE id = ${jobId}::uuid
    RETURNING ${Prisma.raw(deregistrationJobColumns())}`;
  return { job: deregistrationJobView(row!), ...reported };
}

function describeSelection(selection: DeregistrationSelection): Record<string, unknown> {
  switch (selection.kind) {
    case 'registrations':
      return { kind: selection.kind, count: selection.registrationIds.length };
    case 'domains':
      return { kind: selection.kind, count: selection.domains.length };
    case 'search':
      return { kind: selection.kind, search: selection.search ?? '', ...(selection.registeredBefore ? { registeredBefore: selection.registeredBefore } : {}) };
    case 'all':
      return { kind: selection.kind };
    case 'registered-before':
      return { kind: selection.kind, before: selection.before.toISOString() };
  }
}

/** Anything that is not a canonical positive integer cannot be a registration id. */
function registrationIdsOf(ids: readonly string[]): bigint[] {
  return ids.filter((id) => /^[1-9]\d{0,17}$/.test(id)).map(BigInt);
}

function domainsOf(values: readonly string[]): string[] {
  return values.flatMap((value) => {
    const result = registrableDomainOf(value);
    return result.ok ? [result.domain] : [];
  });
}

/** The active registrations the selection covers (a search matches as findRegistrations does). */
function selectionFilter(portalId: number, selection: DeregistrationSelection): Prisma.Sql {
  const match = selection.kind === 'search' ? { search: selection.search, registeredBefore: selection.registeredBefore } : {};
  const active = registrationFilter({ portalId, ...match, status: 'active' });
  switch (selection.kind) {
    case 'registrations':
      return Prisma.sql`${active} AND id = ANY(${registrationIdsOf(selection.registrationIds)}::bigint[])`;
    case 'domains':
      return Prisma.sql`${active} AND domain = ANY(${domainsOf(selection.domains)}::text[])`;
    case 'registered-before':
      return Prisma.sql`${active} AND registered_at < ${selection.before}`;
    case 'search':
    case 'all':
      return active;
  }
}

/** For named selections: which names did not become items, and why. */
async function reportUnselected(
  tx: Prisma.TransactionClient,
  portalId: number,
  selection: DeregistrationSelection,
  selected: Set<string>,
): Promise<{ notFound: string[]; alreadyDeregistered: string[] }> {
  if (selection.kind === 'registrations') {
    const rest = [...new Set(selection.registrationIds)].filter((id) => !selected.has(id));
    const known = rest.length
      ? await tx.$queryRaw<{ key: string }[]>`
          SELECT id::text AS key FROM registrations WHERE portal_id = ${BigInt(portalId)} AND id = ANY(${registrationIdsOf(rest)}::bigint[])`
      : [];
    const deregistered = new Set(known.map((row) => row.key));
    return { notFound: rest.filter((id) => !deregistered.has(id)), alreadyDeregistered: rest.filter((id) => deregistered.has(id)) };
  }
  if (selection.kind === 'domains') {
    const rest = [...new Set(selection.domains)].filter((value) => {
      const result = registrableDomainOf(value);
      return !result.ok || !selected.has(result.domain);
    });
    const candidates = domainsOf(rest);
    const known = candidates.length
      ? await tx.$queryRaw<{ key: string }[]>`
          SELECT DISTINCT domain AS key FROM registrations WHERE portal_id = ${BigInt(portalId)} AND domain = ANY(${candidates}::text[])`
      : [];
    const deregistered = new Set(known.map((row) => row.key));
    const wasDeregistered = (value: string) => {
      const result = registrableDomainOf(value);
      return result.ok && deregistered.has(result.domain);
    };
    return { notFound: rest.filter((value) => !wasDeregistered(value)), alreadyDeregistered: rest.filter(wasDeregistered) };
  }
  return { notFound: [], alreadyDeregistered: [] };
}

function nothingToDeregister(selection: DeregistrationSelection, reported: { notFound: string[]; alreadyDeregistered: string[] }): DeregistrationError {
  return new DeregistrationError('NOTHING_TO_DEREGISTER', nothingToDeregisterMessage(selection, reported), reported);
}

function nothingToDeregisterMessage(selection: DeregistrationSelection, reported: { notFound: string[]; alreadyDeregistered: string[] }): string {
  const counts = [
    reported.alreadyDeregistered.length ? `${reported.alreadyDeregistered.length} already deregistered` : '',
    reported.notFound.length ? `${reported.notFound.length} not found` : '',
  ]
    .filter(Boolean)
    .join(', ');
  switch (selection.kind) {
    case 'registrations':
    case 'domains':
      return `None of the selected registrations is active${counts ? ` (${counts})` : ''}, so there is nothing to deregister. Refresh the list and select active registrations.`;
    case 'search':
      return `No active registration matches "${selection.search ?? ''}"${selection.registeredBefore ? ` among those registered before ${selection.registeredBefore}` : ''}, so there is nothing to deregister. Change the search and try again.`;
    case 'all':
      return 'This portal has no active registrations, so there is nothing to deregister.';
    case 'registered-before':
      return `No active registration was made before ${selection.before.toISOString()}, so there is nothing to deregister. Choose a later date.`;
  }
}
