// The Capacity Manager in real Chromium, the way a partner uses it (the seed articles): open it
// from the card's link, search, sort, page, select all on the page, Deregister, check the
// dialog lists exactly the selected domains, Yes, deregister, and see the status bar free the
// capacity once the deregistration job (real workers) completes. In English and in Swedish,
// and for "select all matching this search" with Undo.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, expectText, screenshot } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';
import { eraseContactPersonalData } from '../../server/contacts/erase-contact-personal-data.js';

const WORDS = [
  'Aurora',
  'Birch',
  'Cedar',
  'Delta',
  'Ember',
  'Fjord',
  'Glacier',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Linden',
  'Maple',
  'Nimbus',
  'Orchid',
  'Pine',
  'Quartz',
  'Raven',
  'Spruce',
  'Tundra',
  'Umber',
  'Vale',
  'Willow',
  'Xenon',
  'Yarrow',
  'Zephyr',
  'Aspen',
  'Bluff',
  'Cove',
  'Dune',
  'Elm',
  'Fern',
  'Grove',
  'Heath',
  'Isle',
];
const PEOPLE = ['Ada Berg', 'Bo Lind', 'Cecilia Holm', 'David Ek', 'Elin Strand', 'Filip Dahl', 'Greta Sund'];
const COUNTRIES = ['Sweden', 'Finland', 'Denmark', 'Germany', 'Estonia'];

/**
 * 35 prospects whose company says "Nordic", 25 that are "Alpine". `variant` makes each test's
 * domains its own: a domain registered by one portal is held for the program's other partners.
 */
function prospects(variant: string): ProspectSeed[] {
  const make = (kind: 'Nordic' | 'Alpine', word: string, index: number): ProspectSeed => {
    const [firstname, lastname] = PEOPLE[index % PEOPLE.length]!.split(' ') as [string, string];
    return {
      firstname,
      lastname,
      company: `${kind} ${word}`,
      country: COUNTRIES[index % COUNTRIES.length]!,
      website: `https://www.${kind.toLowerCase()}-${word.toLowerCase()}${variant}.${kind === 'Nordic' ? 'se' : 'ch'}/`,
    };
  };
  return [...WORDS.map((word, index) => make('Nordic', word, index)), ...WORDS.slice(0, 25).map((word, index) => make('Alpine', word, index))];
}
const NORDIC_COMPANIES_ASCENDING = WORDS.map((word) => `Nordic ${word}`).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

const suite = capacityManagerSuite();

async function openFromCard(locale: 'en-us' | 'sv-se', variant: string): Promise<{ page: Page; portalId: number }> {
  return suite.openFromCard(prospects(variant), { locale });
}

async function activeDomains(portalId: number): Promise<string[]> {
  const rows = await suite.rig.db.registration.findMany({ where: { portalId: BigInt(portalId), status: 'active' }, select: { domain: true } });
  return rows.map((row) => row.domain).sort();
}

