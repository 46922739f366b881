// The first look a webhook job takes at the mirror (readContactMirrors) must see what the locked
// read would, without creating or locking rows.
import { afterAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../db/client.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { lockContactMirrors, readContactMirrors, writeContactMirrors } from './contact-mirror-store.js';

const db = testDatabase(2);
afterAll(() => db.$disconnect());

describe('readContactMirrors', () => {
  it('reads known and unknown contacts as lockContactMirrors does, and creates no row', async () => {
    const portalId = await createTestPortal(db);
    await withTransaction(db, async (sql) => {
      const mirrors = await lockContactMirrors(sql, portalId, ['known']);
      const known = mirrors.get('known')!;
      known.state = { values: { email: 'ada@example.com', website: 'https://ada.example', hs_lead_status: 'NEW' }, changedAt: { email: 1, website: 2, hs_lead_status: 3 } };
      await writeContactMirrors(sql, portalId, mirrors);
    });

    const read = await readContactMirrors(db.pool, portalId, ['known', 'unknown', 'known']);
    const locked = await withTransaction(db, (sql) => lockContactMirrors(sql, portalId, ['known', 'unknown']));
    expect(read.get('known')).toEqual(locked.get('known'));
    expect(read.get('known')!.state.values.email).toBe('ada@example.com');
    // lockContactMirrors made the unknown contact's row above; the first read had not.
    expect(read.get('unknown')).toEqual(locked.get('unknown'));
    expect(read.get('unknown')!.isNew).toBe(true);
    const { rows } = await db.pool.query('SELECT contact_id FROM contacts WHERE portal_id = $1 ORDER BY contact_id', [portalId]);
    expect(rows.map((row) => row.contact_id)).toEqual(['known', 'unknown']);
  });

  it('creates nothing by itself', async () => {
    const portalId = await createTestPortal(db);
    expect((await readContactMirrors(db.pool, portalId, ['nobody'])).get('nobody')!.isNew).toBe(true);
    expect((await db.pool.query('SELECT 1 FROM contacts WHERE portal_id = $1', [portalId])).rowCount).toBe(0);
  });
});
