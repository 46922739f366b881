// What the Capacity Manager's browser tests share: the whole app (HubSpot fake, server, real
// workers) under a Redis key prefix of the file's own, a portal installed in both with contacts
// in the fake and their registrations, and the card's "Manage your capacity" link for a user.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { registerContact } from '../../../server/registrations/register-contact.js';
import { CARD_API_PATHS, cardStateAnswerSchema } from '../../../extensions/src/app/cards/card-api-contract.js';
import { emulateHubSpotFetch } from '../../../extensions/testing/hubspot-fetch.js';
import { startAppRig, type AppRig } from '../../support/app-rig.js';
import { TEST_APP_ID, TEST_CLIENT_SECRET } from '../../support/hubspot.js';
import { ensureWebBuild, launchChromium } from './browser.js';

export type ProspectSeed = {
  firstname: string;
  lastname: string;
  company: string;
  country: string;
  website: string;
};

export async function startCapacityManagerRig(): Promise<AppRig> {
  return startAppRig({ env: { REDIS_KEY_PREFIX: `${inject('redisPrefix')}-browser-${randomBytes(4).toString('hex')}` } });
}

/** Contacts created in the fake, each registered through the app's own use case. */
export async function registerProspects(rig: AppRig, portalId: number, prospects: ProspectSeed[]): Promise<string[]> {
  const contacts = rig.fake.contacts.seed(portalId, prospects);
  const domains: string[] = [];
  for (const [index, contact] of contacts.entries()) {
    const prospect = prospects[index]!;
    const result = await registerContact(rig.db, {
      portalId,
      contact: {
        contactId: contact.id,
        website: prospect.website,
        firstName: prospect.firstname,
        lastName: prospect.lastname,
        company: prospect.company,
        country: prospect.country,
      },
      registeredBy: 'ann@agency.example',
      channel: 'card',
    });
    if (!result.ok) throw new Error(`Could not register ${prospect.website}: ${result.refusal.message}`);
    domains.push(result.registration.domain);
  }
  return domains;
}

/** The link the card shows under "Manage your capacity", asked for as the card asks (signed by "HubSpot"). */
export async function cardManageLink(rig: AppRig, { portalId, contactId, locale }: { portalId: number; contactId: string; locale: string }): Promise<string> {
  // Here the server's own address is its public URL (the one HubSpot would call and sign).
  const publicUrl = rig.server.url;
  const hubspotFetch = emulateHubSpotFetch({
    publicUrl,
    serverUrl: rig.server.url,
    clientSecret: TEST_CLIENT_SECRET,
    appId: TEST_APP_ID,
    portalId,
    userId: 4242,
    userEmail: 'ann@agency.example',
  });
  const answer = await hubspotFetch(`${publicUrl}${CARD_API_PATHS.state(contactId)}?locale=${locale}`);
  if (!answer.ok) throw new Error(`The card API answered ${answer.status}.`);
  const body = cardStateAnswerSchema.parse(await answer.json());
  if (body.status !== 'ready') throw new Error(`The card API answered ${body.status}.`);
  return body.state.manageLink.url;
}

export interface CapacityManagerSuite {
  readonly rig: AppRig;
  /** A portal with these prospects registered, and a page opened on the card's link for it. */
  openFromCard(prospects: ProspectSeed[], options?: { locale?: 'en-us' | 'sv-se'; bypassCSP?: boolean }): Promise<{ page: Page; portalId: number; link: string }>;
  /** A page in a fresh browser context (closed after the test). */
  newPage(options?: { locale?: string; bypassCSP?: boolean }): Promise<Page>;
}

/** Registers the file's hooks: the app and Chromium for the file, a browser context per test. */
export function capacityManagerSuite(): CapacityManagerSuite {
  let rig: AppRig;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    const [appRig, chromium] = await Promise.all([startCapacityManagerRig(), launchChromium(), ensureWebBuild()]);
    rig = appRig;
    browser = chromium;
  }, 90_000);

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await rig?.stopAll();
  });

  const newPage: CapacityManagerSuite['newPage'] = async ({ locale = 'en-US', bypassCSP = false } = {}) => {
    context = await browser.newContext({ locale, bypassCSP });
    return context.newPage();
  };

  return {
    get rig() {
      return rig;
    },
    newPage,
    async openFromCard(prospects, { locale = 'en-us', bypassCSP = false } = {}) {
      const portalId = await rig.installPortal();
      await registerProspects(rig, portalId, prospects);
      const link = await cardManageLink(rig, { portalId, contactId: rig.fake.contacts.list(portalId)[0]!.id, locale });
      const page = await newPage({ locale: locale === 'sv-se' ? 'sv-SE' : 'en-US', bypassCSP });
      await page.goto(link);
      // The link lands on the first contact's domain (the card's contact); the tests that use
      // this start from the whole list, so they leave that search (words.test.ts checks it).
      const firstDomain = new URL(prospects[0]!.website).hostname.replace(/^www\./, '');
      expect(page.url()).toBe(`${rig.server.url}/?search=${encodeURIComponent(firstDomain)}`);
      await page.goto(`${rig.server.url}/`);
      return { page, portalId, link };
    },
  };
}
