// npm run hubspot:configure -- --public-url https://capacity.example.com
//
// Writes the app's public URL and what the server expects from HubSpot into the HubSpot project
// (extensions/), the one command to run before `hs project upload`:
//   - app-hsmeta.json: the OAuth redirect URL (PUBLIC_URL + the server's callback path), the
//     permitted fetch URL (the public origin, which the card calls) and the required scopes
//     (the server's default HUBSPOT_SCOPES, which it asks for at install);
//   - webhooks-hsmeta.json: the target URL (PUBLIC_URL + the server's webhook path) and a
//     subscription for every event the server handles;
//   - the card's backend.ts: the URL the card calls through hubspot.fetch.
// hubspot-configure.test.ts keeps the committed project equal to what this command writes.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DEFAULT_HUBSPOT_SCOPES } from '../server/config/config.js';
import { SUBSCRIBED_CONTACT_PROPERTIES } from '../server/hubspot/app-properties.js';
import { OAUTH_CALLBACK_PATH } from '../server/install/install-routes.js';
import { WEBHOOK_PATH } from '../server/webhooks/webhook-routes.js';

/** The HubSpot project uploaded with `hs project upload` (the folder holding hsproject.json). */
export const HUBSPOT_PROJECT_DIR = fileURLToPath(new URL('../extensions/', import.meta.url));

const BIOME = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');

export const PROJECT_FILES = {
  app: 'src/app/app-hsmeta.json',
  webhooks: 'src/app/webhooks/webhooks-hsmeta.json',
  cardBackend: 'src/app/cards/backend.ts',
} as const;

/** The contact events the webhook worker applies (server/webhooks/process-webhook-events.ts). */
const CONTACT_EVENTS = ['contact.creation', 'contact.deletion', 'contact.merge', 'contact.restore'] as const;

export const publicUrlSchema = z
  .url({ error: 'expected the URL the app is reached at, like https://capacity.example.com' })
  .refine((url) => url.startsWith('https://'), { error: 'HubSpot calls only https URLs (hubspot.fetch and webhooks)' })
  .refine((url) => !URL.canParse(url) || !['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname), {
    error: 'HubSpot cannot reach localhost: use the public URL (hs project dev proxies to localhost, see README)',
  })
  .transform((url) => url.replace(/\/+$/, ''));

/** What every place HubSpot reads must say for an app served at `publicUrl`. */
export function hubspotProjectValues(publicUrl: string) {
  const origin = new URL(publicUrl).origin;
  return {
    redirectUrls: [`${publicUrl}${OAUTH_CALLBACK_PATH}`],
    requiredScopes: DEFAULT_HUBSPOT_SCOPES.split(' '),
    permittedFetchUrls: [origin],
    webhookTargetUrl: `${publicUrl}${WEBHOOK_PATH}`,
    webhookSubscriptions: {
      // Classic contact.* events: what the worker handles today. Source for the three lists:
      // https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks
      legacyCrmObjects: [
        ...CONTACT_EVENTS.map((subscriptionType) => ({ subscriptionType, active: true })),
        ...SUBSCRIBED_CONTACT_PROPERTIES.map((propertyName) => ({ subscriptionType: 'contact.propertyChange', propertyName, active: true })),
      ],
      // contact.privacyDeletion is a "hub event", not a CRM object event.
      hubEvents: [{ subscriptionType: 'contact.privacyDeletion', active: true }],
    },
    cardBackendUrl: publicUrl,
  };
}

export type HubSpotProjectValues = ReturnType<typeof hubspotProjectValues>;

// biome-ignore lint/suspicious/noExplicitAny: HubSpot's files, of which we change a few fields and keep the rest as written
type Json = Record<string, any>;

const readJson = (projectDir: string, file: string): Json => JSON.parse(readFileSync(path.join(projectDir, file), 'utf8')) as Json;
const writeJson = (projectDir: string, file: string, value: Json) => writeFileSync(path.join(projectDir, file), `${JSON.stringify(value, null, 2)}\n`);

