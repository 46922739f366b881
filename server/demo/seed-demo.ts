// The demo portal in the app: a gold partner that installed the app in the demo HubSpot, with
// its contacts backfilled and some of them registered through the same use case the card uses.
// The first start registers; later starts find the registrations kept and only tell the demo
// HubSpot again (its memory starts empty) what each registered contact's status is.
import type { Database } from '../db/client.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import { contactAtRegistration } from '../hubspot/read-contact.js';
import { queueContactWriteBacks, registeredProperties } from '../hubspot/write-back.js';
import { ensureAppProperties } from '../install/ensure-app-properties.js';
import { ensurePortal } from '../portals/ensure-portal.js';
import { findPortalRoles, setPortalAdmin } from '../portals/portal-roles.js';
import { DEMO_USER } from '../capacity-manager/sign-in-routes.js';
import type { AppQueues } from '../queue/queues.js';
import { registerContact } from '../registrations/register-contact.js';
import { startContactBackfill } from '../contacts/backfill-contacts.js';
import type { HubSpotFake } from '../../test/hubspot-fake/index.js';
import { DEMO_PORTAL_ID, DEMO_PORTAL_NAME } from './demo-hubspot.js';

export { DEMO_PORTAL_ID, DEMO_PORTAL_NAME };

export interface DemoSeedReport {
  created: boolean;
  registrations: number;
}

export async function seedDemo(
  deps: { db: Database; hubspot: HubSpot; queues: AppQueues; fake: HubSpotFake; appId: number },
  { registrations = 180 }: { registrations?: number } = {},
): Promise<DemoSeedReport> {
  const { db, hubspot, queues, fake } = deps;
  const { created } = await ensurePortal(db, { portalId: DEMO_PORTAL_ID, name: DEMO_PORTAL_NAME, tier: 'gold', actor: 'demo' });
  const tokens = fake.installs.install(deps.appId, DEMO_PORTAL_ID);
  await hubspot.installs.save(
    DEMO_PORTAL_ID,
    { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresIn: tokens.expires_in },
    { hubDomain: 'northwind-demo.hubspot.example', installedBy: 'demo', scopes: tokens.scopes },
  );
  await ensureAppProperties(hubspot.api.forPortal(DEMO_PORTAL_ID, 'interactive'));
  // In the demo the demo user installed the app, so they are the partner's admin.
  if (!(await findPortalRoles(db, DEMO_PORTAL_ID)).admin)
    await setPortalAdmin(db, { portalId: DEMO_PORTAL_ID, userId: DEMO_USER.userId, email: DEMO_USER.userEmail, actor: 'demo' });
  await startContactBackfill({ db, queues }, DEMO_PORTAL_ID);

  const contacts = fake.contacts.list(DEMO_PORTAL_ID);
  if (created) {
    for (const [index, contact] of contacts.slice(0, registrations).entries()) {
      const automatic = index % 3 === 0;
      await registerContact(db, {
        portalId: DEMO_PORTAL_ID,
        contact: contactAtRegistration({ id: contact.id, properties: contact.properties, updatedAt: null, archived: false }),
        registeredBy: automatic ? 'rule: Register as partner lead' : 'alex@northwind.example',
        channel: automatic ? 'automatic' : 'card',
      });
    }
  }
  const active = await db.registration.findMany({ where: { portalId: BigInt(DEMO_PORTAL_ID), status: 'active' }, select: { contactId: true, domain: true, registeredAt: true } });
  await queueContactWriteBacks(
    { db, queues },
    DEMO_PORTAL_ID,
    active.map((registration) => ({ contactId: registration.contactId, properties: registeredProperties(registration.domain, registration.registeredAt.toISOString()) })),
  );
  return { created, registrations: active.length };
}
