// Capacity already in use, for tests: `count` active registrations of placeholder domains, held
// by a contact "seed" that HubSpot does not have.
import type { Database } from '../../server/db/client.js';

export async function fillCapacity(db: Database, portalId: number, count: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel)
    SELECT ${BigInt(portalId)}, 'used-' || n || '.example', 'x', 'seed', 'x', 'test', 'operator' FROM generate_series(1, ${count}::int) AS n`;
}
