// Suggestions in real Chromium, in English and Swedish, axe clean, by keyboard: what HubSpot
// says of the contacts (deleted, lead status, last activity — through the fake's webhooks and
// the real workers) becomes ranked suggestions with their reasons; over a lowered limit the
// status bar points here and exactly the number to release is pre-selected; they deregister
// through the usual dialog and job.
import { expect, test } from 'vitest';
import { SALES_PROPERTIES } from '../../server/hubspot/app-properties.js';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, focused, screenshot } from './support/browser.js';
import { capacityManagerSuite } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();
const POLL = { timeout: 15_000, interval: 100 };

test(
  'over a lowered limit: the suggestions, pre-selected, deregistered from the dialog by keyboard (en, sv)',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard([
      { firstname: 'Ada', lastname: 'Berg', company: 'Aurora AB', country: 'Sweden', website: 'https://aurora.se' },
      { firstname: 'Bo', lastname: 'Ek', company: 'Borealis AB', country: 'Sweden', website: 'https://borealis.se' },
      { firstname: 'Cia', lastname: 'Lind', company: 'Cirrus AB', country: 'Sweden', website: 'https://cirrus.se' },
      { firstname: 'Dan', lastname: 'Ahl', company: 'Delta AB', country: 'Sweden', website: 'https://delta.se' },
    ]);
    const [aurora, borealis, cirrus] = rig.fake.contacts.list(portalId);
    // In HubSpot: one contact deleted, one lead disqualified, one worked on yesterday.
    rig.fake.contacts.delete(portalId, borealis!.id);
    rig.fake.contacts.update(portalId, cirrus!.id, { [SALES_PROPERTIES.leadStatus]: 'UNQUALIFIED' });
    rig.fake.contacts.update(portalId, aurora!.id, { [SALES_PROPERTIES.lastActivity]: new Date(Date.now() - 24 * 3600_000).toISOString() });
    const mirrored = (contactId: string) =>
      rig.db.contact.findUnique({ where: { portalId_contactId: { portalId: BigInt(portalId), contactId } }, select: { deletedAt: true, leadStatus: true, lastActivityAt: true } });
    await expect.poll(async () => (await mirrored(borealis!.id))?.deletedAt !== null && (await mirrored(cirrus!.id))?.leadStatus === 'UNQUALIFIED', POLL).toBe(true);
    await expect.poll(async () => (await mirrored(aurora!.id))?.lastActivityAt !== null, POLL).toBe(true);
    // The operator lowers the limit: 4 registered, limit 2 — 2 over, 3 to release.
    await rig.db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 2 } });

    await page.goto(rig.server.url);
    const alert = page.getByTestId('capacity-alert');
    await expect.poll(() => alert.textContent(), POLL).toContain('2 over your limit of 2 — deregister 3 to register again.');
    await alert.getByRole('link', { name: 'See which to release' }).click();
    await page.waitForURL(`${rig.server.url}/suggestions`);

    const rows = page.getByTestId('suggestion-row');
    await expect.poll(() => rows.count(), POLL).toBe(3);
    await expectText(page.getByTestId('suggestions-over-limit'), 'You are over your limit: deregister 3 domains to register again. The best 3 candidates are selected for you.');
    // The third makes up the number: of the two claims without a reason, delta.se's contact never saw any activity.
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(['borealis.se', 'cirrus.se', 'delta.se']);
    expect(await rows.locator('td:nth-child(5)').allTextContents()).toEqual([
      'The contact was deleted in HubSpot',
      'Lead status: Unqualified',
      'Among your least recently active claims',
    ]);
    expect(await rows.locator('input[type=checkbox]:checked').count()).toBe(3);
    expect(await page.getByText('3 selected').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-suggestions-over-limit');

    // Swedish: the same list in the page's other language.
    await page.getByRole('button', { name: 'Svenska' }).click();
    await expectText(
      page.getByTestId('suggestions-over-limit'),
      'Du är över din gräns: avregistrera 3 domäner för att kunna registrera igen. De 3 bästa kandidaterna är valda åt dig.',
    );
    expect(await rows.locator('td:nth-child(5)').allTextContents()).toEqual([
      'Kontakten har tagits bort i HubSpot',
      'Leadstatus: Okvalificerad',
      'Bland dina minst aktiva anspråk',
    ]);
    expect(await page.getByRole('link', { name: 'Förslag' }).getAttribute('aria-current')).toBe('page');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-sv-suggestions-over-limit');
    await page.getByRole('button', { name: 'English' }).click();

    // By keyboard: one less (the filler), then Deregister, the dialog lists exactly those, confirm.
    await rows.nth(2).getByRole('checkbox').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => rows.locator('input[type=checkbox]:checked').count()).toBe(2);
    await page.getByRole('button', { name: 'Deregister', exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await focused(page)).toBe('Cancel');
    expect(await dialog.getByTestId('dialog-domains').locator('li').allTextContents()).toEqual(['borealis.se', 'cirrus.se']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Yes, deregister');
    await page.keyboard.press('Enter');

    await expect.poll(() => page.getByTestId('capacity-used').textContent(), POLL).toContain('2 of 2');
    // At the limit now, and what is left is worked on: nothing more to suggest.
    await expectText(page.locator('td.empty'), 'Nothing to suggest: every claim is being worked on.');
    expect(await page.getByTestId('suggestions-over-limit').count()).toBe(0);
    expect((await rig.db.registration.findMany({ where: { portalId: BigInt(portalId), status: 'active' }, orderBy: { domain: 'asc' } })).map((row) => row.domain)).toEqual([
      'aurora.se',
      'delta.se',
    ]);
    await screenshot(page, 'capacity-manager-suggestions-deregistered');
  },
  BROWSER_TEST_TIMEOUT_MS * 2,
);

