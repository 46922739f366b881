// Serves the Capacity Manager page: the React app Vite built into web/dist/ (`npm run
// build:web`, also run by `npm install`). Hashed assets are cached for good; the HTML never is.
// The page gets a strict Content-Security-Policy: it loads only its own scripts and styles, so
// even a name that slipped past React's escaping could not run anything.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { setPageSecurityHeaders } from '../http/page-security-headers.js';

export const WEB_DIST_DIR = fileURLToPath(new URL('./web/dist/', import.meta.url));
/** The page's own paths (client-side views); everything else stays with the other modules. */
export const PAGE_PATHS = ['/', '/expiring', '/suggestions', '/history', '/audit', '/settings'];

export function webApp(distDir = WEB_DIST_DIR): Router {
  const router = Router();
  const indexHtml = `${distDir}index.html`;

  router.use(
    '/assets',
    express.static(`${distDir}assets`, {
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );

  router.get(PAGE_PATHS, (_req, res) => {
    setPageSecurityHeaders(res);
    if (!existsSync(indexHtml)) {
      res.status(503).type('text/plain').send('The Capacity Manager page is not built yet. Run `npm run build:web` (npm install does it too), then reload.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });

  return router;
}
