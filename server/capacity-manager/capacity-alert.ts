// Capacity alerts, shown on the Capacity Manager and on the card: at 80 %, 90 % and 100 % of
// the limit. A lowered limit below what is used is still "100": full is full.
import type { Capacity } from '../domain/capacity.js';

export type CapacityAlertLevel = 80 | 90 | 100;

export function capacityAlertLevel({ used, limit }: Pick<Capacity, 'used' | 'limit'>): CapacityAlertLevel | null {
  if (used >= limit) return 100;
  const share = used / limit;
  if (share >= 0.9) return 90;
  if (share >= 0.8) return 80;
  return null;
}
