// The Capacity Manager's API: everything the page reads and changes, for the session's portal
// only. No route takes a portal id from the request; ids of another portal's registrations or
// jobs are simply not found.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../app.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import { findRegistrations, MAX_PAGE_SIZE, REGISTRATION_SORT_FIELDS } from '../registrations/find-registrations.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { capacityAlertLevel } from './capacity-alert.js';
import { deregistrationProblem } from '../deregistrations/deregistration-problem.js';
import { getDeregistrationJob } from '../deregistrations/get-deregistration-job.js';
import { requestDeregistration } from '../deregistrations/request-deregistration.js';
import { undoDeregistration } from '../deregistrations/undo-deregistration.js';
import { exportRegistrationsCsv } from './export-registrations.js';
import { findAuditEvents, MAX_AUDIT_PAGE_SIZE } from './find-audit-events.js';
import { actorOf, csrfTokenFor, requireCsrf, requireSession, sessionOf } from './session.js';

const searchTerm = z.string().trim().max(200, { error: 'a search is at most 200 characters' });
const registrationQuery = z.object({
  search: searchTerm.optional(),
  sortBy: z.enum(REGISTRATION_SORT_FIELDS).optional(),
  sortDirection: z.enum(['asc', 'desc']).optional(),
  status: z.enum(['active', 'deregistered', 'all']).default('active'),
});
const listQuery = registrationQuery.extend({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
});
const auditQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE_SIZE).default(50),
});
/** Ids are 64-bit integers, sent as strings. */
const registrationId = z.string().regex(/^[1-9]\d{0,18}$/, { error: 'expected a registration id' });
const deregistrationBody = z.object({
  selection: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('registrations'), registrationIds: z.array(registrationId).min(1).max(10_000) }),
    z.object({ kind: z.literal('search'), search: searchTerm.optional() }),
  ]),
});
const jobParams = z.object({ id: z.uuid({ error: 'expected a deregistration job id' }) });

/** Refusals of the deregistration jobs module (nothing to deregister, undo too late …), as HTTP. */
function jobProblem(error: unknown): never {
  throw deregistrationProblem(error);
}

function jobNotFound(id: string): Problem {
  return new Problem({ status: 404, code: 'JOB_NOT_FOUND', title: 'No such deregistration job', detail: `Deregistration job ${id} does not exist in this HubSpot account.` });
}

export function capacityManagerApi(deps: AppDependencies): Router {
  const router = Router();
  const session = requireSession(deps);
  const csrf = requireCsrf(deps);

  router.get('/api/session', session, async (_req, res) => {
    const current = sessionOf(res);
    const portal = await deps.db.portal.findUnique({ where: { id: BigInt(current.portalId) }, select: { name: true } });
    res.json({
      portal: { id: current.portalId, name: portal?.name ?? null },
      user: { id: current.userId, email: current.userEmail },
      locale: current.locale,
      csrfToken: csrfTokenFor(deps, current),
      expiresAt: new Date(current.expiresAt).toISOString(),
      demo: deps.config.DEMO_MODE,
    });
  });

  router.get('/api/capacity', session, async (_req, res) => {
    const capacity = await getCapacity(deps.db, { portalId: sessionOf(res).portalId });
    if (!capacity) throw new Problem({ status: 404, code: 'PORTAL_NOT_FOUND', title: 'This HubSpot account is not known', detail: 'Install Partner Capacity in this HubSpot account first.' });
    res.json({ ...capacity, alertLevel: capacityAlertLevel(capacity) });
  });

  router.get('/api/registrations', session, async (req, res) => {
    const started = process.hrtime.bigint();
    const query = parseInput(listQuery, req, 'query');
    const page = await findRegistrations(deps.db, { ...query, portalId: sessionOf(res).portalId });
    // The server's own time, for the page's benchmark (bench/capacity-manager-api.bench.ts).
    res.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    res.json(page);
  });

  router.get('/api/registrations/export.csv', session, async (req, res) => {
    const query = parseInput(registrationQuery, req, 'query');
    const { portalId } = sessionOf(res);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="registrations-${portalId}-${query.status}-${new Date().toISOString().slice(0, 10)}.csv"`);
    try {
      await exportRegistrationsCsv(deps.db, { ...query, portalId }, res);
    } catch (error) {
      // Headers (and maybe rows) are out: the best we can do is cut the download short.
      if (res.headersSent) {
        req.log?.warn({ err: error }, 'registration export ended early');
        res.destroy();
        return;
      }
      throw error;
    }
  });

  router.get('/api/audit-events', session, async (req, res) => {
    const query = parseInput(auditQuery, req, 'query');
    res.json(await findAuditEvents(deps.db, { ...query, portalId: sessionOf(res).portalId }));
  });

  router.post('/api/deregistrations', session, csrf, async (req, res) => {
    const { selection } = parseInput(deregistrationBody, req, 'body');
    const current = sessionOf(res);
    const result = await requestDeregistration(deps, { portalId: current.portalId, selection, requestedBy: actorOf(current), channel: 'capacity_manager' }).catch(jobProblem);
    res.status(202).json(result);
  });

  router.get('/api/deregistrations/:id', session, async (req, res) => {
    const { id } = parseInput(jobParams, req, 'params');
    const job = await getDeregistrationJob(deps.db, { portalId: sessionOf(res).portalId, jobId: id });
    if (!job) throw jobNotFound(id);
    res.json(job);
  });

  router.post('/api/deregistrations/:id/undo', session, csrf, async (req, res) => {
    const { id } = parseInput(jobParams, req, 'params');
    const current = sessionOf(res);
    res.json(await undoDeregistration(deps, { portalId: current.portalId, jobId: id, requestedBy: actorOf(current) }).catch(jobProblem));
  });

  return router;
}
