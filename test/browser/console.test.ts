// The program console in real Chromium, as an operator uses it: sign in with HubSpot (and a
// HubSpot user who is not an operator turned away with the reason), find a partner and change
// its tier through the confirmation, filter the audit, retry a failed deregistration job and
// undo it. Keyboard alone where a person would use it; axe-core finds no serious or critical
// violation in any view or dialog.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, test } from 'vitest';
import { newPortalId } from '../support/database.js';
import { startAppRig, type AppRig } from '../support/app-rig.js';
import { signInThroughCardLink } from '../../server/capacity-manager/testing/sign-in.js';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, ensureWebBuild, expectText, focused, launchChromium, screenshot } from './support/browser.js';
import { registerProspects } from './support/capacity-manager-rig.js';

const OPERATOR = 'admin@ops-browser.example';
let rig: AppRig;
let browser: Browser;
let context: BrowserContext | undefined;
let operatorAccount: number;

beforeAll(async () => {
  const [appRig, chromium] = await Promise.all([
    startAppRig({ env: { REDIS_KEY_PREFIX: `${inject('redisPrefix')}-console-${randomBytes(4).toString('hex')}`, OPERATOR_EMAILS: OPERATOR } }),
    launchChromium(),
    ensureWebBuild(),
  ]);
  rig = appRig;
  browser = chromium;
  operatorAccount = newPortalId();
  rig.fake.accounts.create({ portalId: operatorAccount, domain: 'ops-browser.example' });
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

/** Tabs until the element with this accessible name (or text) has the focus, then presses Enter. */
async function tabTo(page: Page, name: string, limit = 60): Promise<void> {
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press('Tab');
    if ((await focused(page))?.trim() === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

/** Signs in through the console's "Sign in with HubSpot", with the keyboard, as the user of `account`. */
async function signInWithHubSpot(page: Page, account: number): Promise<void> {
  rig.fake.oauth.setAuthorizingPortal(account);
  await page.goto(`${rig.server.url}/console`);
  await page.getByRole('heading', { name: 'Sign in to the program console' }).waitFor();
  await tabTo(page, 'Sign in with HubSpot');
  await page.keyboard.press('Enter');
}

async function namedPartner(name: string, prospects: number): Promise<number> {
  const portalId = await rig.installPortal({ tier: 'gold' });
  await rig.db.portal.update({ where: { id: BigInt(portalId) }, data: { name } });
  if (prospects > 0) {
    await registerProspects(
      rig,
      portalId,
      Array.from({ length: prospects }, (_, n) => ({
        firstname: 'Ada',
        lastname: 'Lind',
        company: `${name} client ${n}`,
        country: 'Sweden',
        website: `https://${name.toLowerCase().replace(/\W+/g, '-')}-client-${n}.se`,
      })),
    );
  }
  return portalId;
}

test(
  'sign-in: a HubSpot user who is not an operator is turned away with the reason; an operator gets in, keyboard only, axe clean',
  async () => {
    const page = await newPage();
    const stranger = newPortalId();
    rig.fake.accounts.create({ portalId: stranger, domain: 'some-partner.example' });
    await signInWithHubSpot(page, stranger);
    const refusal = page.getByTestId('sign-in-refused');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/not one of this program's operators/);
    expect(page.url()).toBe(`${rig.server.url}/console?signIn=not-an-operator`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-sign-in-refused');

    await signInWithHubSpot(page, operatorAccount);
    await expectText(page.locator('.topbar-user'), `Signed in as ${OPERATOR}`);
    await page
      .getByRole('columnheader', { name: /Partner/ })
      .first()
      .waitFor();
    expect(await page.title()).toBe('Program console · Partner Capacity');
    expect(await seriousViolations(page)).toEqual([]);
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'partners: search, then change the tier from the row through the confirmation (keyboard), audited with the operator email; axe clean',
  async () => {
    const fjord = await namedPartner('Fjord Partners Console', 6);
    await namedPartner('Glacier Partners Console', 2);
    const page = await newPage();
    await signInWithHubSpot(page, operatorAccount);
    await page.getByLabel('Search partners by name or portal id').fill('fjord partners console');
    const row = page.locator(`tr[data-portal-id="${fjord}"]`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await expectText(row.locator('.partner-tier'), 'Gold');
    await expectText(row.locator('.partner-limit'), '500');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: 'Tier of Fjord Partners Console' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Change the tier of Fjord Partners Console?' });
    await dialog.waitFor();
    expect(await focused(page)).toMatch(/Gold/);
    await dialog.getByLabel('Tier').selectOption('diamond');
    await expectText(dialog.getByTestId('change-effect'), 'From Gold to Diamond. The limit becomes 1,000 domains. Registrations already made are kept.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-change-tier-dialog');
    // Escape cancels and changes nothing.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await rig.db.portal.findUniqueOrThrow({ where: { id: BigInt(fjord) } })).tier).toBe('gold');

    await row.getByRole('button', { name: 'Tier of Fjord Partners Console' }).click();
    await dialog.getByLabel('Tier').selectOption('diamond');
    await dialog.getByRole('button', { name: 'Yes, change' }).focus();
    await page.keyboard.press('Enter');
    await expectText(row.locator('.partner-tier'), 'Diamond');
    await expectText(row.locator('.partner-limit'), '1,000');
    await expectText(page.getByTestId('change-notice'), `Fjord Partners Console changed. Recorded in the audit as ${OPERATOR}.`);
    const audit = await rig.db.auditEvent.findFirstOrThrow({ where: { portalId: BigInt(fjord), action: 'portal_tier_changed' } });
    expect(audit).toMatchObject({ actor: OPERATOR, details: { before: { tier: 'gold' }, after: { tier: 'diamond' } } });

    // Open the partner: what its Capacity Manager shows, read-only.
    await row.getByRole('link', { name: 'Open: Fjord Partners Console' }).click();
    await expectText(page.getByTestId('capacity-used'), '6 of 1,000 domains registered');
    await expect.poll(() => page.locator('tbody .domain-cell').count()).toBe(6);
    expect(await page.getByRole('button', { name: /Deregister/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-partner');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'audit: filters by partner, action, actor and day narrow the list, and the CSV link carries the filters; axe clean, in Swedish too',
  async () => {
    const aurora = await namedPartner('Aurora Audit Console', 1);
    const page = await newPage();
    await signInWithHubSpot(page, operatorAccount);
    const auroraRow = page.locator(`tr[data-portal-id="${aurora}"]`);
    await page.getByLabel('Search partners by name or portal id').fill(String(aurora));
    await auroraRow.getByRole('button', { name: 'Change limit: Aurora Audit Console' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the limit of Aurora Audit Console?' });
    await dialog.getByLabel('New limit (empty: the tier’s limit)').fill('75');
    await dialog.getByRole('button', { name: 'Yes, change' }).click();
    await expectText(auroraRow.locator('.partner-limit'), '75 (set by the operator)');

    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.getByLabel('Partner (portal id)').fill(String(aurora));
    await page.getByLabel('Action', { exact: true }).selectOption('portal_limit_changed');
    await page.getByLabel('Actor (exact)').fill(OPERATOR);
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('From', { exact: true }).fill(today);
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('tr.audit-row').count()).toBe(1);
    await expectText(page.locator('tr.audit-row .audit-action'), 'portal_limit_changed');
    await expectText(page.locator('tr.audit-row .audit-actor'), OPERATOR);
    const csv = new URL((await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href'))!, rig.server.url);
    expect(Object.fromEntries(csv.searchParams)).toEqual({ portalId: String(aurora), action: 'portal_limit_changed', actor: OPERATOR, from: today, to: today });
    expect(await seriousViolations(page)).toEqual([]);

    // Another actor: nothing.
    await page.getByLabel('Actor (exact)').fill('someone@else.example');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expectText(page.locator('td.empty'), 'No event matches.');

    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('button', { name: 'Filtrera' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-audit-sv');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'jobs: a failed deregistration job is retried, completes on the real workers, and is undone; the queue dashboard opens with the session',
  async () => {
    const portalId = await namedPartner('Cedar Jobs Console', 3);
    const partner = await signInThroughCardLink(rig.server.url, { portalId, userId: '9', userEmail: 'ann@agency.example' }, { env: rig.env });
    const ids = (await rig.db.registration.findMany({ where: { portalId: BigInt(portalId) }, select: { id: true } })).map((row) => row.id.toString());
    const requested = await partner.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'registrations', registrationIds: ids } } });
    const { job } = (await requested.json()) as { job: { id: string } };
    await expect.poll(async () => (await rig.db.deregistrationJob.findUniqueOrThrow({ where: { id: job.id } })).status, { timeout: 20_000 }).toBe('completed');
    // Arrangement: the job as a failure leaves it (HubSpot did not answer through every retry).
    await rig.db.deregistrationJob.update({ where: { id: job.id }, data: { status: 'failed', error: 'HubSpot did not answer (503)' } });

    const page = await newPage();
    await signInWithHubSpot(page, operatorAccount);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const row = page.locator(`tr[data-job-id="${job.id}"]`);
    await expectText(row.locator('.job-status'), 'Failed');
    expect(await row.textContent()).toContain('HubSpot did not answer (503)');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-jobs-failed');

    await row.getByRole('button', { name: 'Retry' }).focus();
    await page.keyboard.press('Enter');
    await expectText(page.getByTestId('job-notice'), 'Retried: back on the queue.');
    await expectText(row.locator('.job-status'), 'Completed');
    const retried = await rig.db.auditEvent.findFirstOrThrow({ where: { portalId: BigInt(portalId), action: 'deregistration_job_retried' } });
    expect(retried).toMatchObject({ actor: OPERATOR, jobId: job.id });

    await row.getByRole('button', { name: 'Undo' }).click();
    await expectText(page.getByTestId('job-notice'), 'Undone: 3 domains registered again.');
    await expectText(row.locator('.job-status'), 'Undone');
    expect(await rig.db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);

    const dashboard = await page.context().request.get(`${rig.server.url}/operator/queues`);
    expect(dashboard.status()).toBe(200);
    await screenshot(page, 'console-jobs-undone');
  },
  BROWSER_TEST_TIMEOUT_MS,
);
