// The list's search, sort, page size and page live in the address, in real Chromium: a reload
// shows the same list, and the back button returns to the list as it was a step before.
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, expectText } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

const NAMES = ['Kappa', 'Alfa', 'Juliett', 'Bravo', 'India', 'Charlie', 'Hotel', 'Delta', 'Golf', 'Echo', 'Foxtrot', 'Lima'];
const prospect = (name: string, tld: string): ProspectSeed => ({
  firstname: 'Ada',
  lastname: name,
  company: `${name} AB`,
  country: 'Sweden',
  website: `https://${name.toLowerCase()}.${tld}/`,
});
// Three .com domains besides, so that the search for ".se" is seen to take effect (12 of 15).
const prospects = [...NAMES.map((name) => prospect(name, 'se')), ...['Mike', 'Oscar', 'Papa'].map((name) => prospect(name, 'com'))];
const DOMAINS_ASCENDING = NAMES.map((name) => `${name.toLowerCase()}.se`).sort();

test(
  'search, sort, page size and page survive a reload, and back returns to the step before',
  async () => {
    const { page } = await suite.openFromCard(prospects);
    const domains = () => page.locator('tbody .domain-cell').allTextContents();
    await page.getByRole('searchbox', { name: 'Search by domain, company, contact name or country' }).fill('.se');
    await expectText(page.locator('.pager-range'), '1–12 of 12');
    await page
      .getByRole('columnheader', { name: /^Domain/ })
      .getByRole('button')
      .click();
    await page.getByLabel('Domains per page').selectOption('10');
    await expect.poll(domains, { timeout: 15_000 }).toEqual(DOMAINS_ASCENDING.slice(0, 10));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(domains, { timeout: 15_000 }).toEqual(DOMAINS_ASCENDING.slice(10));
    const address = new URL(page.url());
    expect(Object.fromEntries(address.searchParams)).toEqual({ search: '.se', sort: 'domain', direction: 'asc', size: '10', page: '2' });

    await page.reload();
    await expect.poll(domains, { timeout: 15_000 }).toEqual(DOMAINS_ASCENDING.slice(10));
    await expectText(page.locator('.pager-page'), 'Page 2 of 2');
    expect(await page.getByRole('searchbox').inputValue()).toBe('.se');
    expect(page.url()).toBe(address.href);

    await page.goBack();
    await expect.poll(domains, { timeout: 15_000 }).toEqual(DOMAINS_ASCENDING.slice(0, 10));
    await expectText(page.locator('.pager-page'), 'Page 1 of 2');
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();
  },
  BROWSER_TEST_TIMEOUT_MS,
);
