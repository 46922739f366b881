// The action bar sticks, in real Chromium: scrolled to the bottom of a 100-row page, the
// Deregister button and the selected count are still on screen.
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, expectText } from './support/browser.js';
import { capacityManagerSuite } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

test(
  'scrolled to the bottom of a 100-row page, Deregister and the selected count are still in view',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard([{ firstname: 'Ada', lastname: 'Lovelace', company: 'Lovelace AB', country: 'Sweden', website: 'https://lovelace.se/' }]);
    await rig.db.$executeRaw`
      INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel)
      SELECT ${BigInt(portalId)}, 'filled-' || n || '.se', 'https://filled-' || n || '.se', 'seed-' || n, 'filled-' || n || '.se', 'test', 'operator'
      FROM generate_series(1, 120) AS n`;
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${rig.server.url}/?size=100`);
    await expect.poll(() => page.locator('tbody .domain-cell').count()).toBe(100);
    await page.getByRole('checkbox', { name: 'Select all domains on this page' }).check();
    await expectText(page.locator('.selected-count'), '100 selected');

    // (Expressions as strings: this file is type-checked for Node, without the DOM's types.)
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    await expect.poll(() => page.evaluate<number>('window.scrollY')).toBeGreaterThan(1000);
    await expect.poll(() => page.locator('tbody tr').last().isVisible()).toBe(true);
    const inView = async (selector: string) => {
      const box = await page.locator(selector).boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 720;
    };
    expect(await inView('.toolbar .button-danger')).toBe(true);
    expect(await inView('.selected-count')).toBe(true);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
