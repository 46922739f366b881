// Rows link to their contact's record in HubSpot, in real Chromium: a new tab (rel="noopener"),
// on the account's own HubSpot host (an EU account here).
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.js';
import { capacityManagerSuite } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

test(
  "a row's contact opens its HubSpot record in a new tab, on the account's own HubSpot host",
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard([{ firstname: 'Ada', lastname: 'Lovelace', company: 'Lovelace AB', country: 'Sweden', website: 'https://lovelace.se/' }]);
    await rig.db.portal.update({ where: { id: BigInt(portalId) }, data: { uiDomain: 'app-eu1.hubspot.com' } });
    const contactId = rig.fake.contacts.list(portalId)[0]!.id;
    await page.reload();
    const link = page.getByRole('link', { name: 'Ada Lovelace (opens HubSpot in a new tab)' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`https://app-eu1.hubspot.com/contacts/${portalId}/record/0-1/${contactId}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener');
  },
  BROWSER_TEST_TIMEOUT_MS,
);
