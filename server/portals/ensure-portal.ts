// Makes sure a portal exists: at install, and for the demo. Creating one is audited; finding
// it already there changes nothing.
import type { PartnerTier } from '../domain/capacity.js';
import type { Database } from '../db/client.js';
import type { Portal } from '../db/generated/client.js';

export interface EnsurePortalInput {
  portalId: number;
  name?: string | null;
  /** Only used when the portal is created; an existing portal keeps the tier the operator set. */
  tier?: PartnerTier;
  actor: string;
}

export async function ensurePortal(db: Database, input: EnsurePortalInput): Promise<{ portal: Portal; created: boolean }> {
  const id = BigInt(input.portalId);
  return db.$transaction(async (tx) => {
    const created = await tx.portal.createManyAndReturn({
      data: [{ id, name: input.name ?? null, tier: input.tier ?? 'untiered' }],
      skipDuplicates: true,
    });
    if (created[0]) {
      await tx.auditEvent.create({
        data: { portalId: id, action: 'portal_created', actor: input.actor, details: { tier: created[0].tier, name: created[0].name } },
      });
      return { portal: created[0], created: true };
    }
    return { portal: await tx.portal.findUniqueOrThrow({ where: { id } }), created: false };
  });
}
