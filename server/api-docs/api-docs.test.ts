// The API's description as it is served: GET /api/openapi.json is a valid OpenAPI 3.1 document
// (checked by @readme/openapi-parser against the specification's own schema), it documents
// exactly the routes the app mounts under /api/ and /operator/ with their authentication, and
// the operator docs page loads in real Chromium from the app's own origin under its strict CSP.
import { compileErrors, validate } from '@readme/openapi-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app.js';
import { DASHBOARD_PATH } from '../operator/operator-routes.js';
import { createLogger } from '../observability/logger.js';
import { createRedis } from '../queue/redis.js';
import type { RunningServer } from '../start-server.js';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { startTestServer } from '../../test/support/server.js';
import { launchChromium, screenshot } from '../../test/browser/support/browser.js';
import { DOCS_PATH } from './api-docs-routes.js';
import { OPENAPI_PATH } from './openapi-document.js';

const TOKEN = 'operator-token-for-the-docs-tests-0123456';
let rig: DeregistrationRig;
let server: RunningServer;

beforeAll(async () => {
  rig = await startDeregistrationRig({ env: { OPERATOR_TOKEN: TOKEN } });
  server = await startTestServer(rig.env);
});
afterAll(async () => {
  await server?.close();
  await rig?.stop();
});

async function servedDocument(): Promise<OpenAPIV3_1.Document> {
  const response = await fetch(`${server.url}${OPENAPI_PATH}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as OpenAPIV3_1.Document;
}

interface MountedRoute {
  method: string;
  path: string;
}

/** Express 5's router internals, as far as this walk reads them. */
interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  /** True when the layer is mounted at the root (app.use(router)); nested routers' paths are then absolute. */
  slash?: boolean;
}

/** Every route of the app as Express holds it: routers mounted at the root are walked into. */
function mountedRoutes(stack: RouterLayer[]): MountedRoute[] {
  return stack.flatMap((layer): MountedRoute[] => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      return paths.flatMap((path) => Object.keys(layer.route!.methods).map((method) => ({ method: method.toUpperCase(), path })));
    }
    return layer.slash && layer.handle?.stack ? mountedRoutes(layer.handle.stack) : [];
  });
}

/** /api/deregistrations/:id → /api/deregistrations/{id} */
const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document', () => {
  test('is a valid OpenAPI 3.1 document', async () => {
    const document = await servedDocument();
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  test('documents every route the app mounts under /api/ and /operator/, and no other', async () => {
    const redis = createRedis({ url: rig.config.REDIS_URL, cluster: rig.config.REDIS_CLUSTER });
    const app = createApp({
      config: rig.config,
      db: rig.db,
      redis,
      queues: rig.queues,
      hubspot: rig.hubspot,
      logger: createLogger({ level: 'silent', name: 'test' }),
      isShuttingDown: () => false,
    });
    await redis.quit();
    const mounted = mountedRoutes((app.router as unknown as { stack: RouterLayer[] }).stack)
      .filter(({ path }) => path.startsWith('/api/') || path.startsWith('/operator/'))
      // Not of these two APIs: the card's endpoints (only HubSpot calls them, signed; their
      // contract is extensions/src/app/cards/card-api-contract.ts), and pages for people.
      .filter(({ path }) => !path.startsWith('/api/card/') && path !== OPENAPI_PATH && !path.startsWith(DOCS_PATH) && !path.startsWith(DASHBOARD_PATH))
      .map(({ method, path }) => `${method} ${openApiPath(path)}`)
      .sort();
    const document = await servedDocument();
    const documented = Object.entries(document.paths ?? {})
      .flatMap(([path, item]) => Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(mounted.length).toBeGreaterThan(15);
    expect(documented).toEqual(mounted);
  });

  test('says how each API authenticates: session cookie, CSRF header on changes, operator bearer token, console session', async () => {
    const document = await servedDocument();
    expect(document.components?.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'pc_session' }),
      csrf: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-csrf-token' }),
      operatorToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      operatorSession: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'pc_operator_session' }),
      operatorCsrf: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-csrf-token' }),
    });
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {}) as Array<[string, OpenAPIV3_1.OperationObject]>) {
        const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement)).sort();
        const expected = path.startsWith('/operator/')
          ? ['operatorToken']
          : path === '/api/demo-sign-in' || path === '/api/console/demo-sign-in'
            ? []
            : path.startsWith('/api/console/')
              ? method === 'get'
                ? ['operatorSession']
                : ['operatorCsrf', 'operatorSession']
              : method === 'get'
                ? ['session']
                : ['csrf', 'session'];
        expect(schemes, `${method} ${path}`).toEqual(expected);
      }
    }
  });
});

describe('the operator API docs page', () => {
  test('loads from the app itself, under a CSP that allows only its own origin', async () => {
    const page = await fetch(`${server.url}${DOCS_PATH}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset.startsWith(`${DOCS_PATH}/`), asset).toBe(true);
      const response = await fetch(`${server.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(Number(response.headers.get('content-length') ?? (await response.arrayBuffer()).byteLength), asset).toBeGreaterThan(0);
    }
  });

  test('in Chromium: shows the operator endpoints, and an operator authorizes with the token and calls one; nothing leaves the origin, no CSP violation', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const foreignRequests: string[] = [];
      const consoleErrors: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(server.url)) foreignRequests.push(request.url());
      });
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      await page.goto(`${server.url}${DOCS_PATH}`);
      await page.getByText('/operator/deregistrations/{id}/retry').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: /Authorize/ }).waitFor();
      expect(await page.title()).toBe('Partner Capacity API');
      await screenshot(page, 'operator-api-docs');

      await page
        .getByRole('button', { name: /Authorize/ })
        .first()
        .click();
      await page.getByLabel('auth-bearer-value').fill(TOKEN);
      await page.locator('.auth-container', { hasText: 'operatorToken' }).getByRole('button', { name: 'Apply credentials' }).click();
      await page.locator('.modal-ux .close-modal').click();
      const listJobs = page.locator('#operations-Operator-get_operator_deregistrations');
      await listJobs.locator('.opblock-summary').click();
      await listJobs.getByRole('button', { name: 'Try it out' }).click();
      await listJobs.getByRole('button', { name: 'Execute' }).click();
      await expect.poll(async () => (await listJobs.locator('.live-responses-table tbody .response-col_status').first().textContent())?.trim(), { timeout: 15_000 }).toBe('200');
      expect(foreignRequests).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
