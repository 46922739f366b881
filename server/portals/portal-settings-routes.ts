// A portal's settings, read and changed by its own users through the Capacity Manager's API:
// GET /api/settings and PATCH /api/settings (session, CSRF). Today one rule: register every new
// contact that has a website. Changes are audited with the user as actor. Inputs and answers
// follow capacity-manager-contract.ts.
import { Router } from 'express';
import type { AppDependencies } from '../runtime/dependencies.js';
import { settingsChangeSchema, type AutoRegisterPreviewAnswer, type PortalSettingsAnswer } from '../capacity-manager/capacity-manager-contract.js';
import { requireManager } from '../capacity-manager/require-role.js';
import { actorOf, requireCsrf, requireSession, sessionOf } from '../capacity-manager/session.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import { updatePortalSettings } from './change-portal.js';
import { previewAutoRegister } from './preview-auto-register.js';

export function portalSettingsRoutes(deps: AppDependencies): Router {
  const router = Router();
  router.get('/api/settings', requireSession(deps), async (_req, res) => {
    const portal = await deps.db.portal.findUnique({ where: { id: BigInt(sessionOf(res).portalId) }, select: { autoRegisterNewContacts: true } });
    if (!portal)
      throw new Problem({ status: 404, code: 'PORTAL_NOT_FOUND', title: 'This HubSpot account is not known', detail: 'Install Partner Capacity in this HubSpot account first.' });
    res.json(portal satisfies PortalSettingsAnswer);
  });
  // Shown before the new-contact rule is turned on (preview-auto-register.ts).
  router.get('/api/settings/auto-register-preview', requireSession(deps), async (_req, res) => {
    const preview = await previewAutoRegister(deps.db, { portalId: sessionOf(res).portalId });
    if (!preview)
      throw new Problem({ status: 404, code: 'PORTAL_NOT_FOUND', title: 'This HubSpot account is not known', detail: 'Install Partner Capacity in this HubSpot account first.' });
    res.json(preview satisfies AutoRegisterPreviewAnswer);
  });
  router.patch('/api/settings', requireSession(deps), requireCsrf(deps), requireManager(deps), async (req, res) => {
    const settings = parseInput(settingsChangeSchema, req, 'body');
    const session = sessionOf(res);
    const portal = await updatePortalSettings(deps.db, { portalId: session.portalId, settings, actor: actorOf(session) });
    res.json({ autoRegisterNewContacts: portal.autoRegisterNewContacts } satisfies PortalSettingsAnswer);
  });
  return router;
}
