// The rule that keeps the contact mirror right: per property, the newest value wins.
//
// Every property the mirror keeps carries the time HubSpot changed it (epoch ms). A value is
// taken only if it is newer than the one held, so the mirror ends the same whatever order
// events arrive in and however often they are repeated. Deletion and restore are
// ordered the same way, under a pseudo-property.
import { APP_PROPERTIES, SALES_PROPERTIES } from '../hubspot/app-properties.js';

/** HubSpot property → mirror field. */
export const MIRRORED_PROPERTIES = {
  email: 'email',
  firstname: 'firstName',
  lastname: 'lastName',
  company: 'company',
  website: 'website',
  country: 'country',
  [APP_PROPERTIES.trigger]: 'registerAsPartnerLead',
  [SALES_PROPERTIES.leadStatus]: 'leadStatus',
  [SALES_PROPERTIES.lifecycleStage]: 'lifecycleStage',
  [SALES_PROPERTIES.lastActivity]: 'lastActivityAt',
} as const;

export type MirroredProperty = keyof typeof MIRRORED_PROPERTIES;

/** Deletion (value "true") and restore ("false") are ordered under this pseudo-property. */
export const DELETED = '$deleted';

export interface MirrorState {
  /** Property → value, as HubSpot's strings (checkbox: "true"/"false"). */
  values: Partial<Record<MirroredProperty | typeof DELETED, string | null>>;
  /** Property → when HubSpot set the value held (epoch ms). */
  changedAt: Record<string, number>;
}

export interface MirrorUpdate {
  /** HubSpot property values; names the mirror does not keep are ignored. */
  properties: Record<string, string | null>;
  /** When HubSpot made the change (for a contact read from HubSpot: its last modification). */
  changedAt: number;
}

export function isMirroredProperty(name: string): name is MirroredProperty | typeof DELETED {
  return name === DELETED || Object.hasOwn(MIRRORED_PROPERTIES, name);
}

export const EMPTY_MIRROR: MirrorState = { values: {}, changedAt: {} };

/** The state after `update`, and the properties whose value it took. */
export function mergeMirror(current: MirrorState, update: MirrorUpdate): { next: MirrorState; applied: string[] } {
  const next: MirrorState = { values: { ...current.values }, changedAt: { ...current.changedAt } };
  const applied: string[] = [];
  for (const [name, value] of Object.entries(update.properties)) {
    if (!isMirroredProperty(name)) continue;
    const heldAt = current.changedAt[name] ?? Number.NEGATIVE_INFINITY;
    if (heldAt > update.changedAt) continue;
    // Two values stamped with the same moment: pick one by value, so the order they arrive in
    // cannot change the outcome.
    if (heldAt === update.changedAt && String(current.values[name] ?? '') >= String(value ?? '')) continue;
    next.values[name] = value;
    next.changedAt[name] = update.changedAt;
    applied.push(name);
  }
  return { next, applied };
}
