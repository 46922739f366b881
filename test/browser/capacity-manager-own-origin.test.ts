// The Capacity Manager loads everything from its own origin: its font (Lexend Deca, self-hosted
// from @fontsource/lexend-deca) and its favicon. The test records every request the browser
// makes, from the first navigation on. (The queue dashboard: operator-dashboard-origin.test.ts.)
import type { Page, Request } from 'playwright-core';
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.js';
import { capacityManagerSuite, cardManageLink, registerProspects } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

/** Every URL the page requests, recorded from now on. */
function recordRequests(page: Page): { urls: string[] } {
  const urls: string[] = [];
  page.on('request', (request: Request) => urls.push(request.url()));
  return { urls };
}

const elsewhere = (urls: string[], origin: string) => urls.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'));

test(
  'the Capacity Manager loads its Lexend Deca font and its favicon from its own origin, and nothing from anywhere else',
  async () => {
    const { rig } = suite;
    const origin = rig.server.url;
    const portalId = await rig.installPortal();
    await registerProspects(rig, portalId, [{ firstname: 'Ada', lastname: 'Lind', company: 'Åre Fjällbyrå', country: 'Sweden', website: 'https://are-fjallbyra.se' }]);
    const link = await cardManageLink(rig, { portalId, contactId: rig.fake.contacts.list(portalId)[0]!.id, locale: 'en-us' });
    const page = await suite.newPage();
    const requests = recordRequests(page);
    await page.goto(link);
    await page.locator('tbody .domain-cell').first().waitFor();
    await page.evaluate('document.fonts.ready');

    expect(await page.evaluate(`document.fonts.check('16px "Lexend Deca"')`)).toBe(true);
    expect(await page.evaluate(`getComputedStyle(document.body).fontFamily`)).toMatch(/^"Lexend Deca"/);
    const fonts = requests.urls.filter((url) => url.endsWith('.woff2'));
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((url) => url.startsWith(`${origin}/assets/lexend-deca-`))).toBe(true);

    const icon = await page.evaluate<string | null>(`document.querySelector('link[rel="icon"]')?.href ?? null`);
    expect(icon).toMatch(new RegExp(`^${origin}/assets/favicon-[\\w-]+\\.svg$`));
    const answer = await fetch(icon!);
    expect([answer.status, answer.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);

    expect(elsewhere(requests.urls, origin)).toEqual([]);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
