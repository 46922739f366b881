// Every portal with its capacity in use, for the operator.
import type { Database } from '../db/client.js';
import { portalView, type PortalView } from './portal-view.js';

export async function listPortals(db: Database): Promise<PortalView[]> {
  const [portals, usage] = await Promise.all([
    db.portal.findMany({ orderBy: { id: 'asc' } }),
    db.registration.groupBy({ by: ['portalId'], where: { status: 'active' }, _count: { _all: true } }),
  ]);
  const usedByPortal = new Map(usage.map((row) => [row.portalId, row._count._all]));
  return portals.map((portal) => portalView(portal, usedByPortal.get(portal.id) ?? 0));
}
