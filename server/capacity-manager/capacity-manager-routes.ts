// The Capacity Manager: its page, its API (session-scoped to one portal) and sign-in.
import { Router } from 'express';
import type { AppDependencies } from '../app.js';

export function capacityManagerRoutes(_deps: AppDependencies): Router {
  const router = Router();
  return router;
}
