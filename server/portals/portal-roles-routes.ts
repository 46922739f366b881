// Roles inside a partner through the Capacity Manager's API (session-scoped; changes need CSRF
// and the admin): GET /api/roles (everyone: who may do what, and what you may), POST /api/roles
// (grant a user), POST /api/roles/:id/revoke. Every grant and revoke is audited with the admin
// as actor. Inputs and answers follow capacity-manager/roles-contract.ts.
import { Router } from 'express';
import type { AppDependencies } from '../runtime/dependencies.js';
import { roleGrantSchema, roleParamsSchema, type RoleHolderAnswer, type RolesAnswer } from '../capacity-manager/roles-contract.js';
import { requireAdmin } from '../capacity-manager/require-role.js';
import { actorOf, requireCsrf, requireSession, sessionOf } from '../capacity-manager/session.js';
import { parseInput } from '../http/validate.js';
import { authorityOf, findPortalRoles, grantManager, listPortalUsers, mayManage, revokeManager } from './portal-roles.js';

export function portalRolesRoutes(deps: AppDependencies): Router {
  const router = Router();
  const session = requireSession(deps);
  const csrf = requireCsrf(deps);
  const admin = requireAdmin(deps);

  router.get('/api/roles', session, async (_req, res) => {
    const current = sessionOf(res);
    const roles = await findPortalRoles(deps.db, current.portalId);
    const authority = authorityOf(roles, current);
    res.json({
      admin: roles.admin,
      managers: roles.managers,
      you: { authority, mayManage: mayManage(authority) },
      usersSeen: authority === 'admin' ? await listPortalUsers(deps.db, current.portalId) : [],
    } satisfies RolesAnswer);
  });

  router.post('/api/roles', session, csrf, admin, async (req, res) => {
    const grant = parseInput(roleGrantSchema, req, 'body');
    const current = sessionOf(res);
    const holder = await grantManager(deps.db, { portalId: current.portalId, userId: grant.userId ?? null, email: grant.email ?? null, actor: actorOf(current) });
    res.status(201).json(holder satisfies RoleHolderAnswer);
  });

  router.post('/api/roles/:id/revoke', session, csrf, admin, async (req, res) => {
    const { id } = parseInput(roleParamsSchema, req, 'params');
    const current = sessionOf(res);
    await revokeManager(deps.db, { portalId: current.portalId, roleId: id, actor: actorOf(current) });
    res.status(204).end();
  });

  return router;
}
