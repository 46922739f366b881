// Ends a set of a portal's registrations: the capacity they held is free as soon as this commits.
//
// A registration is never deleted: it is marked deregistered with who, when and (for bulk
// deregistrations) which job, and an audit row is written for each, in the same transaction.
// Idempotent: registrations that are already deregistered are reported and left as they are,
// so a job that retries a chunk changes nothing the second time. Ids of another portal are
// treated as unknown; their rows are never read or written.
import type { Database } from '../db/client.js';
import { registrationView, type RegistrationView } from './registration-view.js';

export interface DeregisterRegistrationsInput {
  portalId: number;
  registrationIds: readonly string[];
  /** Who deregisters: a HubSpot user's email, or the operator. */
  deregisteredBy: string;
  /** The bulk deregistration job doing this, if any. */
  jobId?: string | null;
}

export interface DeregisterRegistrationsResult {
  deregistered: RegistrationView[];
  alreadyDeregistered: string[];
  /** Ids that are not registrations of this portal. */
  notFound: string[];
}

export const MAX_DEREGISTRATIONS_PER_CALL = 1000;

export async function deregisterRegistrations(db: Database, input: DeregisterRegistrationsInput): Promise<DeregisterRegistrationsResult> {
  const requested = [...new Set(input.registrationIds)];
  if (requested.length > MAX_DEREGISTRATIONS_PER_CALL) {
    throw new RangeError(`At most ${MAX_DEREGISTRATIONS_PER_CALL} registrations can be deregistered in one call; use a deregistration job for more.`);
  }
  // Anything that is not a canonical positive integer cannot be a registration id.
  const ids = requested.filter((id) => /^[1-9]\d{0,17}$/.test(id)).map(BigInt);
  const portalId = BigInt(input.portalId);
  const jobId = input.jobId ?? null;

  return db.$transaction(async (tx) => {
    const ended = await tx.registration.updateManyAndReturn({
      where: { portalId, id: { in: ids }, status: 'active' },
      data: { status: 'deregistered', deregisteredAt: new Date(), deregisteredBy: input.deregisteredBy, deregistrationJobId: jobId },
    });

    if (ended.length > 0) {
      await tx.auditEvent.createMany({
        data: ended.map((registration) => ({
          portalId,
          action: 'registration_deregistered' as const,
          actor: input.deregisteredBy,
          registrationId: registration.id,
          domain: registration.domain,
          contactId: registration.contactId,
          jobId,
        })),
      });
    }

    const endedIds = new Set(ended.map((registration) => registration.id.toString()));
    const rest = ids.filter((id) => !endedIds.has(id.toString()));
    const stillKnown = rest.length
      ? await tx.registration.findMany({ where: { portalId, id: { in: rest } }, select: { id: true } })
      : [];
    const alreadyDeregistered = new Set(stillKnown.map((row) => row.id.toString()));
    return {
      deregistered: ended.map(registrationView),
      alreadyDeregistered: requested.filter((id) => alreadyDeregistered.has(id)),
      notFound: requested.filter((id) => !endedIds.has(id) && !alreadyDeregistered.has(id)),
    };
  });
}
