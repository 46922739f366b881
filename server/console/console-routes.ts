// The program console: its page (the console entry of the Capacity Manager's Vite build, so both
// pages share components and style) and its API. Sign-in through HubSpot starts at
// /oauth/operator-sign-in (install/install-routes.ts).
import { existsSync } from 'node:fs';
import { Router } from 'express';
import { WEB_DIST_DIR } from '../capacity-manager/web-app.js';
import { setPageSecurityHeaders } from '../http/page-security-headers.js';
import type { AppDependencies } from '../runtime/dependencies.js';
import { consoleApiRoutes } from './console-api-routes.js';
import { CONSOLE_PATH } from './operator-sign-in.js';

export function consoleRoutes(deps: AppDependencies, distDir = WEB_DIST_DIR): Router {
  const router = Router();
  router.use(consoleApiRoutes(deps));
  const indexHtml = `${distDir}console/index.html`;
  // The console's views are paths under /console (partners, a partner, settings, conflicts, jobs,
  // hubspot-usage, audit); its assets are the build's /assets, served by the Capacity Manager
  // (capacity-manager/web-app.ts).
  router.get([CONSOLE_PATH, `${CONSOLE_PATH}/{*view}`], (_req, res) => {
    setPageSecurityHeaders(res);
    if (!existsSync(indexHtml)) {
      res.status(503).type('text/plain').send('The program console is not built yet. Run `npm run build:web` (npm install does it too), then reload.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
