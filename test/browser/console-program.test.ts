// The program console's program pages in real Chromium: change the claim period through the
// preview and its confirmation (keyboard only), resolve a conflict for a chosen partner and then
// "keep the earliest for all", read the longest waitlists, and read each partner's HubSpot usage
// with its 5xx. Every view and dialog is reached with the keyboard, and axe-core finds no
// serious or critical violation in them, in English and Swedish.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, test } from 'vitest';
import { fillCapacity, newPortalId } from '../support/database.js';
import { startAppRig, type AppRig } from '../support/app-rig.js';
import { hubspotProcess } from '../support/hubspot.js';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, ensureWebBuild, expectText, focused, launchChromium, screenshot } from './support/browser.js';

const OPERATOR = 'admin@ops-program-browser.example';
let rig: AppRig;
let browser: Browser;
let context: BrowserContext | undefined;
let operatorAccount: number;

beforeAll(async () => {
  const [appRig, chromium] = await Promise.all([
    startAppRig({ env: { REDIS_KEY_PREFIX: `${inject('redisPrefix')}-console-program-${randomBytes(4).toString('hex')}`, OPERATOR_EMAILS: OPERATOR } }),
    launchChromium(),
    ensureWebBuild(),
  ]);
  rig = appRig;
  browser = chromium;
  operatorAccount = newPortalId();
  rig.fake.accounts.create({ portalId: operatorAccount, domain: 'ops-program-browser.example' });
}, 90_000);
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await rig?.stopAll();
});

async function newPage(locale = 'en-US'): Promise<Page> {
  context = await browser.newContext({ locale });
  return context.newPage();
}

