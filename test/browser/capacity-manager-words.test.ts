// The Capacity Manager's words in real Chromium, in English and Swedish: the card's link lands
// on its contact's domain; counts take the language's plural form ("1 domain", "1 domän");
// over a lowered limit the page says by how much and what to deregister; the alert gives the
// real share in use; an emptied portal is not "yet" empty; a request that never got an answer
// is said in the page's language, never as the browser's "Failed to fetch".
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, expectText, screenshot } from './support/browser.js';
import { cardManageLink, capacityManagerSuite, registerProspects, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

const WORDS = {
  en: {
    search: 'Search by domain, company, contact name or country',
    selectRow: (domain: string) => `Select ${domain}`,
    deregister: 'Deregister',
    yes: 'Yes, deregister',
  },
  sv: {
    search: 'Sök på domän, företag, kontaktnamn eller land',
    selectRow: (domain: string) => `Markera ${domain}`,
    deregister: 'Avregistrera',
    yes: 'Ja, avregistrera',
  },
} as const;

function prospect(name: string): ProspectSeed {
  return { firstname: 'Ada', lastname: name, company: `${name} AB`, country: 'Sweden', website: `https://www.${name.toLowerCase()}.se/` };
}

/** A portal with these prospects (none: a new portal), opened from the first contact's card. */
async function openPortal(
  prospects: ProspectSeed[],
  { locale = 'en', limit, filled = 0 }: { locale?: 'en' | 'sv'; limit?: number; filled?: number } = {},
): Promise<{ page: Page; portalId: number }> {
  const { rig } = suite;
  const portalId = await rig.installPortal();
  if (limit !== undefined) await rig.db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: limit } });
  if (prospects.length > 0) await registerProspects(rig, portalId, prospects);
  else rig.fake.contacts.seed(portalId, [{ firstname: 'New', lastname: 'Lead', website: 'https://new-lead.se' }]);
  if (filled > 0) {
    await rig.db.$executeRaw`
      INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel)
      SELECT ${BigInt(portalId)}, 'filled-' || n || '.se', 'https://filled-' || n || '.se', 'seed-' || n, 'filled-' || n || '.se', 'test', 'operator'
      FROM generate_series(1, ${filled}::int) AS n`;
  }
  const link = await cardManageLink(rig, { portalId, contactId: rig.fake.contacts.list(portalId)[0]!.id, locale: locale === 'sv' ? 'sv-se' : 'en-us' });
  const page = await suite.newPage({ locale: locale === 'sv' ? 'sv-SE' : 'en-US' });
  await page.goto(link);
  await page.getByTestId('capacity-used').waitFor();
  return { page, portalId };
}

test(
  '"Manage your capacity" opens the page on the card\'s contact\'s domain',
  async () => {
    const { page } = await openPortal([prospect('Landing'), prospect('Other'), prospect('Third')]);
    expect(new URL(page.url()).search).toBe('?search=landing.se');
    expect(await page.getByRole('searchbox', { name: WORDS.en.search }).inputValue()).toBe('landing.se');
    await expect.poll(() => page.locator('tbody .domain-cell').allTextContents()).toEqual(['landing.se']);
  },
  BROWSER_TEST_TIMEOUT_MS,
);

