// Ways into the Capacity Manager: the card's one-time link, HubSpot sign-in (server/install/
// calls issueSession after OAuth), and in demo mode only, a demo sign-in to the demo portal.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../runtime/dependencies.js';
import { DEMO_PORTAL_ID } from '../demo/demo-portal.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import { CARD_LINK_PATH, redeemCardLink } from './card-link.js';
import { LOCALES } from './locale.js';
import { endSession, issueSession, readSession, requireCsrf, requireSession, sessionOf } from './session.js';

export const DEMO_USER = { userId: 'demo', userEmail: 'demo@northwind.example' } as const;

function sameOriginOnly(deps: AppDependencies, req: Request): void {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== new URL(deps.config.publicUrl).origin && origin !== `${req.protocol}://${req.headers.host}`) {
    throw new Problem({ status: 403, code: 'CROSS_SITE_REQUEST', title: 'The request came from another site', detail: 'Sign in from the Capacity Manager page itself.' });
  }
}

export function signInRoutes(deps: AppDependencies): Router {
  const router = Router();

  router.get(CARD_LINK_PATH, async (req: Request, res: Response) => {
    // The token must not travel on to anything the page loads.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const redemption = await redeemCardLink(deps, token);
    if (redemption.ok) {
      await issueSession(res, deps, redemption.identity, { locale: redemption.locale });
      // The page reads its first search from the address (registration-list.tsx): the card's
      // contact's domain, so "Manage your capacity" lands on that domain.
      return res.redirect(303, redemption.search ? `/?${new URLSearchParams({ search: redemption.search })}` : '/');
    }
    // A used or expired link still lets someone in who already has a session from it.
    const existing = await readSession(req, deps);
    if (existing) return res.redirect(303, '/');
    return res.redirect(303, `/?signIn=link-${redemption.reason}`);
  });

  router.post('/api/demo-sign-in', async (req, res) => {
    if (!deps.config.DEMO_MODE) throw new Problem({ status: 404, code: 'NOT_FOUND', title: 'Not found', detail: 'Demo sign-in exists only when the app runs in demo mode.' });
    sameOriginOnly(deps, req);
    const { locale } = parseInput(z.object({ locale: z.enum(LOCALES).default('en') }), req, 'body');
    await issueSession(res, deps, { portalId: DEMO_PORTAL_ID, ...DEMO_USER }, { locale });
    res.status(204).end();
  });

  router.post('/api/sign-out', requireSession(deps), requireCsrf(deps), async (_req, res) => {
    await endSession(res, deps, sessionOf(res));
    res.status(204).end();
  });

  return router;
}