const BACKEND_URL_LINE = /^export const BACKEND_URL = '[^']*';$/m;

/** The values as the project's files hold them now. */
export function readHubSpotProjectValues(projectDir = HUBSPOT_PROJECT_DIR): HubSpotProjectValues {
  const app = readJson(projectDir, PROJECT_FILES.app).config;
  const webhooks = readJson(projectDir, PROJECT_FILES.webhooks).config;
  const backend = readFileSync(path.join(projectDir, PROJECT_FILES.cardBackend), 'utf8').match(BACKEND_URL_LINE)?.[0];
  return {
    redirectUrls: app.auth.redirectUrls,
    requiredScopes: app.auth.requiredScopes,
    permittedFetchUrls: app.permittedUrls.fetch,
    webhookTargetUrl: webhooks.settings.targetUrl,
    webhookSubscriptions: webhooks.subscriptions,
    cardBackendUrl: backend ? backend.slice(backend.indexOf("'") + 1, backend.lastIndexOf("'")) : '',
  };
}

export function configureHubSpotProject(publicUrl: string, projectDir = HUBSPOT_PROJECT_DIR): HubSpotProjectValues {
  const values = hubspotProjectValues(publicUrlSchema.parse(publicUrl));

  const app = readJson(projectDir, PROJECT_FILES.app);
  app.config.auth.redirectUrls = values.redirectUrls;
  app.config.auth.requiredScopes = values.requiredScopes;
  app.config.permittedUrls.fetch = values.permittedFetchUrls;
  writeJson(projectDir, PROJECT_FILES.app, app);

  const webhooks = readJson(projectDir, PROJECT_FILES.webhooks);
  webhooks.config.settings.targetUrl = values.webhookTargetUrl;
  webhooks.config.subscriptions = values.webhookSubscriptions;
  writeJson(projectDir, PROJECT_FILES.webhooks, webhooks);

  const backendFile = path.join(projectDir, PROJECT_FILES.cardBackend);
  const backend = readFileSync(backendFile, 'utf8');
  if (!BACKEND_URL_LINE.test(backend)) throw new Error(`${PROJECT_FILES.cardBackend} no longer has the line "export const BACKEND_URL = '…';" this command rewrites`);
  writeFileSync(backendFile, backend.replace(BACKEND_URL_LINE, `export const BACKEND_URL = '${values.cardBackendUrl}';`));
  return values;
}

function main(argv: string[]): void {
  const at = argv.indexOf('--public-url');
  const given = at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith('--public-url='))?.slice('--public-url='.length);
  const parsed = publicUrlSchema.safeParse(given ?? '');
  if (!given || !parsed.success) {
    console.error(
      `Usage: npm run hubspot:configure -- --public-url https://capacity.example.com${given ? `\n--public-url: ${parsed.error?.issues[0]?.message} (got "${given}")` : ''}`,
    );
    process.exit(2);
  }
  const values = configureHubSpotProject(parsed.data);
  // The repository's formatter has the last word on layout, so a rerun with the same URL changes nothing.
  execFileSync(process.execPath, [BIOME, 'format', '--write', ...Object.values(PROJECT_FILES).map((file) => path.join(HUBSPOT_PROJECT_DIR, file))], { stdio: 'ignore' });
  console.log(`HubSpot project in ${path.relative(process.cwd(), HUBSPOT_PROJECT_DIR) || '.'} configured for ${parsed.data}:
  redirect URL     ${values.redirectUrls.join(', ')}
  permitted fetch  ${values.permittedFetchUrls.join(', ')}
  webhook target   ${values.webhookTargetUrl}
  card backend     ${values.cardBackendUrl}
  required scopes  ${values.requiredScopes.join(' ')}
Set PUBLIC_URL=${parsed.data} on the server, then upload: cd extensions && hs project upload`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
