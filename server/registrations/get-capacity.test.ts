import { afterAll, describe, expect, it } from 'vitest';
import { createTestPortal, newPortalId, testDatabase } from '../../test/support/database.js';
import { getCapacity } from './get-capacity.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

describe('getCapacity', () => {
  it('gives used, limit, tier and remaining', async () => {
    const portalId = await createTestPortal(db, { tier: 'diamond', used: 312 });
    expect(await getCapacity(db, { portalId })).toEqual({ tier: 'diamond', limit: 1000, limitSource: 'tier', used: 312, remaining: 688 });
  });

  it('counts only active registrations', async () => {
    const portalId = await createTestPortal(db, { tier: 'silver', used: 3 });
    await db.registration.updateMany({ where: { portalId: BigInt(portalId), domain: 'used-1.example' }, data: { status: 'deregistered' } });
    expect(await getCapacity(db, { portalId })).toMatchObject({ used: 2, remaining: 498 });
  });

  it('shows the override and never a negative remainder', async () => {
    const portalId = await createTestPortal(db, { tier: 'gold', limitOverride: 5, used: 8 });
    expect(await getCapacity(db, { portalId })).toEqual({ tier: 'gold', limit: 5, limitSource: 'override', used: 8, remaining: 0 });
  });

  it('answers null for a portal it does not know', async () => {
    expect(await getCapacity(db, { portalId: newPortalId() })).toBeNull();
  });
});
