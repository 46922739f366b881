// The demo's HubSpot: the project's HubSpot fake (test/hubspot-fake), started in this process
// with the demo portal, its contacts and this app registered (client id and secret, webhook URL
// and subscriptions), so the whole app runs as it would against HubSpot. The fake keeps its
// state in memory, but seeding is deterministic: the same contacts get the same ids at every
// start, so the registrations the database kept still point at them.
import type { AppConfig } from '../config/config.js';
import { SUBSCRIBED_CONTACT_PROPERTIES } from '../hubspot/app-properties.js';
import { startHubSpotFake, type HubSpotFake } from '../../test/hubspot-fake/index.js';
import { demoContacts } from './demo-contacts.js';
import { DEMO_PORTAL_ID, DEMO_PORTAL_NAME } from './demo-portal.js';

export { DEMO_PORTAL_ID, DEMO_PORTAL_NAME };

export async function startDemoHubSpot(config: AppConfig): Promise<HubSpotFake> {
  const fake = await startHubSpotFake({ port: config.DEMO_HUBSPOT_PORT });
  fake.apps.register({
    appId: config.HUBSPOT_APP_ID,
    clientId: config.HUBSPOT_CLIENT_ID,
    clientSecret: config.HUBSPOT_CLIENT_SECRET,
    redirectUri: `${config.publicUrl}/oauth/callback`,
    scopes: config.HUBSPOT_SCOPES.split(' '),
    webhookUrl: `${config.publicUrl}/webhooks/hubspot`,
    subscriptions: [
      ...(['contact.creation', 'contact.deletion', 'contact.privacyDeletion', 'contact.merge', 'contact.restore'] as const).map((subscriptionType) => ({ subscriptionType })),
      ...SUBSCRIBED_CONTACT_PROPERTIES.map((propertyName) => ({ subscriptionType: 'contact.propertyChange' as const, propertyName })),
    ],
  });
  fake.accounts.create({ portalId: DEMO_PORTAL_ID, name: DEMO_PORTAL_NAME, domain: 'northwind-demo.hubspot.example' });
  fake.contacts.seed(
    DEMO_PORTAL_ID,
    demoContacts().map((contact) => ({
      email: contact.email,
      firstname: contact.firstName,
      lastname: contact.lastName,
      company: contact.company,
      country: contact.country,
      ...(contact.website ? { website: contact.website } : {}),
    })),
  );
  return fake;
}
