// Claim expiry in the Capacity Manager, in real Chromium, in English and Swedish, axe clean: the
// Expires column ("Never" for a claim without expiry) and its sort both ways, the status bar's
// banner leading to Expiring soon, Renew from a row (the expiry moves, the audit trail says so; a
// refusal in the page's language; disabled with its reason once no renewal is left), and the
// notice that reminders appear only here when the account did not grant the task scopes. Also:
// the waitlist's "skipped: no room" notice after a real release served by the real workers.
import { expect, test } from 'vitest';
import { REMINDER_TASK_SCOPES } from '../../server/expiry/expiry-reminders.js';
import { updateProgramSettings } from '../../server/program/program-settings.js';
import { joinWaitlist } from '../../server/waitlist/join-waitlist.js';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, screenshot } from './support/browser.js';
import { capacityManagerSuite, cardManageLink, registerProspects, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();
const DAY = 24 * 3600_000;
const POLL = { timeout: 15_000, interval: 100 };
const prospect = (name: string): ProspectSeed => ({ firstname: 'Ada', lastname: name, company: `${name} AB`, country: 'Sweden', website: `https://${name.toLowerCase()}.se/` });
/** "24 Dec 2026, 17:10" (en-GB) or "24 dec. 2026 17:10" (sv-SE): the Registered column's date and time. */
const DATE_TIME = /\d{1,2} \S+ \d{4},? \d{2}:\d{2}/;

test(
  'Expires column and sort, Expiring soon with its banner, Renew from a row and in the audit trail, the no-scope notice (en, sv)',
  async () => {
    const { rig } = suite;
    await updateProgramSettings(rig.db, { changes: { claimPeriodDays: 30, reminderDays: [14, 3], renewalsAllowed: 1 }, actor: 'test' });
    const { page, portalId } = await suite.openFromCard(['Alpha', 'Bravo', 'Charlie', 'Delta'].map(prospect));
    const expiresIn = (domain: string, days: number | null) =>
      rig.db.registration.updateMany({ where: { portalId: BigInt(portalId), domain }, data: { expiresAt: days === null ? null : new Date(Date.now() + days * DAY) } });
    await expiresIn('alpha.se', 5);
    await expiresIn('bravo.se', 40);
    await expiresIn('charlie.se', 2);
    await expiresIn('delta.se', null);

    // The registered list: the Expires column, sorted both ways, "Never" last.
    await page.goto(`${rig.server.url}/`);
    const banner = page.getByTestId('expiring-banner');
    await expectText(banner, '2 claims expire within 14 days — review');
    const domains = () => page.locator('tbody tr .domain-cell').allTextContents();
    const row = (domain: string) => page.locator('tbody tr', { has: page.locator('.domain-cell', { hasText: domain }) });
    await expectText(row('delta.se').locator('td').last(), 'Never');
    expect(await row('alpha.se').locator('.expires-cell time').textContent()).toMatch(DATE_TIME);
    await expectText(row('alpha.se').locator('.expires-cell .age'), 'in 5 days');
    await page.getByRole('button', { name: 'Expires' }).click();
    await expect.poll(domains, POLL).toEqual(['charlie.se', 'alpha.se', 'bravo.se', 'delta.se']);
    expect(new URL(page.url()).search).toBe('?sort=expiresAt&direction=asc');
    await page.getByRole('button', { name: 'Expires' }).click();
    await expect.poll(domains, POLL).toEqual(['bravo.se', 'alpha.se', 'charlie.se', 'delta.se']);
    expect(await page.getByRole('columnheader', { name: /Expires/ }).getAttribute('aria-sort')).toBe('descending');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-expires-column');

    // The banner leads to Expiring soon: the two within 14 days, soonest first, and the notice
    // that reminders stay here (the test install granted no scopes).
    await banner.getByRole('link', { name: 'review' }).click();
    await page.waitForURL(`${rig.server.url}/expiring`);
    expect(await page.getByRole('link', { name: 'Expiring soon' }).getAttribute('aria-current')).toBe('page');
    const expiringRows = page.getByTestId('expiring-row');
    await expect.poll(() => expiringRows.locator('.domain-cell').allTextContents(), POLL).toEqual(['charlie.se', 'alpha.se']);
    await expectText(
      page.getByTestId('reminders-no-scope'),
      'Reminders appear here only: this account did not grant the app access to create tasks in HubSpot, so nobody gets a reminder task before a claim expires. A HubSpot admin can install the app again and grant that access.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-expiring-soon');

    // Renew charlie.se from its row: its expiry moves a period on, it leaves the view, the banner counts one.
    await expectText(expiringRows.first().locator('.renewals-left'), '1 renewal left');
    await page.getByRole('button', { name: 'Renew charlie.se' }).click();
    const notice = page.getByTestId('renewal-notice');
    await expect.poll(async () => notice.textContent(), POLL).toMatch(new RegExp(`^charlie\\.se is renewed: it now expires ${DATE_TIME.source}\\. 0 renewals left\\.$`));
    await expect.poll(() => expiringRows.locator('.domain-cell').allTextContents(), POLL).toEqual(['alpha.se']);
    await expectText(banner, '1 claim expires within 14 days — review');
    const charlie = await rig.db.registration.findFirstOrThrow({ where: { portalId: BigInt(portalId), domain: 'charlie.se' } });
    expect(charlie.renewals).toBe(1);
    expect(charlie.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);

    // Renewed elsewhere meanwhile (another tab): the refusal says so in the page's language, and
    // the button then says why it is disabled.
    await rig.db.registration.updateMany({ where: { portalId: BigInt(portalId), domain: 'alpha.se' }, data: { renewals: 1 } });
    await page.getByRole('button', { name: 'Renew alpha.se' }).click();
    await expectText(
      notice,
      'alpha.se cannot be renewed: it has been renewed as often as your partner program allows. It ends when it expires; register it again afterwards if it is still free.',
    );
    expect(await notice.getAttribute('role')).toBe('alert');
    await expect.poll(() => page.getByRole('button', { name: 'Renew alpha.se' }).isDisabled(), POLL).toBe(true);
    await expectText(expiringRows.first().locator('.renewals-left'), 'No renewals left');
    expect(await page.getByRole('button', { name: 'Renew alpha.se' }).getAttribute('aria-describedby')).toMatch(/^renewals-left-\d+$/);
    expect(await seriousViolations(page)).toEqual([]);

    // In the registered list too: charlie.se's new expiry, and no renewal left.
    await page.getByRole('link', { name: 'Registered domains' }).click();
    await expect.poll(() => row('charlie.se').locator('.expires-cell .age').textContent(), POLL).toMatch(/^in (30|29) days$/);
    expect(await row('charlie.se').getByRole('button', { name: 'Renew charlie.se' }).isDisabled()).toBe(true);
    expect(await row('bravo.se').getByRole('button', { name: 'Renew bravo.se' }).isDisabled()).toBe(false);

    // The audit trail says who renewed it and until when.
    await page.getByRole('link', { name: 'Audit trail' }).click();
    const renewed = page.locator('tbody tr').filter({ hasText: 'Renewed' });
    await renewed.first().waitFor();
    expect(await renewed.count()).toBe(1);
    expect(await renewed.locator('td').nth(3).textContent()).toBe('charlie.se');
    expect(await renewed.locator('td').nth(4).textContent()).toMatch(new RegExp(`^now expires ${DATE_TIME.source} \\(was ${DATE_TIME.source}\\)$`));
    expect(await seriousViolations(page)).toEqual([]);

    // Swedish.
    await page.getByRole('button', { name: 'Svenska' }).click();
    const renewedSv = page.locator('tbody tr').filter({ hasText: 'Förnyad' });
    await renewedSv.first().waitFor();
    expect(await renewedSv.locator('td').nth(4).textContent()).toMatch(/^går nu ut .+ \(tidigare .+\)$/);
    await page.getByRole('link', { name: 'Registrerade domäner' }).click();
    await expectText(row('delta.se').locator('td').last(), 'Aldrig');
    // The tab opens the list in its default order; the column sorts in Swedish as well.
    await page.getByRole('button', { name: 'Går ut' }).click();
    await expectText(page.getByRole('columnheader', { name: /Går ut/ }).locator('button'), 'Går ut▲, sorterad stigande');
    await expect.poll(domains, POLL).toEqual(['alpha.se', 'charlie.se', 'bravo.se', 'delta.se']);
    await expectText(banner, '1 anspråk går ut inom 14 dagar — granska');
    await banner.getByRole('link', { name: 'granska' }).click();
    await page.waitForURL(`${rig.server.url}/expiring`);
    await expectText(
      page.getByTestId('reminders-no-scope'),
      'Påminnelser visas bara här: kontot har inte gett appen åtkomst att skapa uppgifter i HubSpot, så ingen får en påminnelseuppgift innan ett anspråk går ut. En administratör i HubSpot kan installera appen igen och ge den åtkomsten.',
    );
    await expectText(expiringRows.first().locator('.renewals-left'), 'Inga förnyelser kvar');
    expect(await page.getByRole('button', { name: 'Förnya alpha.se' }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-sv-expiring-soon');

    // The account grants the task scopes (installed again): the notice goes.
    await rig.db.hubSpotInstall.update({ where: { portalId: BigInt(portalId) }, data: { scopes: ['oauth', ...REMINDER_TASK_SCOPES], installedAt: new Date() } });
    // By its address, as a shared link or a reload opens it.
    await page.reload();
    await expect.poll(() => expiringRows.count(), POLL).toBe(1);
    expect(await page.getByTestId('reminders-no-scope').count()).toBe(0);
  },
  BROWSER_TEST_TIMEOUT_MS * 2,
);

test(
  'a domain the partner waits for, released while its capacity was full, shows as skipped in the status bar (en, sv)',
  async () => {
    const { rig } = suite;
    // The holder releases waitlisted.se from its own Capacity Manager.
    const { page, portalId: holder } = await suite.openFromCard([prospect('Waitlisted'), prospect('Kept')]);
    // The waiting partner: full (one domain, limit one), waiting for waitlisted.se through a contact of its own.
    const waiter = await rig.installPortal();
    await registerProspects(rig, waiter, [prospect('Own')]);
    await rig.db.portal.update({ where: { id: BigInt(waiter) }, data: { limitOverride: 1 } });
    const [waiting] = rig.fake.contacts.seed(waiter, [{ firstname: 'Wanda', lastname: 'Wait', company: 'Waitlisted AB', country: 'Sweden', website: 'https://waitlisted.se/' }]);
    const joined = await joinWaitlist(rig.db, {
      portalId: waiter,
      domain: 'waitlisted.se',
      contactId: waiting!.id,
      joinedBy: 'wanda@waiter.example',
      queuePrefix: rig.config.REDIS_KEY_PREFIX,
    });
    expect(joined.ok).toBe(true);

    await page
      .locator('tbody tr', { has: page.locator('.domain-cell', { hasText: 'waitlisted.se' }) })
      .getByRole('checkbox')
      .check();
    await page.getByRole('button', { name: 'Deregister', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, deregister' }).click();
    await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
    // The real workers serve the waitlist: the waiter has no room, so it is skipped and keeps its place.
    await expect
      .poll(async () => (await rig.db.waitlistEntry.findFirst({ where: { portalId: BigInt(waiter), domain: 'waitlisted.se' } }))?.skipCount, { timeout: 30_000, interval: 200 })
      .toBe(1);
    expect(await rig.db.registration.count({ where: { domain: 'waitlisted.se', status: 'active' } })).toBe(0);
    expect(holder).not.toBe(waiter);

    // The waiter opens its Capacity Manager from the card.
    await page.goto(await cardManageLink(rig, { portalId: waiter, contactId: rig.fake.contacts.list(waiter)[0]!.id, locale: 'en-us' }));
    const skipped = page.getByTestId('waitlist-skipped');
    await expectText(
      skipped,
      'waitlisted.se, which you wait for, was released while your capacity was full, so it went to the next partner on the waitlist. You keep your place: deregister domains you no longer work on to get it next time.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-waitlist-skipped');
    await page.getByRole('button', { name: 'Svenska' }).click();
    await expectText(
      skipped,
      'waitlisted.se, som du köar för, släpptes när din kapacitet var full och gick därför till nästa partner i kön. Du behåller din plats: avregistrera domäner du inte längre arbetar med för att få den nästa gång.',
    );
    expect(await seriousViolations(page)).toEqual([]);
  },
  BROWSER_TEST_TIMEOUT_MS * 2,
);
