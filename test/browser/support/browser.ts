// Real Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core
// (never a downloaded browser), with the flags that keep it from stalling on a closed network
// (docs/development-environment.md). Playwright gives every launch a fresh profile directory.
import { mkdirSync, existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** A browser test drives real workers and a real browser on a shared 2-core machine: room to breathe. */
export const BROWSER_TEST_TIMEOUT_MS = 60_000;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-results/browser/', import.meta.url));
const WEB_DIR = fileURLToPath(new URL('../../../server/capacity-manager/web/', import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (.ci/run does it).`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Waits until the element's text (whitespace collapsed) is exactly `expected`. */
export async function expectText(locator: Locator, expected: string): Promise<void> {
  await expect.poll(async () => (await locator.textContent())?.replace(/\s+/g, ' ').trim(), { timeout: 15_000 }).toBe(expected);
}

/** What has the keyboard focus: its accessible label, else its text, else its id. (Evaluated as a
 * string: these tests are type-checked with the server's settings, which have no DOM.) */
export function focused(page: Page): Promise<string | null> {
  return page.evaluate(`(() => { const element = document.activeElement; return element && (element.getAttribute('aria-label') || element.textContent || element.id); })()`);
}

/** Saves a full-page screenshot as test-results/browser/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

function newestChange(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The page the server serves is the Vite build (npm install makes it). Tests build it when it is
 * missing or older than its sources, so they always exercise the page as it is now.
 */
export async function ensureWebBuild(): Promise<void> {
  const index = join(WEB_DIR, 'dist', 'index.html');
  // The build has two entries: the Capacity Manager (src/) and the program console (console/).
  const sourcesChanged = Math.max(
    newestChange(join(WEB_DIR, 'src')),
    newestChange(join(WEB_DIR, 'console')),
    statSync(join(WEB_DIR, 'index.html')).mtimeMs,
    statSync(join(WEB_DIR, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sourcesChanged) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
}
