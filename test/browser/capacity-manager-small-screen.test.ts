// The Capacity Manager on a 390 px phone screen and with the keyboard, in real Chromium: no view
// scrolls the page sideways (measured: the document's scroll width), the table scrolls in its own
// box with its screen-reader-only text inside it, the top bar wraps, the dialog fits with both
// buttons on screen; a skip link leads to the table; after sign-in focus is on the page's heading
// and after Undo on what the undo did. English and Swedish, axe clean.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, focused, screenshot } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();
const PHONE = { width: 390, height: 844 };

/** Each test its own domains: a domain registered by one portal is held for the program's other partners. */
const prospects = (tag: string): ProspectSeed[] =>
  ['Aurora', 'Birch', 'Cedar', 'Delta'].map((word) => ({
    firstname: 'Alexandra',
    lastname: `${word}-Vandersloot`,
    company: `${word} International Consulting Group AB`,
    country: 'Sweden',
    website: `https://${tag}-${word.toLowerCase()}-international-consulting-group.se/`,
  }));

/** How far the page scrolls sideways (0: not at all), and what sticks out. */
async function sidewaysOverflow(page: Page): Promise<{ overflow: number; outside: string[] }> {
  return page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll('body *')]
      .filter((element) => { const box = element.getBoundingClientRect(); return box.width > 0 && box.right > width + 0.5 && !element.closest('.table-wrap'); })
      .map((element) => element.tagName.toLowerCase() + (element.className ? '.' + String(element.className).split(' ').join('.') : ''));
    return { overflow: document.documentElement.scrollWidth - width, outside: outside.slice(0, 5) };
  })()`);
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await sidewaysOverflow(page)).toEqual({ overflow: 0, outside: [] });
}

/** Whether the element is entirely inside the viewport. */
async function onScreen(selector: ReturnType<Page['locator']>): Promise<boolean> {
  const box = await selector.boundingBox();
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height;
}

test(
  'at 390 px: no view scrolls sideways, the table scrolls in its box, the top bar wraps, the dialog fits; focus after Undo',
  async () => {
    const { page } = await suite.openFromCard(prospects('phone'));
    await page.setViewportSize(PHONE);
    await page.locator('tbody .domain-cell').first().waitFor();
    await expectNoSidewaysScroll(page);
    // The table is wider than the screen and scrolls in its own box; its hidden caption stays in it.
    expect(await page.evaluate(`(() => { const box = document.getElementById('main-table'); return box.scrollWidth > box.clientWidth; })()`)).toBe(true);
    // The top bar wraps: every part of it stays inside it.
    expect(
      await page.evaluate(
        `(() => { const bar = document.querySelector('.topbar'); return [...bar.querySelectorAll('*')].every((part) => part.getBoundingClientRect().right <= bar.getBoundingClientRect().right); })()`,
      ),
    ).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-390-registered');

    await page.getByRole('checkbox', { name: 'Select all domains on this page' }).check();
    await page.getByRole('button', { name: 'Deregister', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await onScreen(dialog)).toBe(true);
    expect(await onScreen(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    expect(await onScreen(dialog.getByRole('button', { name: 'Yes, deregister' }))).toBe(true);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'capacity-manager-390-dialog');
    await dialog.getByRole('button', { name: 'Yes, deregister' }).click();
    await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('job-panel').getByRole('button', { name: 'Undo' }).click();
    await expectText(page.getByTestId('job-status'), '4 domains registered again.');
    expect(await page.evaluate(`document.activeElement?.getAttribute('data-testid')`)).toBe('job-status');
    await expectNoSidewaysScroll(page);

    for (const view of ['History', 'Audit trail', 'Settings']) {
      await page.getByRole('link', { name: view }).click();
      await page.locator('.panel').first().waitFor();
      await page.waitForLoadState('networkidle');
      await expectNoSidewaysScroll(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `capacity-manager-390-${view.toLowerCase().replace(' ', '-')}`);
    }

    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('link', { name: 'Registrerade domäner' }).click();
    await page.locator('tbody .domain-cell').first().waitFor();
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'capacity-manager-390-sv-registered');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in i Kapacitetshanteraren' }).waitFor();
    await expectNoSidewaysScroll(page);
  },
  // Five views, each measured and checked by axe, on a machine shared with other test runs.
  2 * BROWSER_TEST_TIMEOUT_MS,
);

test(
  'after sign-in focus is on the heading; the skip link leads to the table (en, sv)',
  async () => {
    const { page } = await suite.openFromCard(prospects('keys'));
    await page.locator('tbody .domain-cell').first().waitFor();
    expect(await focused(page)).toBe('Capacity Manager');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Skip to the table');
    await screenshot(page, 'capacity-manager-skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(`document.activeElement?.id`)).toBe('main-table');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Select all domains on this page');

    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('link', { name: 'Historik' }).click();
    await page.getByRole('link', { name: 'Hoppa till tabellen' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(`document.activeElement?.id`)).toBe('main-table');
    expect(await page.evaluate(`document.activeElement?.querySelector('caption')?.textContent`)).toMatch(/^Avregistrerade domäner/);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
