// The operator's endpoints and queue dashboard, behind OPERATOR_TOKEN.
import { Router } from 'express';
import type { AppDependencies } from '../app.js';

export function operatorRoutes(_deps: AppDependencies): Router {
  const router = Router();
  return router;
}
