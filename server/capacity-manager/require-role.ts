// Enforces roles inside a partner at the API's edge (server/portals/portal-roles.ts says who
// holds which): deregistering, undoing and changing settings need the partner's admin or a
// manager; choosing managers needs the admin. Roles are read from PostgreSQL on each such
// request, so a grant or revoke holds at once on every server process.
import type { NextFunction, Request, Response } from 'express';
import type { AppDependencies } from '../runtime/dependencies.js';
import { Problem } from '../http/problem.js';
import { authorityOf, findPortalRoles, mayManage, whoCanManage, type PortalRoles } from '../portals/portal-roles.js';
import { sessionOf } from './session.js';

function roleRequired(roles: PortalRoles, what: string): Problem {
  return new Problem({
    status: 403,
    code: 'ROLE_REQUIRED',
    title: 'Only the account’s admin and the users they choose may do this',
    detail: `${what} is for this HubSpot account’s admin and the users they choose: ${whoCanManage(roles)}.`,
    extensions: {
      whoCan: {
        admin: roles.admin ? (roles.admin.email ?? `HubSpot user ${roles.admin.userId}`) : null,
        managers: roles.managers.map((m) => m.email ?? `HubSpot user ${m.userId}`),
      },
    },
  });
}

/** After requireSession: lets through the admin and the managers (everyone while there is no admin). */
export function requireManager(deps: Pick<AppDependencies, 'db'>, what = 'Deregistering and changing settings') {
  return async (_req: Request, res: Response, next: NextFunction) => {
    const session = sessionOf(res);
    const roles = await findPortalRoles(deps.db, session.portalId);
    if (!mayManage(authorityOf(roles, session))) throw roleRequired(roles, what);
    next();
  };
}

/** After requireSession: lets through the admin only. */
export function requireAdmin(deps: Pick<AppDependencies, 'db'>) {
  return async (_req: Request, res: Response, next: NextFunction) => {
    const session = sessionOf(res);
    const roles = await findPortalRoles(deps.db, session.portalId);
    if (authorityOf(roles, session) !== 'admin') {
      throw new Problem({
        status: 403,
        code: 'ADMIN_REQUIRED',
        title: 'Only the account’s admin chooses who may deregister',
        detail: roles.admin
          ? `Choosing who may deregister and change settings is for this HubSpot account’s admin: ask ${roles.admin.email ?? `HubSpot user ${roles.admin.userId}`}.`
          : 'This HubSpot account has no admin yet: ask the partner program’s operator to name one.',
      });
    }
    next();
  };
}