/** Tabs until the element with this accessible name (or text) has the focus. */
async function tabTo(page: Page, name: string, limit = 80): Promise<void> {
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press('Tab');
    if ((await focused(page))?.trim() === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

async function signIn(page: Page): Promise<void> {
  rig.fake.oauth.setAuthorizingPortal(operatorAccount);
  await page.goto(`${rig.server.url}/console`);
  await tabTo(page, 'Sign in with HubSpot');
  await page.keyboard.press('Enter');
  await expectText(page.locator('.topbar-user'), `Signed in as ${OPERATOR}`);
}

async function namedPartner(name: string): Promise<number> {
  const portalId = await rig.installPortal({ tier: 'gold' });
  await rig.db.portal.update({ where: { id: BigInt(portalId) }, data: { name } });
  return portalId;
}

/** Arrangement: an active registration of `domain` for `portalId`, made `daysAgo` days ago (as before exclusive claims). */
async function holdDomain(portalId: number, domain: string, daysAgo: number): Promise<void> {
  await rig.db.$executeRaw`
    INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel, registered_at)
    VALUES (${BigInt(portalId)}, ${domain}, ${`https://${domain}`}, ${`held-${portalId}`}, ${domain}, 'test', 'operator', now() - make_interval(days => ${daysAgo}))`;
}

test(
  'program settings: a claim period, previewed ("… would get an expiry date; none sooner than 14 days") and confirmed with the keyboard, saved and audited; axe clean',
  async () => {
    const portalId = await namedPartner('Settings Preview Agency');
    await fillCapacity(rig.db, portalId, 5);
    await rig.db.registration.updateMany({ where: { portalId: BigInt(portalId) }, data: { registeredAt: new Date(Date.now() - 20 * 86_400_000) } });
    const claims = await rig.db.registration.count({ where: { status: 'active', expiresAt: null } });

    const page = await newPage();
    await signIn(page);
    await tabTo(page, 'Program settings');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Program settings', level: 2 }).waitFor();
    expect(page.url()).toBe(`${rig.server.url}/console/settings`);
    await page.getByRole('radio', { name: 'None: claims never expire' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Exclusive: a domain is held by one partner at a time' }).isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // Nothing edited: nothing to review.
    await tabTo(page, 'Review the change');
    await page.keyboard.press('Enter');
    await expectText(page.getByTestId('settings-notice'), 'Nothing to save: every setting is as it is now.');

    await page.getByRole('radio', { name: 'None: claims never expire' }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'A number of days' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('claim-period-days');
    await page.keyboard.type('30');
    await tabTo(page, 'Review the change');
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Save the program settings?' });
    await dialog.waitFor();
    const effects = (await dialog.getByTestId('settings-effects').textContent())!;
    expect(effects).toMatch(new RegExp(`^${claims} claims would get an expiry date; none sooner than 14 days from now \\(.+\\)\\.$`));
    expect(await focused(page)).toBe('Cancel');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-program-settings-preview');
    // Escape cancels: nothing saved.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await rig.db.programSettings.findUnique({ where: { id: 1 } }))?.claimPeriodDays ?? null).toBeNull();
    expect(await rig.db.registration.count({ where: { portalId: BigInt(portalId), expiresAt: { not: null } } })).toBe(0);

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Yes, save');
    await page.keyboard.press('Enter');
    await expectText(page.getByTestId('settings-notice'), `Saved. Recorded in the program’s audit as ${OPERATOR}.`);
    expect(await rig.db.programSettings.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ claimPeriodDays: 30, updatedBy: OPERATOR });
    expect(await rig.db.registration.count({ where: { portalId: BigInt(portalId), expiresAt: { not: null } } })).toBe(5);
    expect(await rig.db.programAuditEvent.findFirstOrThrow({ where: { action: 'program_settings_changed' } })).toMatchObject({
      actor: OPERATOR,
      details: { after: { claimPeriodDays: 30 } },
    });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('heading', { name: 'Programinställningar', level: 2 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'conflicts: keep a chosen partner for one domain through the confirmation (keyboard), then keep the earliest for all; the longest waitlists with their holders; axe clean',
  async () => {
    const [fjord, glacier, aurora] = [await namedPartner('Fjord Conflict Agency'), await namedPartner('Glacier Conflict Agency'), await namedPartner('Aurora Conflict Agency')];
    await holdDomain(fjord, 'nordkonflikt.se', 30);
    await holdDomain(glacier, 'nordkonflikt.se', 20);
    await holdDomain(aurora, 'nordkonflikt.se', 10);
    await holdDomain(glacier, 'sydkonflikt.se', 8);
    await holdDomain(aurora, 'sydkonflikt.se', 4);
    await holdDomain(fjord, 'vantelista.se', 12);
    await rig.db.waitlistEntry.createMany({
      data: [glacier, aurora].map((portalId, n) => ({ domain: 'vantelista.se', portalId: BigInt(portalId), contactId: `w${n}`, joinedBy: 'ann@agency.example' })),
    });

    const page = await newPage();
    await signIn(page);
    await tabTo(page, 'Conflicts and waitlists');
    await page.keyboard.press('Enter');
    const north = page.locator('tr[data-domain="nordkonflikt.se"]');
    await north.waitFor();
    expect((await north.locator('.holder-list li').allTextContents()).map((text) => text.split(' (')[0])).toEqual([
      'Fjord Conflict Agency',
      'Glacier Conflict Agency',
      'Aurora Conflict Agency',
    ]);
    const waitlist = page.locator('tr[data-waitlist="vantelista.se"]');
    expect(await waitlist.textContent()).toContain('Fjord Conflict Agency');
    await expectText(waitlist.locator('td.numeric'), '2');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-conflicts');

    await tabTo(page, 'Keep Glacier Conflict Agency for nordkonflikt.se');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Resolve nordkonflikt.se?' });
    await dialog.waitFor();
    await expectText(
      dialog.getByTestId('conflict-effect'),
      'Glacier Conflict Agency keeps the domain. Fjord Conflict Agency, Aurora Conflict Agency lose it: their registrations end and their contacts are updated in HubSpot.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Yes, resolve');
    await page.keyboard.press('Enter');
    await expectText(page.getByTestId('conflicts-notice'), 'nordkonflikt.se: Glacier Conflict Agency keeps it. Other holders’ registrations being ended: 2 (see Jobs).');
    await north.waitFor({ state: 'detached' });
    expect(await rig.db.programAuditEvent.findFirstOrThrow({ where: { action: 'conflict_resolved' } })).toMatchObject({
      actor: OPERATOR,
      details: { domain: 'nordkonflikt.se', keptPortalId: glacier },
    });
    // The real workers end the others' registrations.
    await expect
      .poll(async () => (await rig.db.registration.findMany({ where: { domain: 'nordkonflikt.se', status: 'active' } })).map((held) => Number(held.portalId)), { timeout: 20_000 })
      .toEqual([glacier]);

    await page.getByRole('button', { name: 'Keep the earliest for all' }).click();
    const all = page.getByRole('dialog', { name: 'Keep the earliest registration of every conflicted domain (1)?' });
    await all.waitFor();
    await all.getByRole('button', { name: 'Yes, resolve' }).click();
    await expectText(page.getByTestId('conflicts-notice'), 'Conflicts resolved: 1. Their deregistration jobs are under way (see Jobs).');
    await expectText(page.locator('tbody td.empty').first(), 'No domain is held by more than one partner.');
    await expect
      .poll(async () => (await rig.db.registration.findMany({ where: { domain: 'sydkonflikt.se', status: 'active' } })).map((held) => Number(held.portalId)), { timeout: 20_000 })
      .toEqual([glacier]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('heading', { name: 'Längsta väntelistorna' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  "HubSpot usage: each partner's calls in the last 10 s and the last hour with its 5xx, from another process; axe clean",
  async () => {
    const portalId = await namedPartner('Usage Calling Agency');
    const [contact] = rig.fake.contacts.seed(portalId, [{ email: 'buyer@usage-calling.se', website: 'https://usage-calling.se' }]);
    // Another process of the app calls HubSpot: HubSpot answers 503 twice, then the call goes through.
    const other = hubspotProcess(rig, rig.db);
    try {
      rig.fake.faults.failNext(2, { status: 503 });
      await other.hubspot.api.forPortal(portalId, 'sync').getContact(contact!.id, ['email']);
    } finally {
      rig.fake.faults.clear();
      await other.close();
    }

    const page = await newPage();
    await signIn(page);
    await tabTo(page, 'HubSpot usage');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'HubSpot usage', level: 2 }).waitFor();
    expect(page.url()).toBe(`${rig.server.url}/console/hubspot-usage`);
    const row = page.locator(`tr[data-portal-id="${portalId}"]`);
    await row.waitFor();
    expect(await row.locator('th').textContent()).toBe(`Usage Calling Agency (${portalId})`);
    await expectText(row.locator('[data-column="serverErrors"]'), '2');
    expect(Number(await row.locator('[data-column="last10s"]').textContent())).toBeGreaterThanOrEqual(3);
    expect(Number(await row.locator('[data-column="lastHour"]').textContent())).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.setting-hint').first().textContent()).toContain('against a budget of');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-hubspot-usage');

    await tabTo(page, 'Refresh');
    await page.keyboard.press('Enter');
    await row.waitFor();
    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('columnheader', { name: 'Senaste timmen' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
