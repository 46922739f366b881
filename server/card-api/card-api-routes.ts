// The endpoints the Lead Registration card calls through hubspot.fetch, signed by HubSpot.
import { Router } from 'express';
import type { AppDependencies } from '../app.js';

export function cardApiRoutes(_deps: AppDependencies): Router {
  const router = Router();
  return router;
}
