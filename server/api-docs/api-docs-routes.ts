// The API's description, for programs and for people, open to anyone (it holds no data):
// - GET /api/openapi.json   the OpenAPI document (openapi-document.ts)
// - GET /operator/docs      Swagger UI over that document, to browse the operator API and try it
//                           with the operator token ("Authorize")
//
// Swagger UI comes from the swagger-ui-dist package and is served from the app's own origin:
// like the Capacity Manager page, the docs page may load only its own files (no CDN, nothing
// inline), so its start-up script is a file of ours too.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { OPENAPI_PATH, openApiDocument } from './openapi-document.js';
import { setPageSecurityHeaders } from '../http/page-security-headers.js';

export const DOCS_PATH = '/operator/docs';

const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The only files of the package the page needs. */
const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];

const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Partner Capacity API</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/start.js"></script>
  </body>
</html>
`;

const START_SCRIPT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  filter: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

export function apiDocsRoutes(): Router {
  const router = Router();
  const document = openApiDocument();

  router.get(OPENAPI_PATH, (_req, res) => {
    res.json(document);
  });

  router.get(DOCS_PATH, (_req, res) => {
    setPageSecurityHeaders(res);
    res.type('html').send(DOCS_HTML);
  });
  router.get(`${DOCS_PATH}/start.js`, (_req, res) => {
    res.type('text/javascript').send(START_SCRIPT);
  });
  for (const file of SWAGGER_UI_FILES) {
    router.get(`${DOCS_PATH}/${file}`, (_req, res) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.sendFile(join(SWAGGER_UI_DIR, file), { maxAge: '1d' });
    });
  }
  return router;
}
