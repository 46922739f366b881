// The card builds as HubSpot builds it after an upload: `remoteBuild` from
// @hubspot/ui-extensions-dev-server (Vite, one IIFE per entrypoint, React left to HubSpot's
// runtime) run in the folder of the card's own package.json, on the entrypoint its hsmeta names.
// What it bundles must come from that folder or from the dependencies that package.json
// declares: HubSpot installs nothing else, and uploads nothing outside srcDir.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remoteBuild } from '@hubspot/ui-extensions-dev-server/build';
import { afterAll, beforeAll, expect, test } from 'vitest';

const SRC_DIR = fileURLToPath(new URL('./src/', import.meta.url));
const cardMeta = JSON.parse(readFileSync(path.join(SRC_DIR, 'app/cards/lead-registration-card-hsmeta.json'), 'utf8')) as { config: { entrypoint: string } };
const entrypoint = path.join(SRC_DIR, cardMeta.config.entrypoint);
const cardDir = path.dirname(entrypoint);
const cardPackage = JSON.parse(readFileSync(path.join(cardDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

interface Manifest {
  entry: string;
  modules: { internal: Array<{ module: string }>; external: Array<{ module: string }> };
}

let outputDir: string;
let bundle: string;
let manifest: Manifest;

beforeAll(async () => {
  outputDir = mkdtempSync(path.join(tmpdir(), 'pc-card-build-'));
  // HubSpot builds for production (remoteBuild reads NODE_ENV, which vitest sets to "test").
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await remoteBuild({ root: cardDir, entryPoint: path.basename(entrypoint), outputDir, logLevel: 'error' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const files = readdirSync(outputDir);
  bundle = readFileSync(path.join(outputDir, files.find((file) => file.endsWith('.js'))!), 'utf8');
  manifest = JSON.parse(readFileSync(path.join(outputDir, files.find((file) => file.endsWith('-manifest.json'))!), 'utf8')) as Manifest;
}, 60_000);

afterAll(() => {
  if (outputDir) rmSync(outputDir, { recursive: true, force: true });
});

test('the entrypoint bundles into one production script', () => {
  expect(manifest.entry).toBe(path.basename(entrypoint));
  expect(bundle).toMatch(/^\(function\(/);
  expect(bundle).toContain('react-jsx-runtime.production');
  expect(bundle).toContain('/api/card/contacts/');
});

test('the shared contract with the server is in the bundle, and nothing from outside the card folder', () => {
  const internal = manifest.modules.internal.map(({ module }) => module);
  expect(internal).toEqual(
    expect.arrayContaining(['LeadRegistrationCard.tsx', 'components/LeadRegistrationCard.tsx', 'hooks/useCardState.ts', 'card-api-contract.ts', 'backend.ts', 'card-text.ts']),
  );
  expect(internal.filter((module) => module.startsWith('..') || path.isAbsolute(module))).toEqual([]);
});

test('every package the bundle uses is declared in the card package.json', () => {
  const packages = new Set(
    manifest.modules.external.map(({ module }) => module.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1]).filter((name): name is string => Boolean(name)),
  );
  expect([...packages].sort()).toEqual(Object.keys(cardPackage.dependencies).sort());
});