test(
  'card link → search → sort → page → select all on the page → Deregister → exactly those domains → Yes, deregister → capacity freed',
  async () => {
    const { page, portalId } = await openFromCard('en-us', '');
    const used = page.getByTestId('capacity-used');
    await expectText(used, '60 of 500 domains registered');
    await expect.poll(() => page.title()).toBe('Capacity Manager · Partner Capacity');

    await page.getByRole('searchbox', { name: 'Search by domain, company, contact name or country' }).fill('nordic');
    await expectText(page.locator('.pager-range'), '1–25 of 35');

    const company = page.getByRole('columnheader', { name: /^Company/ });
    await company.getByRole('button').click();
    await expect.poll(() => company.getAttribute('aria-sort')).toBe('ascending');
    await page.getByLabel('Domains per page').selectOption('10');
    await expectText(page.locator('.pager-page'), 'Page 1 of 4');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectText(page.locator('.pager-page'), 'Page 2 of 4');
    await expectText(page.locator('.pager-range'), '11–20 of 35');
    await expect.poll(() => page.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(NORDIC_COMPANIES_ASCENDING.slice(10, 20));

    const selected = await page.locator('tbody .domain-cell').allTextContents();
    expect(selected).toHaveLength(10);
    await page.getByRole('checkbox', { name: 'Select all domains on this page' }).check();
    await expectText(page.locator('.selected-count'), '10 selected');
    await page.getByRole('button', { name: 'Deregister', exact: true }).click();

    const dialog = page.getByRole('dialog', { name: 'Deregister 10 domains?' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('dialog-domains').locator('li').allTextContents()).toEqual(selected);
    await expectText(dialog.locator('.dialog-frees'), 'This frees 10 domains of your capacity. Afterwards: 50 of 500 in use.');
    await screenshot(page, 'capacity-manager-en-dialog');
    await dialog.getByRole('button', { name: 'Yes, deregister' }).click();

    await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await expectText(used, '50 of 500 domains registered');
    await expectText(page.locator('.pager-range'), '11–20 of 25');
    const remaining = await activeDomains(portalId);
    expect(remaining).toHaveLength(50);
    for (const domain of selected) expect(remaining).not.toContain(domain);
    await screenshot(page, 'capacity-manager-en-deregistered');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the same in Swedish: a Swedish HubSpot user gets the Capacity Manager in Swedish',
  async () => {
    const { page, portalId } = await openFromCard('sv-se', '-sv');
    const used = page.getByTestId('capacity-used');
    await expectText(used, '60 av 500 domäner registrerade');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('sv');

    await page.getByRole('searchbox', { name: 'Sök på domän, företag, kontaktnamn eller land' }).fill('nordic');
    await expectText(page.locator('.pager-range'), '1–25 av 35');
    const company = page.getByRole('columnheader', { name: /^Företag/ });
    await company.getByRole('button').click();
    await company.getByRole('button').click();
    await expect.poll(() => company.getAttribute('aria-sort')).toBe('descending');
    await page.getByLabel('Domäner per sida').selectOption('10');
    await page.getByRole('button', { name: 'Nästa sida' }).click();
    await expectText(page.locator('.pager-page'), 'Sida 2 av 4');
    const descending = [...NORDIC_COMPANIES_ASCENDING].reverse();
    await expect.poll(() => page.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(descending.slice(10, 20));

    const selected = await page.locator('tbody .domain-cell').allTextContents();
    await page.getByRole('checkbox', { name: 'Markera alla domäner på sidan' }).check();
    await page.getByRole('button', { name: 'Avregistrera', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Avregistrera 10 domäner?' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('dialog-domains').locator('li').allTextContents()).toEqual(selected);
    await screenshot(page, 'capacity-manager-sv-dialog');
    await dialog.getByRole('button', { name: 'Ja, avregistrera' }).click();

    await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await expectText(used, '50 av 500 domäner registrerade');
    expect(await activeDomains(portalId)).toHaveLength(50);
    await screenshot(page, 'capacity-manager-sv-deregistered');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'select all matching the search across pages shows the capacity it frees; Undo brings the domains back',
  async () => {
    const { page, portalId } = await openFromCard('en-us', '-all');
    const used = page.getByTestId('capacity-used');
    await expectText(used, '60 of 500 domains registered');
    await page.getByRole('searchbox', { name: 'Search by domain, company, contact name or country' }).fill('alpine');
    await expectText(page.locator('.pager-range'), '1–25 of 25');
    await page.getByLabel('Domains per page').selectOption('10');
    await expectText(page.locator('.pager-range'), '1–10 of 25');
    await page.getByRole('checkbox', { name: 'Select all domains on this page' }).check();
    await page.getByRole('button', { name: 'Select all 25 domains matching this search' }).click();
    await expectText(page.locator('.selection-banner span'), 'All 25 domains matching this search are selected. Deregistering them frees 25 domains of your capacity.');

    await page.getByRole('button', { name: 'Deregister', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deregister 25 domains?' });
    await expect.poll(() => dialog.getByTestId('dialog-domains').locator('li').count()).toBe(25);
    expect((await dialog.getByTestId('dialog-domains').locator('li').allTextContents()).every((domain) => domain.startsWith('alpine-'))).toBe(true);
    await dialog.getByRole('button', { name: 'Yes, deregister' }).click();
    await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await expectText(used, '35 of 500 domains registered');
    expect((await activeDomains(portalId)).some((domain) => domain.startsWith('alpine-'))).toBe(false);

    await page.getByRole('button', { name: 'Undo' }).click();
    await expectText(page.getByTestId('job-panel').getByRole('status'), '25 domains registered again.');
    await expectText(used, '60 of 500 domains registered');
    expect(await activeDomains(portalId)).toHaveLength(60);
    await screenshot(page, 'capacity-manager-undo');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'a registration whose contact a privacy deletion erased shows "erased contact" (Swedish: "raderad kontakt")',
  async () => {
    const [first, ...others] = prospects('-erased').slice(0, 3);
    const { page, portalId } = await suite.openFromCard([first!, ...others], { locale: 'sv-se' });
    const erased = await suite.rig.db.registration.findFirstOrThrow({ where: { portalId: BigInt(portalId), companyName: first!.company } });
    await eraseContactPersonalData({ db: suite.rig.db }, { portalId, contactId: erased.contactId });
    await page.reload();
    const row = page.locator('tbody tr', { hasText: first!.company! });
    await expectText(row.locator('td:nth-child(4)'), 'raderad kontakt');
    await page.getByRole('button', { name: 'English' }).click();
    await expectText(row.locator('td:nth-child(4)'), 'erased contact');
    await expectText(page.locator('tbody tr', { hasText: others[0]!.company! }).locator('td:nth-child(4)'), `${others[0]!.firstname} ${others[0]!.lastname}`);
    await screenshot(page, 'capacity-manager-erased-contact');
  },
  BROWSER_TEST_TIMEOUT_MS,
);
