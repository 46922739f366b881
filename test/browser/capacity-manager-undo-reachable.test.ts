// Undo stays reachable for its whole 15 minutes, in real Chromium: after a reload (the job's
// progress panel is gone), from another tab, from History's list of recent jobs and from the job
// column of the deregistered domains; focus lands on what the undo did; once the window has
// passed, no Undo is offered. In English and Swedish; axe clean in the views with the list.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, screenshot } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

/** Each test its own domains: a domain registered by one portal is held for the program's other partners. */
const prospects = (tag: string): ProspectSeed[] =>
  ['Aurora', 'Birch', 'Cedar', 'Delta'].map((word) => ({
    firstname: 'Ada',
    lastname: word,
    company: `${word} AB`,
    country: 'Sweden',
    website: `https://${tag}${word.toLowerCase()}.se/`,
  }));

/** Selects the rows of these domains, deregisters them and waits for the job to finish. */
async function deregister(page: Page, domains: string[], words: { deregister: string; yes: string }): Promise<void> {
  for (const domain of domains)
    await page
      .locator('tbody tr', { has: page.locator('.domain-cell', { hasText: domain }) })
      .getByRole('checkbox')
      .check();
  await page.getByRole('button', { name: words.deregister, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: words.yes }).click();
  await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
}

const focusedTestId = (page: Page) => page.evaluate(`document.activeElement?.getAttribute('data-testid') ?? null`);

test(
  'after a reload and from another tab: Undo from the list of undoable jobs and from History; focus on the outcome',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard(prospects(''));
    const used = page.getByTestId('capacity-used');
    await expectText(used, '4 of 500 domains registered');
    await deregister(page, ['aurora.se', 'birch.se'], { deregister: 'Deregister', yes: 'Yes, deregister' });
    await expectText(used, '2 of 500 domains registered');

    // A reload: the progress panel is gone, the job is still undoable from the list.
    await page.reload();
    const undoable = page.getByTestId('undoable-jobs');
    await undoable.getByRole('heading', { name: 'Deregistrations you can still undo' }).waitFor();
    expect(await page.getByTestId('job-panel').count()).toBe(0);
    expect(await undoable.locator('tbody tr').count()).toBe(1);
    await expectText(undoable.locator('tbody tr td').nth(1), '2 domains');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-undoable-after-reload');

    // Another tab deregisters one more: this tab shows it once it is back in view.
    const other = await page.context().newPage();
    await other.goto(rig.server.url);
    await deregister(other, ['cedar.se'], { deregister: 'Deregister', yes: 'Yes, deregister' });
    await page.bringToFront();
    await page.evaluate(`window.dispatchEvent(new Event('focus'))`);
    await expect.poll(() => undoable.locator('tbody tr').count()).toBe(2);

    // From History in the other tab: the recent jobs list, and the job column's Undo.
    await other.getByRole('link', { name: 'History' }).click();
    const recent = other.getByTestId('recent-jobs');
    await recent.getByRole('heading', { name: 'Recent deregistrations' }).waitFor();
    await expect.poll(() => recent.locator('tbody tr').count()).toBe(2);
    await other.locator('tbody tr', { has: other.locator('.domain-cell', { hasText: 'cedar.se' }) }).waitFor();
    expect(await seriousViolations(other)).toEqual([]);
    await screenshot(other, 'capacity-manager-history-recent-jobs');
    const cedarRow = other.locator('tbody tr', { has: other.locator('.domain-cell', { hasText: 'cedar.se' }) });
    await cedarRow.getByRole('button', { name: /^Undo job / }).click();
    await expectText(recent.getByTestId('undo-outcome'), '1 domain registered again.');
    expect(await focusedTestId(other)).toBe('undo-outcome');
    await expect.poll(() => cedarRow.count()).toBe(0);
    await expectText(other.getByTestId('capacity-used'), '2 of 500 domains registered');

    // The other job from the recent list.
    await recent.getByRole('button', { name: /^Undo the deregistration of 2 domains/ }).click();
    await expectText(recent.getByTestId('undo-outcome'), '2 domains registered again.');
    await expectText(other.getByTestId('capacity-used'), '4 of 500 domains registered');
    await expect.poll(() => recent.locator('tbody tr td:nth-child(4)').allTextContents()).toEqual([expect.stringMatching(/^Undone at /), expect.stringMatching(/^Undone at /)]);
    expect(await recent.getByRole('button', { name: /^Undo/ }).count()).toBe(0);
    expect(await rig.db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(4);
    await other.close();
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'in Swedish, and once the 15 minutes have passed no Undo is offered',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard(prospects('sv-'), { locale: 'sv-se' });
    await deregister(page, ['delta.se'], { deregister: 'Avregistrera', yes: 'Ja, avregistrera' });
    await page.reload();
    const undoable = page.getByTestId('undoable-jobs');
    await undoable.getByRole('heading', { name: 'Avregistreringar du kan ångra' }).waitFor();
    await undoable.getByRole('button', { name: /^Ångra avregistreringen av 1 domän \(möjligt till / }).waitFor();
    await page.getByRole('link', { name: 'Historik' }).click();
    await page.getByTestId('recent-jobs').getByRole('heading', { name: 'Senaste avregistreringar' }).waitFor();
    await page.getByRole('button', { name: /^Ångra jobb / }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-sv-history-recent-jobs');

    // The job finished 16 minutes ago: no Undo anywhere, the job stays listed as done.
    await rig.db.$executeRaw`UPDATE deregistration_jobs SET finished_at = now() - interval '16 minutes' WHERE portal_id = ${BigInt(portalId)}`;
    await page.reload();
    const recent = page.getByTestId('recent-jobs');
    await expectText(recent.locator('tbody tr td:nth-child(4)'), 'Klar');
    await page.locator('tbody tr', { has: page.locator('.domain-cell', { hasText: 'delta.se' }) }).waitFor();
    expect(await page.getByRole('button', { name: /^Ångra/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'Registrerade domäner' }).click();
    await page.locator('tbody .domain-cell').first().waitFor();
    expect(await page.getByTestId('undoable-jobs').count()).toBe(0);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
