// CRM owners: `GET /crm/v3/owners/` (`email` filters by exact address, `limit` ≤ 500 — default
// 100 — `after` paging, `archived`) and `GET /crm/v3/owners/{ownerId}`, scope
// `crm.objects.owners.read`. Read-only, as HubSpot's: owners are the account's users, the
// installing user first; tests add more with `owners.add`. Shapes from
// developers.hubspot.com/docs/api-reference/crm-crm-owners-v3/guide (`id` is what
// `hubspot_owner_id` takes; `userId` is the user's id and is refused there).
import express, { type Request, type Response, type Router } from 'express';
import { authOf, requireToken } from './auth.js';
import { objectNotFound, validationError } from './errors.js';
import type { FaultInjector } from './faults.js';
import { type RollingWindowLimiter, rateLimit } from './rate-limit.js';
import { booleanParam, integerParam, stringParam } from './request-parsing.js';
import type { FakeState, Owner } from './state.js';

export const OWNERS_SCOPE = 'crm.objects.owners.read';
const MAX_LIMIT = 500;

export function toPublicOwner(owner: Owner) {
  const at = new Date(owner.createdAt).toISOString();
  return {
    id: owner.id,
    email: owner.email,
    type: 'PERSON',
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: owner.archived ? undefined : owner.userId,
    userIdIncludingInactive: owner.userId,
    createdAt: at,
    updatedAt: at,
    archived: owner.archived,
  };
}

export function ownersRouter(deps: { state: FakeState; limiter: RollingWindowLimiter; faults: FaultInjector }): Router {
  const { state } = deps;
  const router = express.Router();
  const read = [requireToken(state, OWNERS_SCOPE), rateLimit('crm', state, deps.limiter, deps.faults)];

  router.get('/', ...read, (req: Request, res: Response) => {
    const account = state.requireAccount(authOf(res).portalId);
    const limit = integerParam(req.query.limit, 'limit', 100);
    if (limit < 1 || limit > MAX_LIMIT) throw validationError(`limit must be between 1 and ${MAX_LIMIT}`);
    const email = stringParam(req.query.email)?.toLowerCase();
    const archived = booleanParam(req.query.archived);
    const matching = account.owners.filter((owner) => owner.archived === archived && (email === undefined || owner.email.toLowerCase() === email));
    const start = Number(stringParam(req.query.after) ?? 0) || 0;
    const page = matching.slice(start, start + limit);
    const next = start + limit < matching.length ? String(start + limit) : null;
    res.json({ results: page.map(toPublicOwner), ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}) });
  });

  router.get('/:ownerId', ...read, (req: Request, res: Response) => {
    const account = state.requireAccount(authOf(res).portalId);
    const owner = account.owners.find((candidate) => candidate.id === req.params.ownerId);
    if (!owner) throw objectNotFound(String(req.params.ownerId));
    res.json(toPublicOwner(owner));
  });
  return router;
}
