// Countries in real Chromium: stored as HubSpot gives them, shown in the page's language
// ("Sweden" reads "Sverige" in Swedish) and found by their name in either language ("Sverige"
// finds the prospects whose country HubSpot gave as "Sweden"); text that is no country stays as
// given.
import { expect, test } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, screenshot } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

const PROSPECTS: ProspectSeed[] = [
  { firstname: 'Ada', lastname: 'Berg', company: 'Berg AB', country: 'Sweden', website: 'https://berg.se/' },
  { firstname: 'Bo', lastname: 'Lind', company: 'Lind AB', country: 'Sweden', website: 'https://lind.se/' },
  { firstname: 'Carl', lastname: 'Weber', company: 'Weber GmbH', country: 'Germany', website: 'https://weber.de/' },
  { firstname: 'Dana', lastname: 'Scully', company: 'Somewhere Inc', country: 'Narnia', website: 'https://somewhere.io/' },
];

test(
  'countries are shown in the page’s language and found by their name in English or Swedish; the stored value is unchanged',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard(PROSPECTS, { locale: 'sv-se' });
    await page.goto(`${rig.server.url}/?sort=domain&direction=asc`);
    const countries = () => page.locator('tbody tr td:nth-child(5)').allTextContents();
    await expect.poll(countries).toEqual(['Sverige', 'Sverige', 'Narnia', 'Tyskland']);

    const search = page.getByRole('searchbox');
    expect(await search.getAttribute('id')).toBe('registration-search');
    await page.getByRole('searchbox', { name: 'Sök på domän, företag, kontaktnamn eller land' }).waitFor();
    await search.fill('Sverige');
    await expectText(page.locator('.pager-range'), '1–2 av 2');
    await expect.poll(() => page.locator('tbody .domain-cell').allTextContents()).toEqual(['berg.se', 'lind.se']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-sv-country-search');

    await search.fill('tyskland');
    await expect.poll(() => page.locator('tbody .domain-cell').allTextContents()).toEqual(['weber.de']);

    await page.getByRole('button', { name: 'English' }).click();
    await search.fill('');
    await expect.poll(countries).toEqual(['Sweden', 'Sweden', 'Narnia', 'Germany']);
    // The English name finds them too, and the Swedish one still does on the English page.
    await search.fill('sweden');
    await expect.poll(() => page.locator('tbody .domain-cell').allTextContents()).toEqual(['berg.se', 'lind.se']);
    await search.fill('Sverige');
    await expectText(page.locator('.pager-range'), '1–2 of 2');
    await screenshot(page, 'capacity-manager-en-country-search');

    const stored = await rig.db.registration.findMany({ where: { portalId: BigInt(portalId) }, select: { country: true }, orderBy: { domain: 'asc' } });
    expect(stored.map((registration) => registration.country)).toEqual(['Sweden', 'Sweden', 'Narnia', 'Germany']);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