for (const locale of ['en', 'sv'] as const) {
  const expected = {
    en: {
      used: '1 of 1 domain registered',
      dialog: 'Deregister 1 domain?',
      frees: 'This frees 1 domain of your capacity.',
      done: '1 domain deregistered. The capacity is free now.',
      empty: 'No domains are registered. Register prospects from the Lead Registration card on a contact.',
    },
    sv: {
      used: '1 av 1 domän registrerade',
      dialog: 'Avregistrera 1 domän?',
      frees: 'Det frigör 1 domän av din kapacitet.',
      done: '1 domän avregistrerad. Kapaciteten är fri nu.',
      empty: 'Inga domäner är registrerade. Registrera prospekt från kortet Lead Registration på en kontakt.',
    },
  }[locale];

  test(
    `one domain is one (${locale}): status bar, dialog, job; then "no domains are registered", not "yet"`,
    async () => {
      const { page } = await openPortal([prospect(`Single${locale}`)], { locale, limit: 1 });
      const domain = `single${locale}.se`;
      await expectText(page.getByTestId('capacity-used'), expected.used);
      await page.getByRole('checkbox', { name: WORDS[locale].selectRow(domain) }).check();
      await page.getByRole('button', { name: WORDS[locale].deregister, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: expected.dialog });
      await dialog.waitFor();
      expect(await dialog.locator('.dialog-frees strong').textContent()).toBe(expected.frees);
      await dialog.getByRole('button', { name: WORDS[locale].yes }).click();
      await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
      await expectText(page.getByTestId('job-panel').locator('p').first(), expected.done);
      // The search the link opened with is the one domain: cleared, the whole (empty) list.
      await page.getByRole('searchbox', { name: WORDS[locale].search }).fill('');
      await expectText(page.locator('td.empty'), expected.empty);
      await screenshot(page, `capacity-manager-${locale}-one-domain-deregistered`);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
}

test(
  'a portal that never registered a domain: "No domains are registered yet"',
  async () => {
    const { page } = await openPortal([]);
    await page.getByRole('searchbox', { name: WORDS.en.search }).fill('');
    await expectText(page.locator('td.empty'), 'No domains are registered yet. Register prospects from the Lead Registration card on a contact.');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'over a lowered limit: how many over and how many to deregister, the limit set by the partner program (en, sv)',
  async () => {
    const { page } = await openPortal([prospect('Overflow')], { limit: 100, filled: 137 });
    await expectText(page.getByTestId('capacity-used'), '138 of 100 domains registered');
    expect(await page.locator('.status-meta').textContent()).toContain('limit set by your partner program');
    // The alert ends with the way to choose: a link to Suggestions, which pre-selects those 39.
    await expectText(
      page.getByTestId('capacity-alert'),
      'Your capacity is full: new registrations are refused until you deregister domains you no longer work on. 38 over your limit of 100 — deregister 39 to register again. See which to release',
    );
    await page.getByRole('button', { name: 'Svenska' }).click();
    expect(await page.locator('.status-meta').textContent()).toContain('gräns satt av ditt partnerprogram');
    await expectText(
      page.getByTestId('capacity-alert'),
      'Din kapacitet är full: nya registreringar nekas tills du avregistrerar domäner du inte längre arbetar med. 38 över din gräns på 100 — avregistrera 39 för att kunna registrera igen. Se vilka du kan släppa',
    );
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the alert gives the real share in use (85%, not 80%)',
  async () => {
    const { page } = await openPortal([prospect('Share')], { limit: 20, filled: 16 });
    await expectText(page.getByTestId('capacity-alert'), 'You have used 85% of your capacity. Deregister domains you no longer work on to keep room for new leads.');
    await page.getByRole('button', { name: 'Svenska' }).click();
    // Swedish puts a no-break space before the percent sign (which one depends on the ICU version).
    await expect
      .poll(async () => (await page.getByTestId('capacity-alert').textContent())?.replace(/\s/gu, ' '))
      .toBe('Du har använt 85 % av din kapacitet. Avregistrera domäner du inte längre arbetar med för att ha plats för nya leads.');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

for (const locale of ['en', 'sv'] as const) {
  test(
    `a request that gets no answer says so in the page's language, never "Failed to fetch" (${locale})`,
    async () => {
      const { page } = await openPortal([prospect(`Offline${locale}`)], { locale });
      await page.route('**/api/registrations?**', (route) => route.abort('failed'));
      await page.getByRole('searchbox', { name: WORDS[locale].search }).fill('anything');
      const alert = page.locator('.alert-danger');
      await alert.waitFor();
      const text = await alert.textContent();
      expect(text).toContain(
        locale === 'en'
          ? 'Partner Capacity could not be reached. Check your connection and try again.'
          : 'Partner Capacity gick inte att nå. Kontrollera anslutningen och försök igen.',
      );
      expect(text).not.toContain('Failed to fetch');
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
}
