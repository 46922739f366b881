// The Capacity Manager in real Chromium, for what must hold beyond the happy path: names that
// are HTML or script show as text, axe-core finds no serious or critical accessibility problem
// in any view, the page works with the keyboard alone, and signing in explains itself. (The
// page's security headers are checked in server/capacity-manager/capacity-manager-api.test.ts.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, expectText, focused, screenshot } from './support/browser.js';
import { cardManageLink, capacityManagerSuite, registerProspects, type ProspectSeed } from './support/capacity-manager-rig.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const XSS = {
  firstname: '<img src=x onerror="window.__pwned=\'name\'">',
  lastname: '<b>Bold</b>',
  company: '<script>window.__pwned="company"</script>Evil & Co',
  country: '"><svg onload="window.__pwned=\'country\'">',
};

/** Each test its own top-level domain: a domain registered by one portal is held for the program's other partners. */
const ordinary = (tld: string): ProspectSeed[] =>
  ['Aurora', 'Birch', 'Cedar', 'Delta', 'Ember', 'Fjord'].map((word, index) => ({
    firstname: ['Ada', 'Bo', 'Cecilia'][index % 3]!,
    lastname: 'Lind',
    company: `${word} Consulting`,
    country: index % 2 ? 'Sweden' : 'Norway',
    website: `https://${word.toLowerCase()}-consulting.${tld}`,
  }));

const suite = capacityManagerSuite();

async function signedInPage(prospects: ProspectSeed[], options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; portalId: number }> {
  const { page, portalId } = await suite.openFromCard(prospects, options);
  await page.locator('tbody .domain-cell').first().waitFor();
  return { page, portalId };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<Array<{ id: string; help: string; targets: string[] }>> {
  if (!(await page.evaluate(`'axe' in window`))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((results) => results.violations)`);
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
}

test(
  'contact names and companies containing HTML or script show as text and run nothing',
  async () => {
    // Without the page's Content-Security-Policy: the rendering alone must keep the payload inert.
    const { page } = await signedInPage([{ ...XSS, website: 'https://xss-probe.se' }, ...ordinary('fi')], { bypassCSP: true });
    const row = page.locator('tbody tr', { has: page.locator('.domain-cell', { hasText: 'xss-probe.se' }) });
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe(XSS.company);
    expect(await row.locator('td').nth(3).textContent()).toBe(`${XSS.firstname} ${XSS.lastname}`);
    expect(await row.locator('td').nth(4).textContent()).toBe(XSS.country);
    expect(await page.locator('main img, main script, main svg, main b').count()).toBe(0);
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('columnheader', { name: 'What' }).waitFor();
    await page.getByRole('link', { name: 'Registered domains' }).click();
    await row.waitFor();
    expect(await page.evaluate(`window.__pwned`)).toBeUndefined();
    await screenshot(page, 'capacity-manager-xss-as-text');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'axe-core finds no serious or critical violation in any view, nor in the dialog',
  async () => {
    const { page, portalId } = await signedInPage(ordinary('no'), { bypassCSP: true });
    await page.getByTestId('capacity-used').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('checkbox', { name: 'Select all domains on this page' }).check();
    await page.getByRole('button', { name: 'Deregister', exact: true }).click();
    await page.getByRole('dialog').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-axe-dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('columnheader', { name: 'Deregistered by' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('columnheader', { name: 'What' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-axe-audit');

    await page.getByRole('link', { name: 'Settings' }).click();
    const rule = page.getByRole('checkbox', { name: 'Register every new contact that has a website' });
    await rule.check();
    await page.getByRole('button', { name: 'Yes, turn it on' }).click();
    // Settings has two status lines (the rule's and the roles panel's): the rule's says it saved.
    await expectText(page.locator('.setting-saved').filter({ hasText: 'Saved.' }), 'Saved.');
    expect((await suite.rig.db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).autoRegisterNewContacts).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the Capacity Manager' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The check is live: a checkbox without a label is caught.
    await page.evaluate(`document.querySelector('main').append(Object.assign(document.createElement('input'), { type: 'checkbox' }))`);
    expect((await seriousViolations(page)).map((violation) => violation.id)).toContain('label');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'usable with the keyboard alone: select, Deregister, Escape cancels, Yes, deregister',
  async () => {
    const { page, portalId } = await signedInPage(ordinary('se'));
    const used = page.getByTestId('capacity-used');
    await expectText(used, '6 of 500 domains registered');

    await page.getByRole('searchbox', { name: 'Search by domain, company, contact name or country' }).focus();
    await page.keyboard.type('birch');
    await expectText(page.locator('.pager-range'), '1–1 of 1');
    // From the search box, Tab reaches the row's checkbox after the toolbar and the header controls.
    const rowBox = page.getByRole('checkbox', { name: 'Select birch-consulting.se' });
    for (let presses = 0; presses < 15 && (await focused(page)) !== 'Select birch-consulting.se'; presses += 1) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Select birch-consulting.se');
    await page.keyboard.press('Space');
    expect(await rowBox.isChecked()).toBe(true);

    for (let presses = 0; presses < 15 && (await focused(page)) !== 'Deregister'; presses += 1) await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Deregister 1 domain?' });
    await dialog.waitFor();
    expect(await focused(page)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('Deregister');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Yes, deregister');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
    // Focus moved to the job's progress, for screen readers and the keyboard.
    expect(await focused(page)).toBe('Deregistration');
    await expectText(used, '5 of 500 domains registered');
    expect(await suite.rig.db.registration.count({ where: { portalId: BigInt(portalId), domain: 'birch-consulting.se', status: 'active' } })).toBe(0);
    await screenshot(page, 'capacity-manager-keyboard');
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'signing in: a used card link explains itself and offers HubSpot sign-in; no demo sign-in outside demo mode',
  async () => {
    const { rig } = suite;
    const portalId = await rig.installPortal();
    await registerProspects(rig, portalId, ordinary('dk').slice(0, 1));
    const link = await cardManageLink(rig, { portalId, contactId: rig.fake.contacts.list(portalId)[0]!.id, locale: 'en-us' });
    await fetch(link, { redirect: 'manual' });

    const page = await suite.newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Sign in to the Capacity Manager' }).waitFor();
    await expectText(page.getByRole('alert'), 'That link was already used. Links from the card work once: choose Manage your capacity on the card again.');
    expect(await page.getByRole('link', { name: 'Sign in with HubSpot' }).getAttribute('href')).toBe('/oauth/sign-in?returnTo=/');
    expect(await page.getByRole('button', { name: 'Open the demo portal' }).count()).toBe(0);
    expect(await (await fetch(`${suite.rig.server.url}/api/demo-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    await screenshot(page, 'capacity-manager-sign-in');
  },
  BROWSER_TEST_TIMEOUT_MS,
);
