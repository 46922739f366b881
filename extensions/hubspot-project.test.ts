// The HubSpot project in extensions/ as HubSpot's own parser reads it (the one `hs project
// upload` runs), plus what HubSpot's documentation asks that no schema can see. The broken
// copies prove each check can fail: a wrong hsmeta file is caught here, not by an upload.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { parseHubSpotProject, projectProblems } from './testing/hubspot-project/check-project.js';

const PROJECT_DIR = fileURLToPath(new URL('./', import.meta.url));
const copies: string[] = [];

afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

/** A copy of the uploadable part (hsproject.json and srcDir), changed by `breakIt`. */
function brokenCopy(breakIt: (src: string) => void): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'pc-hsproject-'));
  copies.push(copy);
  cpSync(path.join(PROJECT_DIR, 'hsproject.json'), path.join(copy, 'hsproject.json'));
  cpSync(path.join(PROJECT_DIR, 'src'), path.join(copy, 'src'), { recursive: true });
  breakIt(path.join(copy, 'src'));
  return copy;
}

// biome-ignore lint/suspicious/noExplicitAny: a HubSpot file, broken on purpose field by field
function editJson(file: string, edit: (json: any) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

const CARD_META = 'app/cards/lead-registration-card-hsmeta.json';

describe("HubSpot's parser on the project", () => {
  test('finds exactly the app, the card and the webhooks, each in its folder, with no error', () => {
    const parsed = parseHubSpotProject(PROJECT_DIR);
    expect(parsed.errors).toEqual([]);
    expect(parsed.skippedFiles).toEqual([]);
    expect(parsed.projectConfig).toEqual({ name: 'partner-capacity', srcDir: 'src', platformVersion: '2026.03' });
    expect(parsed.components.map(({ uid, type, metaFilePath }) => ({ uid, type, metaFilePath })).sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { uid: 'partner_capacity_app', type: 'APPLICATION', metaFilePath: 'app/app-hsmeta.json' },
      { uid: 'partner_capacity_lead_registration_card', type: 'CARD', metaFilePath: CARD_META },
      { uid: 'partner_capacity_webhooks', type: 'WEBHOOKS', metaFilePath: 'app/webhooks/webhooks-hsmeta.json' },
    ]);
    // The parser links the card and the webhooks to the app they belong to.
    for (const component of parsed.components.filter(({ type }) => type !== 'APPLICATION')) expect(component.dependencies.app).toBe('partner_capacity_app');
  });

  test('and nothing HubSpot documents is missing', () => {
    expect(projectProblems(PROJECT_DIR)).toEqual([]);
  });

  test('the card tests and test helpers are outside what is uploaded', () => {
    const uploaded = JSON.parse(readFileSync(path.join(PROJECT_DIR, 'hsproject.json'), 'utf8')).srcDir;
    expect(path.relative(PROJECT_DIR, fileURLToPath(import.meta.url)).startsWith(uploaded)).toBe(false);
    expect(path.relative(PROJECT_DIR, fileURLToPath(new URL('./testing/', import.meta.url))).startsWith(uploaded)).toBe(false);
  });
});

describe('a wrong project fails', () => {
  test('a card location HubSpot does not have', () => {
    const copy = brokenCopy((src) => editJson(path.join(src, CARD_META), (card) => (card.config.location = 'crm.record.side')));
    expect(projectProblems(copy)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^app\/cards\/lead-registration-card-hsmeta\.json: config\.location: must be equal to one of the allowed values/)]),
    );
  });

  test('a card on another record than contacts', () => {
    const copy = brokenCopy((src) => editJson(path.join(src, CARD_META), (card) => (card.config.location = 'crm.record.tab')));
    expect(projectProblems(copy)).toEqual([`${CARD_META}: location is crm.record.tab, expected crm.record.sidebar`]);
  });

  test('a required scope the card and the webhooks need is missing', () => {
    const copy = brokenCopy((src) =>
      editJson(
        path.join(src, 'app/app-hsmeta.json'),
        (app) => (app.config.auth.requiredScopes = app.config.auth.requiredScopes.filter((scope: string) => scope !== 'crm.objects.contacts.read')),
      ),
    );
    expect(projectProblems(copy)).toEqual(['app/app-hsmeta.json: requiredScopes lacks crm.objects.contacts.read']);
  });

  test('a required key is missing', () => {
    const copy = brokenCopy((src) => editJson(path.join(src, 'app/webhooks/webhooks-hsmeta.json'), (webhooks) => delete webhooks.config.settings.targetUrl));
    expect(projectProblems(copy)).toEqual(["app/webhooks/webhooks-hsmeta.json: Missing required field: 'config.settings.targetUrl'"]);
  });

  test('a hsmeta file in the wrong folder', () => {
    const copy = brokenCopy((src) => renameSync(path.join(src, 'app/webhooks/webhooks-hsmeta.json'), path.join(src, 'app/cards/webhooks-hsmeta.json')));
    expect(projectProblems(copy)).toEqual(
      expect.arrayContaining([expect.stringContaining("app/cards/webhooks-hsmeta.json: The directory 'app/cards' is incorrect for type 'webhooks'")]),
    );
  });

  test('a hsmeta file in a folder HubSpot does not read', () => {
    const copy = brokenCopy((src) => {
      mkdirSync(path.join(src, 'app/card'));
      renameSync(path.join(src, CARD_META), path.join(src, 'app/card/lead-registration-card-hsmeta.json'));
    });
    expect(projectProblems(copy)).toEqual([
      'app/card/lead-registration-card-hsmeta.json: HubSpot skips it (not in a folder its component table reads)',
      'expected one CARD component in app/cards/, found 0',
    ]);
  });

  test('an invalid uid', () => {
    const copy = brokenCopy((src) => editJson(path.join(src, CARD_META), (card) => (card.uid = 'lead registration card')));
    expect(projectProblems(copy)).toEqual(expect.arrayContaining([expect.stringMatching(/^app\/cards\/lead-registration-card-hsmeta\.json: .*uid/i)]));
  });

  test('a card without its package.json', () => {
    const copy = brokenCopy((src) => rmSync(path.join(src, 'app/cards/package.json')));
    expect(projectProblems(copy)).toEqual([`${CARD_META}: no package.json beside the entrypoint (HubSpot installs the card's dependencies from it)`]);
  });
});
