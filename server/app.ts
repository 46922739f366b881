// The Express app, assembled from the modules that make up the product.
//
// Routes are thin: they validate their input, call one use case and map its result. Everything
// a request needs arrives in `AppDependencies` (server/runtime/dependencies.ts); the app keeps
// no state of its own, so any number of server processes can run side by side over the same
// PostgreSQL and Redis.
import express, { type Express } from 'express';
import { apiDocsRoutes } from './api-docs/api-docs-routes.js';
import { capacityManagerRoutes } from './capacity-manager/capacity-manager-routes.js';
import { cardApiRoutes } from './card-api/card-api-routes.js';
import { consoleRoutes } from './console/console-routes.js';
import { healthRoutes } from './health/health-routes.js';
import { installRoutes } from './install/install-routes.js';
import { BODY_LIMIT } from './http/limits.js';
import { notFound, problemHandler } from './http/problem.js';
import { refuseUnstorableText } from './http/refuse-unstorable-text.js';
import { requestLogging } from './http/request-logging.js';
import { httpRequestMetrics } from './observability/metrics.js';
import { metricsRoutes } from './observability/metrics-endpoint.js';
import { operatorRoutes } from './operator/operator-routes.js';
import { portalSettingsRoutes } from './portals/portal-settings-routes.js';
import type { AppDependencies } from './runtime/dependencies.js';
import { webhookRoutes } from './webhooks/webhook-routes.js';

declare module 'http' {
  interface IncomingMessage {
    /** The exact bytes of the body, for signature checks (HubSpot signs bytes, not JSON). */
    rawBody?: Buffer;
  }
}

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging(deps.logger));
  app.use(httpRequestMetrics());
  // Before the JSON parser: the webhook receiver checks HubSpot's signature on the raw bytes.
  app.use(webhookRoutes(deps));
  app.use(
    express.json({
      limit: BODY_LIMIT,
      type: ['application/json', 'application/*+json'],
      verify: (req, _res, buffer) => {
        req.rawBody = buffer;
      },
    }),
  );

  app.use(refuseUnstorableText());

  app.use(healthRoutes(deps));
  app.use(metricsRoutes(deps));
  app.use(apiDocsRoutes());
  app.use(installRoutes(deps));
  app.use(cardApiRoutes(deps));
  app.use(operatorRoutes(deps));
  app.use(portalSettingsRoutes(deps));
  app.use(consoleRoutes(deps));
  app.use(capacityManagerRoutes(deps));

  app.use(notFound);
  app.use(problemHandler);
  return app;
}
