// Before the "register every new contact that has a website" rule is turned on, in real
// Chromium: the page shows what it would have done over the last 30 days of the contact mirror
// (new contacts with a website, registered, refused for capacity, the capacity it would leave)
// and a warning; turning it on is one confirmation, Cancel leaves it off. English and Swedish, axe.
import { expect, test } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, focused, screenshot } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

const PROSPECTS: ProspectSeed[] = ['Aurora', 'Birch'].map((word) => ({
  firstname: 'Ada',
  lastname: word,
  company: `${word} AB`,
  country: 'Sweden',
  website: `https://preview-${word.toLowerCase()}.se/`,
}));

test(
  'the rule’s last 30 days against today’s capacity, a warning, then one confirmation (en, sv)',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard(PROSPECTS);
    // 2 used of 5: 3 free.
    await rig.db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 5 } });
    const portal = BigInt(portalId);
    // Six new domains, a free-mail address, one already registered; one too old, one deleted, one without a website.
    await rig.db.$executeRaw`
      INSERT INTO contacts (portal_id, contact_id, website, created_at, deleted_at) VALUES
        (${portal}, 'p1', 'https://one.se', now() - interval '20 days', NULL),
        (${portal}, 'p2', 'two.se', now() - interval '19 days', NULL),
        (${portal}, 'p3', 'https://www.three.se/about', now() - interval '18 days', NULL),
        (${portal}, 'p4', 'https://four.se', now() - interval '10 days', NULL),
        (${portal}, 'p5', 'https://five.se', now() - interval '5 days', NULL),
        (${portal}, 'p6', 'https://six.se', now() - interval '1 day', NULL),
        (${portal}, 'p7', 'https://gmail.com', now() - interval '3 days', NULL),
        (${portal}, 'p8', 'https://preview-aurora.se', now() - interval '2 days', NULL),
        (${portal}, 'p9', 'https://old.se', now() - interval '40 days', NULL),
        (${portal}, 'p10', 'https://gone.se', now() - interval '4 days', now()),
        (${portal}, 'p11', NULL, now() - interval '4 days', NULL)`;

    await page.getByRole('link', { name: 'Settings' }).click();
    const preview = page.getByTestId('auto-register-preview');
    await preview.getByRole('heading', { name: 'What this rule would have done in the last 30 days' }).waitFor();
    await expect
      .poll(() => preview.locator('li').allTextContents())
      .toEqual([
        '8 new contacts had a website.',
        '3 domains would have been registered.',
        '3 would have been refused because your capacity was full.',
        '1 was already registered.',
        '1 had no domain that can be registered.',
        'It would leave 0 of the 3 domains you have free now.',
      ]);
    expect(await page.getByTestId('auto-register-warning').textContent()).toMatch(/^This rule can fill your capacity/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-auto-register-preview');

    const rule = page.getByRole('checkbox', { name: 'Register every new contact that has a website' });
    const isOn = async () => (await rig.db.portal.findUniqueOrThrow({ where: { id: portal } })).autoRegisterNewContacts;
    // Asking to turn it on asks once more; Cancel leaves it off.
    await rule.check();
    expect(await focused(page)).toBe('Yes, turn it on');
    await preview.getByRole('button', { name: 'Cancel' }).click();
    expect(await rule.isChecked()).toBe(false);
    expect(await focused(page)).toBe('auto-register');
    expect(await isOn()).toBe(false);

    await rule.check();
    await preview.getByRole('button', { name: 'Yes, turn it on' }).click();
    // Settings has two status lines, the rule's and then the roles panel's: the rule's is the first.
    await expectText(page.locator('.setting-saved').first(), 'Saved.');
    expect(await isOn()).toBe(true);
    expect(await preview.count()).toBe(0);

    // Off again at once; the preview is back, in Swedish too.
    await rule.uncheck();
    await expectText(page.locator('.setting-saved').first(), 'Saved.');
    expect(await isOn()).toBe(false);
    await page.getByRole('button', { name: 'Svenska' }).click();
    await preview.getByRole('heading', { name: 'Vad regeln skulle ha gjort de senaste 30 dagarna' }).waitFor();
    await expect.poll(() => preview.locator('li').first().textContent()).toBe('8 nya kontakter hade en webbplats.');
    expect(await preview.locator('li').nth(2).textContent()).toBe('3 skulle ha nekats eftersom din kapacitet var full.');
    await page.getByRole('checkbox', { name: 'Registrera varje ny kontakt som har en webbplats' }).check();
    expect(await focused(page)).toBe('Ja, slå på');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-sv-auto-register-preview');
  },
  BROWSER_TEST_TIMEOUT_MS,
);
