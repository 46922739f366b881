// The operator's changes to a portal: its tier, its limit override, its settings.
//
// Each change is one transaction that updates the portal and writes an audit event with the
// value before and after. Changing a tier or lowering a limit never touches registrations: a
// portal over its new limit keeps what it has and cannot register until it is under it.
import { limitOverrideProblem, type PartnerTier } from '../domain/capacity.js';
import type { Database } from '../db/client.js';
import { AppError } from '../errors/app-error.js';
import type { AuditAction, Portal, Prisma } from '../db/generated/client.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { portalView, type PortalView } from './portal-view.js';

export class PortalNotFoundError extends AppError {
  constructor(portalId: number) {
    super({ kind: 'not_found', code: 'PORTAL_NOT_FOUND', message: `No portal ${portalId} has installed Partner Capacity. Check the portal id (npm run admin -- portals list).` });
  }
}

export class InvalidLimitError extends AppError {
  constructor(message: string) {
    super({ kind: 'invalid', code: 'INVALID_LIMIT', message });
  }
}

type PortalChange = Pick<Prisma.PortalUpdateInput, 'tier' | 'limitOverride' | 'autoRegisterNewContacts'>;

async function changePortal(
  db: Database,
  portalId: number,
  actor: string,
  action: AuditAction,
  change: PortalChange,
  describe: (portal: Portal) => Prisma.InputJsonObject,
): Promise<PortalView> {
  const id = BigInt(portalId);
  const portal = await db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM portals WHERE id = ${id} FOR NO KEY UPDATE`;
    if (!before) throw new PortalNotFoundError(portalId);
    const previous = await tx.portal.findUniqueOrThrow({ where: { id } });
    const updated = await tx.portal.update({ where: { id }, data: { ...change, updatedAt: new Date() } });
    await tx.auditEvent.create({
      data: { portalId: id, action, actor, details: { before: describe(previous), after: describe(updated) } },
    });
    return updated;
  });
  const capacity = await getCapacity(db, { portalId });
  return portalView(portal, capacity?.used ?? 0);
}

export function setPortalTier(db: Database, input: { portalId: number; tier: PartnerTier; actor: string }): Promise<PortalView> {
  return changePortal(db, input.portalId, input.actor, 'portal_tier_changed', { tier: input.tier }, (portal) => ({ tier: portal.tier }));
}

/** Sets the operator's limit override, or clears it (null) to fall back to the tier's limit. */
export function setPortalLimit(db: Database, input: { portalId: number; limit: number | null; actor: string }): Promise<PortalView> {
  if (input.limit !== null) {
    const problem = limitOverrideProblem(input.limit);
    if (problem) throw new InvalidLimitError(`Cannot set the limit to ${input.limit}: ${problem}.`);
  }
  return changePortal(db, input.portalId, input.actor, 'portal_limit_changed', { limitOverride: input.limit }, (portal) => ({
    limitOverride: portal.limitOverride,
  }));
}

export interface PortalSettings {
  autoRegisterNewContacts: boolean;
}

export function updatePortalSettings(db: Database, input: { portalId: number; settings: PortalSettings; actor: string }): Promise<PortalView> {
  return changePortal(db, input.portalId, input.actor, 'portal_settings_changed', input.settings, (portal) => ({
    autoRegisterNewContacts: portal.autoRegisterNewContacts,
  }));
}
