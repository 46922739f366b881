// The test file's database, and portals made for one test each.
import { randomInt } from 'node:crypto';
import { createDatabase, type Database } from '../../server/db/client.js';
import type { PartnerTier } from '../../server/domain/capacity.js';
import { ensurePortal } from '../../server/portals/ensure-portal.js';
import { testDatabaseUrl } from './file-database.js';

export function testDatabase(poolSize = 10): Database {
  return createDatabase({ url: testDatabaseUrl(), poolSize });
}

/** A portal id no other test uses: the tests of a file share its database and never each other's portals. */
export function newPortalId(): number {
  return randomInt(1_000_000, 2 ** 47);
}

export interface TestPortalOptions {
  tier?: PartnerTier;
  limitOverride?: number | null;
  /** Active registrations to start with (domains used-0.example … ), written directly. */
  used?: number;
}

export async function createTestPortal(db: Database, { tier = 'gold', limitOverride = null, used = 0 }: TestPortalOptions = {}): Promise<number> {
  const portalId = newPortalId();
  await ensurePortal(db, { portalId, tier, actor: 'test' });
  if (limitOverride !== null) await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride } });
  await fillCapacity(db, portalId, used);
  return portalId;
}

/** Arrangement, not behaviour under test: `used` active registrations of placeholder domains, held by contacts "seed-n" HubSpot does not have. */
export async function fillCapacity(db: Database, portalId: number, used: number): Promise<void> {
  if (used <= 0) return;
  await db.$executeRaw`
    INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel)
    SELECT ${BigInt(portalId)}, 'used-' || n || '.example', 'https://used-' || n || '.example', 'seed-' || n,
           'used-' || n || '.example', 'test', 'operator'
    FROM generate_series(1, ${used}::int) AS n`;
}

let contactSequence = 0;
/** A contact with a website on a domain of its own. */
export function contactWithDomain(domain: string, extra: Partial<{ firstName: string; lastName: string; company: string; country: string; email: string }> = {}) {
  contactSequence += 1;
  return { contactId: `c-${process.pid}-${contactSequence}`, website: `https://www.${domain}/`, ...extra };
}
