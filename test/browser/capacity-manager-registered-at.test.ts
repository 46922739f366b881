// When each domain was registered, in real Chromium: date and time and its age ("3 months ago",
// "för 3 månader sedan"), and the registered-before filter — in the address like the rest of the
// list, in the export link, and in "select all matching", which deregisters only what it shows.
import { expect, test } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, screenshot } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

const OLD = ['Alfa', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf', 'Hotel', 'India', 'Juliett', 'Kilo'];
const prospect = (name: string): ProspectSeed => ({ firstname: 'Ada', lastname: name, company: `${name} AB`, country: 'Sweden', website: `https://${name.toLowerCase()}.se/` });
const DAY_MS = 24 * 3600_000;

/** A day in the local calendar, as a date input takes it. */
function localDay(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

test(
  'date, time and age of each registration; registered-before in the address and the export; select all matching deregisters only those (en, sv)',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard([...OLD, 'Lima', 'Mike', 'Oscar'].map(prospect));
    // Eleven registered 95 days ago, one 800 days ago; lima.se and mike.se today.
    await rig.db
      .$executeRaw`UPDATE registrations SET registered_at = now() - interval '95 days' WHERE portal_id = ${BigInt(portalId)} AND domain = ANY(${OLD.map((name) => `${name.toLowerCase()}.se`)})`;
    await rig.db.$executeRaw`UPDATE registrations SET registered_at = now() - interval '800 days' WHERE portal_id = ${BigInt(portalId)} AND domain = 'oscar.se'`;
    await page.goto(`${rig.server.url}/?sort=domain&direction=asc&size=50`);
    const row = (domain: string) => page.locator('tbody tr', { has: page.locator('.domain-cell', { hasText: domain }) });
    await expectText(row('alfa.se').locator('.age'), '3 months ago');
    await expectText(row('oscar.se').locator('.age'), '2 years ago');
    expect(await row('lima.se').locator('.age').textContent()).toMatch(/^(now|\d+ seconds? ago|1 minute ago)$/);
    // Date and time: "21 Aug 2026, 17:10".
    expect(await row('alfa.se').locator('time').textContent()).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2}$/);

    const before = localDay(Date.now() - 30 * DAY_MS);
    await page.getByLabel('Registered before').fill(before);
    await expectText(page.locator('.pager-range'), '1–12 of 12');
    expect(new URL(page.url()).searchParams.get('before')).toBe(before);
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain(
      `registeredBefore=${encodeURIComponent(new Date(`${before}T00:00:00`).toISOString())}`,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-registered-before');

    await page.reload();
    await expectText(page.locator('.pager-range'), '1–12 of 12');
    expect(await page.getByLabel('Registered before').inputValue()).toBe(before);

    await page.getByRole('button', { name: 'Svenska' }).click();
    await expectText(row('alfa.se').locator('.age'), 'för 3 månader sedan');
    await expectText(row('oscar.se').locator('.age'), 'för 2 år sedan');
    expect(await page.getByLabel('Registrerad före').inputValue()).toBe(before);
    await screenshot(page, 'capacity-manager-sv-registered-before');
    await page.getByRole('button', { name: 'English' }).click();

    // Ten a page: select the page, then all twelve matching; only those are deregistered.
    await page.getByLabel('Domains per page').selectOption('10');
    await expectText(page.locator('.pager-range'), '1–10 of 12');
    await page.getByRole('checkbox', { name: 'Select all domains on this page' }).check();
    await page.getByRole('button', { name: 'Select all 12 domains matching this search' }).click();
    await page.getByRole('button', { name: 'Deregister', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deregister 12 domains?' });
    await expect.poll(() => dialog.getByTestId('dialog-domains').locator('li').count()).toBe(12);
    expect(await dialog.locator('.dialog-list-heading').textContent()).toBe(
      `All 12 registered domains, registered before ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date(`${before}T00:00:00`))}`,
    );
    await dialog.getByRole('button', { name: 'Yes, deregister' }).click();
    await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
    const active = await rig.db.registration.findMany({ where: { portalId: BigInt(portalId), status: 'active' }, select: { domain: true }, orderBy: { domain: 'asc' } });
    expect(active.map((registration) => registration.domain)).toEqual(['lima.se', 'mike.se']);

    await page.getByRole('button', { name: 'Clear the date' }).click();
    await expectText(page.locator('.pager-range'), '1–2 of 2');
    expect(new URL(page.url()).searchParams.get('before')).toBeNull();
  },
  BROWSER_TEST_TIMEOUT_MS,
);
