// One public URL and one scope list: every place HubSpot reads them says the same, equal to the
// server's routes and to the scopes the server asks for; `npm run hubspot:configure` moves them
// all at once.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../server/config/config.js';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { configureHubSpotProject, HUBSPOT_PROJECT_DIR, hubspotProjectValues, readHubSpotProjectValues } from './hubspot-configure.js';

const copies: string[] = [];
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

function projectCopy(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'pc-configure-'));
  copies.push(copy);
  cpSync(HUBSPOT_PROJECT_DIR, copy, { recursive: true, filter: (source) => !source.includes('node_modules') });
  return copy;
}

describe('the committed HubSpot project', () => {
  const values = readHubSpotProjectValues();
  const publicUrl = values.cardBackendUrl;

  test('says the same public URL everywhere, on the server routes, with the scopes the server asks for', () => {
    expect(values).toEqual(hubspotProjectValues(publicUrl));
    expect(values.redirectUrls).toEqual([`${publicUrl}/oauth/callback`]);
    expect(values.webhookTargetUrl).toBe(`${publicUrl}/webhooks/hubspot`);
    expect(values.permittedFetchUrls).toEqual([new URL(publicUrl).origin]);
    expect(values.requiredScopes.join(' ')).toBe(loadConfig({}).HUBSPOT_SCOPES);
  });

  test('subscribes to every contact event the app handles and to each property it mirrors or reacts to', () => {
    const { legacyCrmObjects, hubEvents } = values.webhookSubscriptions;
    expect(legacyCrmObjects.filter((subscription) => subscription.subscriptionType !== 'contact.propertyChange').map((subscription) => subscription.subscriptionType)).toEqual([
      'contact.creation',
      'contact.deletion',
      'contact.merge',
      'contact.restore',
    ]);
    expect(hubEvents).toEqual([{ subscriptionType: 'contact.privacyDeletion', active: true }]);
    const properties = legacyCrmObjects
      .filter((subscription) => subscription.subscriptionType === 'contact.propertyChange')
      .map((subscription) => 'propertyName' in subscription && subscription.propertyName);
    expect(properties).toEqual([
      'email',
      'firstname',
      'lastname',
      'company',
      'website',
      'country',
      APP_PROPERTIES.trigger,
      'hs_lead_status',
      'lifecyclestage',
      'notes_last_updated',
    ]);
    expect(legacyCrmObjects.every((subscription) => subscription.active)).toBe(true);
  });
});

describe('npm run hubspot:configure', () => {
  test('writes a new public URL into every place at once', () => {
    const copy = projectCopy();
    configureHubSpotProject('https://capacity.example.com/', copy);
    const written = readHubSpotProjectValues(copy);
    expect(written).toEqual(hubspotProjectValues('https://capacity.example.com'));
    expect(written.redirectUrls).toEqual(['https://capacity.example.com/oauth/callback']);
    expect(written.webhookTargetUrl).toBe('https://capacity.example.com/webhooks/hubspot');
    expect(written.permittedFetchUrls).toEqual(['https://capacity.example.com']);
    expect(readFileSync(path.join(copy, 'src/app/cards/backend.ts'), 'utf8')).toContain("export const BACKEND_URL = 'https://capacity.example.com';");
    // What HubSpot wrote nothing about stays as it was.
    const app = JSON.parse(readFileSync(path.join(copy, 'src/app/app-hsmeta.json'), 'utf8'));
    expect(app.config.support).toEqual(JSON.parse(readFileSync(path.join(HUBSPOT_PROJECT_DIR, 'src/app/app-hsmeta.json'), 'utf8')).config.support);
  });

  test('refuses a URL HubSpot cannot call, naming what to give', async () => {
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/hubspot-configure.ts', ...args], { cwd: path.join(HUBSPOT_PROJECT_DIR, '..') });
    await expect(run('--public-url', 'http://capacity.example.com')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('HubSpot calls only https URLs') });
    await expect(run()).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run hubspot:configure -- --public-url https://capacity.example.com') });
    expect(() => configureHubSpotProject('https://localhost:3000', projectCopy())).toThrow(/HubSpot cannot reach localhost/);
  });
});
