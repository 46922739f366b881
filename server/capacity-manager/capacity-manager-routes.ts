// The Capacity Manager: its page, its API (session-scoped to one portal) and sign-in.
import { Router } from 'express';
import type { AppDependencies } from '../runtime/dependencies.js';
import { portalRolesRoutes } from '../portals/portal-roles-routes.js';
import { capacityManagerApi } from './api-routes.js';
import { signInRoutes } from './sign-in-routes.js';
import { webApp } from './web-app.js';

export function capacityManagerRoutes(deps: AppDependencies): Router {
  const router = Router();
  router.use(signInRoutes(deps));
  router.use(portalRolesRoutes(deps));
  router.use(capacityManagerApi(deps));
  router.use(webApp());
  return router;
}
