// The operator's queue dashboard (bull-board, whose page links a Google Fonts stylesheet) loads
// everything from the app's own origin. The test records every request the browser makes, from
// the first navigation on. (The Capacity Manager page: capacity-manager-own-origin.test.ts.)
import type { Page, Request } from 'playwright-core';
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.js';
import { capacityManagerSuite } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

/** Every URL the page requests, recorded from now on. */
function recordRequests(page: Page): { urls: string[] } {
  const urls: string[] = [];
  page.on('request', (request: Request) => urls.push(request.url()));
  return { urls };
}

const elsewhere = (urls: string[], origin: string) => urls.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'));

test(
  'the queue dashboard loads nothing from another origin (bull-board links Google Fonts; the app drops it and a CSP backs that up)',
  async () => {
    const { rig } = suite;
    const origin = rig.server.url;
    const page = await suite.newPage();
    await page.setExtraHTTPHeaders({ Authorization: `Basic ${Buffer.from(`operator:${rig.config.OPERATOR_TOKEN}`).toString('base64')}` });
    const requests = recordRequests(page);
    const answer = await page.goto(`${origin}/operator/queues`);
    expect(answer?.status()).toBe(200);
    // The dashboard still works under its policy: its React app renders the queues.
    await page.getByText('webhook-events').first().waitFor({ timeout: 15_000 });
    await page.waitForLoadState('networkidle');

    expect(requests.urls.length).toBeGreaterThan(1);
    expect(elsewhere(requests.urls, origin)).toEqual([]);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