test(
  'under the limit: only claims with a reason, none selected; nothing to suggest says so (en, sv)',
  async () => {
    const { rig } = suite;
    const { page, portalId } = await suite.openFromCard([
      { firstname: 'Eva', lastname: 'Holm', company: 'Eko AB', country: 'Sweden', website: 'https://eko.se' },
      { firstname: 'Fia', lastname: 'Nord', company: 'Fjord AB', country: 'Norway', website: 'https://fjord.no' },
    ]);
    const [eko] = rig.fake.contacts.list(portalId);
    rig.fake.contacts.update(portalId, eko!.id, { [SALES_PROPERTIES.lifecycleStage]: 'other' });
    await expect
      .poll(async () => (await rig.db.contact.findUnique({ where: { portalId_contactId: { portalId: BigInt(portalId), contactId: eko!.id } } }))?.lifecycleStage, POLL)
      .toBe('other');

    await page.goto(`${rig.server.url}/suggestions`);
    const rows = page.getByTestId('suggestion-row');
    await expect.poll(() => rows.locator('td:nth-child(2)').allTextContents(), POLL).toEqual(['eko.se']);
    expect(await rows.locator('td:nth-child(5)').allTextContents()).toEqual(['Lifecycle stage: Other']);
    expect(await rows.locator('input[type=checkbox]:checked').count()).toBe(0);
    expect(await page.getByTestId('suggestions-over-limit').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Deregister', exact: true }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-suggestions');

    rig.fake.contacts.update(portalId, eko!.id, { [SALES_PROPERTIES.lifecycleStage]: 'customer' });
    await expect
      .poll(async () => (await rig.db.contact.findUnique({ where: { portalId_contactId: { portalId: BigInt(portalId), contactId: eko!.id } } }))?.lifecycleStage, POLL)
      .toBe('customer');
    await page.reload();
    await page.getByRole('button', { name: 'Svenska' }).click();
    await expectText(page.locator('td.empty'), 'Inget att föreslå: alla anspråk bearbetas.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-sv-suggestions-none');
  },
  BROWSER_TEST_TIMEOUT_MS,
);
