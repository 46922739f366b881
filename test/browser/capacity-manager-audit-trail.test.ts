// The audit trail says what happened, in real Chromium: an undo is "re-registered by undoing job
// …", a settings change shows before → after (English and Swedish); filters by action, actor and
// date; the CSV export carries the same filter. axe clean.
import { expect, test } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, expectText, screenshot } from './support/browser.js';
import { capacityManagerSuite, type ProspectSeed } from './support/capacity-manager-rig.js';

const suite = capacityManagerSuite();

const PROSPECTS: ProspectSeed[] = ['Aurora', 'Birch', 'Cedar'].map((word) => ({
  firstname: 'Ada',
  lastname: word,
  company: `${word} AB`,
  country: 'Sweden',
  website: `https://${word.toLowerCase()}.se/`,
}));

const DAY_MS = 24 * 3600_000;
function localDay(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

test(
  'undo and settings changes read as what happened; filters by action, actor and date; CSV export with the filter (en, sv)',
  async () => {
    const { rig } = suite;
    const { page } = await suite.openFromCard(PROSPECTS);
    await page
      .locator('tbody tr', { has: page.locator('.domain-cell', { hasText: 'aurora.se' }) })
      .getByRole('checkbox')
      .check();
    await page.getByRole('button', { name: 'Deregister', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, deregister' }).click();
    await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('job-panel').getByRole('button', { name: 'Undo' }).click();
    await expectText(page.getByTestId('job-status'), '1 domain registered again.');
    const jobId = (await rig.db.deregistrationJob.findFirstOrThrow({ select: { id: true }, orderBy: { createdAt: 'desc' } })).id;

    // To Settings by its address: what this test is about is the audit trail's words. (Once, in a
    // full CI run, the Settings tab kept being detached and re-attached for 30 s right after an
    // Undo, so the click never landed; unexplained, noted in the closing note of 2026-11-24.)
    await page.goto(new URL('/settings', page.url()).toString());
    await page.getByRole('checkbox', { name: 'Register every new contact that has a website' }).check();
    await page.getByRole('button', { name: 'Yes, turn it on' }).click();
    await page.locator('.setting-saved', { hasText: 'Saved.' }).waitFor();

    await page.getByRole('link', { name: 'Audit trail' }).click();
    const rows = page.locator('tbody tr');
    const undone = rows.filter({ hasText: `re-registered by undoing job ${jobId.slice(0, 8)}` });
    await undone.waitFor();
    expect(await undone.locator('td').nth(1).textContent()).toBe('Registered');
    expect(await undone.locator('td').nth(3).textContent()).toBe('aurora.se');
    await expectText(rows.filter({ hasText: 'Settings changed' }).locator('td').nth(4), 'Register every new contact: off → on');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-audit-trail');

    // By action.
    await page.getByLabel('Action').selectOption('portal_settings_changed');
    await expect.poll(() => rows.locator('td:nth-child(2)').allTextContents()).toEqual(['Settings changed']);
    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    expect(await exportLink.getAttribute('href')).toBe('/api/audit-events/export.csv?action=portal_settings_changed');
    const csv = await page.request.get(`${rig.server.url}${await exportLink.getAttribute('href')}`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('When,Action,Actor,Channel,Domain,HubSpot contact id,Deregistration job,Details (JSON)');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('portal_settings_changed,ann@agency.example');

    // By actor: nobody by that name; then part of the name, any case.
    await page.getByLabel('Action').selectOption('');
    await page.getByLabel('Who').fill('nobody');
    await expectText(rows.first(), 'No events match these filters.');
    await page.getByLabel('Who').fill('ANN@');
    await expect.poll(() => rows.filter({ hasText: 'ann@agency.example' }).count()).toBeGreaterThan(3);

    // By date: from tomorrow nothing; up to and including today, everything.
    await page.getByLabel('From').fill(localDay(Date.now() + DAY_MS));
    await expectText(rows.first(), 'No events match these filters.');
    await page.getByLabel('From').fill('');
    await page.getByLabel('To (inclusive)').fill(localDay(Date.now()));
    await undone.waitFor();
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toMatch(/^\/api\/audit-events\/export\.csv\?actor=ANN%40&to=/);

    await page.getByRole('button', { name: 'Svenska' }).click();
    await rows.filter({ hasText: `registrerad igen genom att jobb ${jobId.slice(0, 8)} ångrades` }).waitFor();
    await expectText(rows.filter({ hasText: 'Inställningar ändrade' }).locator('td').nth(4), 'Registrera varje ny kontakt: av → på');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'capacity-manager-sv-audit-trail');
  },
  // A deregistration, its undo and a settings change on real workers before the checks, on a shared machine.
  2 * BROWSER_TEST_TIMEOUT_MS,
);
