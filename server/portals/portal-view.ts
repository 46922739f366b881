// A portal as the operator and the Capacity Manager see it: its settings and its capacity.
import { capacityOf, type Capacity } from '../domain/capacity.js';
import type { Portal } from '../db/generated/client.js';

export interface PortalView {
  id: number;
  name: string | null;
  installState: 'installed' | 'disconnected';
  autoRegisterNewContacts: boolean;
  limitOverride: number | null;
  capacity: Capacity;
  createdAt: string;
}

export function portalView(portal: Portal, used: number): PortalView {
  return {
    id: Number(portal.id),
    name: portal.name,
    installState: portal.installState,
    autoRegisterNewContacts: portal.autoRegisterNewContacts,
    limitOverride: portal.limitOverride,
    capacity: capacityOf({ tier: portal.tier, limitOverride: portal.limitOverride }, used),
    createdAt: portal.createdAt.toISOString(),
  };
}
