// Roles inside a partner in real Chromium: a user of the portal who is neither its admin nor
// chosen by the admin sees Deregister and the settings disabled with the sentence that says whom
// to ask (English and Swedish, axe clean); once the admin allows them, they can; the admin
// chooses users in Settings (audited).
import { expect, test } from 'vitest';
import { grantManager, setPortalAdmin } from '../../server/portals/portal-roles.js';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, screenshot } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

const PROSPECTS: ProspectSeed[] = ['Aurora', 'Birch'].map((word) => ({
  firstname: 'Ada',
  lastname: word,
  company: `${word} AB`,
  country: 'Sweden',
  website: `https://roles-${word.toLowerCase()}.se/`,
}));

// The card's link signs in ann@agency.example (capacity-manager-rig.ts).
const ANN = 'ann@agency.example';

test(
  'a member sees Deregister and the settings disabled with whom to ask (en, sv); allowed by the admin, they can',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard(PROSPECTS);
    await setPortalAdmin(rig.db, { portalId, userId: '1', email: 'boss@agency.example', actor: 'install' });
    await grantManager(rig.db, { portalId, userId: null, email: 'cy@agency.example', actor: 'boss@agency.example' });
    await page.reload();

    const deregister = page.getByRole('button', { name: 'Deregister' });
    await page
      .getByRole('checkbox', { name: /Select/ })
      .first()
      .check();
    const sentence = 'Only this account’s admin and the users they choose may deregister and change settings: ask boss@agency.example or cy@agency.example.';
    await expectText(page.getByTestId('role-refusal'), sentence);
    expect(await deregister.isDisabled()).toBe(true);
    expect(await deregister.getAttribute('aria-describedby')).toBe('deregister-refusal');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-roles-member');

    await page.getByRole('link', { name: 'Settings' }).click();
    const rule = page.getByRole('checkbox', { name: 'Register every new contact that has a website' });
    await expectText(page.getByTestId('role-refusal'), sentence);
    expect(await rule.isDisabled()).toBe(true);
    expect(await page.getByText('Admin: boss@agency.example').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Allow' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Svenska' }).click();
    await expectText(
      page.getByTestId('role-refusal'),
      'Bara kontots administratör och de användare hen väljer får avregistrera och ändra inställningar: fråga boss@agency.example eller cy@agency.example.',
    );
    expect(await page.getByRole('checkbox', { name: 'Registrera varje ny kontakt som har en webbplats' }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-sv-roles-member');
    await page.getByRole('button', { name: 'English' }).click();

    // The admin allows ann: after a reload the same page lets her.
    await grantManager(rig.db, { portalId, userId: null, email: ANN, actor: 'boss@agency.example' });
    await page.reload();
    await page.getByText('You may deregister and change settings.').waitFor();
    expect(await page.getByTestId('role-refusal').count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'Register every new contact that has a website' }).isDisabled()).toBe(false);
    await page.getByRole('link', { name: 'Registered domains' }).click();
    await page
      .getByRole('checkbox', { name: /Select/ })
      .first()
      .check();
    await expect.poll(() => page.getByRole('button', { name: 'Deregister' }).isDisabled()).toBe(false);
  },
  BROWSER_TEST_TIMEOUT_MS,
);

test(
  'the admin chooses a user in Settings and takes it back (audited, axe clean)',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard(PROSPECTS.map((prospect) => ({ ...prospect, website: prospect.website.replace('roles-', 'roles-admin-') })));
    await setPortalAdmin(rig.db, { portalId, userId: '4242', email: ANN, actor: 'install' });
    await page.reload();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('You are the admin.').waitFor();
    await page.getByLabel('User', { exact: true }).fill('bo@agency.example');
    await page.getByRole('button', { name: 'Allow' }).click();
    await expectText(page.locator('.roles .setting-saved'), 'bo@agency.example may now deregister and change settings.');
    expect(await rig.db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'portal_role_granted', actor: ANN } })).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-roles-admin');

    await page.getByRole('button', { name: 'Remove bo@agency.example' }).click();
    await expectText(page.locator('.roles .setting-saved'), 'bo@agency.example may no longer deregister or change settings.');
    expect(await rig.db.auditEvent.count({ where: { portalId: BigInt(portalId), action: 'portal_role_revoked', actor: ANN } })).toBe(1);
    expect(await rig.db.portalUserRole.count({ where: { portalId: BigInt(portalId), role: 'manager' } })).toBe(0);
  },
  BROWSER_TEST_TIMEOUT_MS,
);
