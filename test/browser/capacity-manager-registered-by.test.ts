// The "Registered by" column, in real Chromium, in English and Swedish: the user on the card,
// the auto-register rule, or an operator.
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.js';
import { capacityManagerSuite } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

test(
  'who registered each domain: the card user, the rule or an operator (en, sv)',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard([{ firstname: 'Ada', lastname: 'Lovelace', company: 'Lovelace AB', country: 'Sweden', website: 'https://lovelace.se/' }]);
    await rig.db.$executeRaw`
      INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel)
      VALUES (${BigInt(portalId)}, 'rule.se', 'https://rule.se', 'seed-1', 'rule.se', 'auto-register', 'automatic'),
             (${BigInt(portalId)}, 'operator.se', 'https://operator.se', 'seed-2', 'operator.se', 'ops@example.com', 'operator')`;
    await page.goto(`${rig.server.url}/?sort=domain&direction=asc`);
    const column = () => page.locator('tbody tr td:nth-child(7)').allTextContents();
    expect(await page.locator('thead th').nth(6).textContent()).toBe('Registered by');
    await expect.poll(column).toEqual(['ann@agency.example', 'operator', 'auto-register rule']);
    await page.getByRole('button', { name: 'Svenska' }).click();
    await expect.poll(column).toEqual(['ann@agency.example', 'operatör', 'regel för automatisk registrering']);
    expect(await page.locator('thead th').nth(6).textContent()).toBe('Registrerad av');
  },
  BROWSER_TEST_TIMEOUT_MS,
);
