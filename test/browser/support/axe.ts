// axe-core in the page under test: its serious and critical violations, for the browser tests'
// "axe clean in every view".
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's serious and critical violations on the page as it is now. axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern, so tests need no CSP bypass. */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; help: string; targets: string[] }>> {
  if (!(await page.evaluate(`'axe' in window`))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((results) => results.violations)`);
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
}
