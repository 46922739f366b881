// The Capacity Manager's API: everything the page reads and changes, for the session's portal
// only. No route takes a portal id from the request; ids of another portal's registrations or
// jobs are simply not found. Inputs and answers follow capacity-manager-contract.ts.
import { Router } from 'express';
import type { AppDependencies } from '../runtime/dependencies.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import { findRegistrations } from '../registrations/find-registrations.js';
import { contactRecordUrl } from '../hubspot/record-url.js';
import { findReleaseSuggestions } from '../registrations/find-release-suggestions.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { renewRegistration } from '../registrations/renew-registration.js';
import { getWaitlistSkips } from '../waitlist/get-waitlist-skips.js';
import { findExpiringClaims } from '../expiry/find-expiring-claims.js';
import { getReminderTaskAccess } from '../expiry/reminder-task-access.js';
import { getListContext } from '../registrations/get-list-context.js';
import type { RegistrationView } from '../registrations/registration-view.js';
import { capacityAlertLevel } from './capacity-alert.js';
import {
  auditEventFilterQuerySchema,
  auditEventsQuerySchema,
  deregistrationJobParamsSchema,
  deregistrationRequestSchema,
  expiringClaimsQuerySchema,
  recentDeregistrationJobsQuerySchema,
  registrationFilterQuerySchema,
  registrationListQuerySchema,
  releaseSuggestionsQuerySchema,
  type AuditEventPageAnswer,
  type CapacityAnswer,
  type DeregistrationJobAnswer,
  type DeregistrationJobListAnswer,
  type DeregistrationRequestAnswer,
  type ExpiringClaimsAnswer,
  type RegistrationAnswer,
  type RegistrationPageAnswer,
  type ReleaseSuggestionsAnswer,
  type SessionAnswer,
  type UndoAnswer,
  registrationParamsSchema,
  type RenewalAnswer,
} from './capacity-manager-contract.js';
import { getDeregistrationJob } from '../deregistrations/get-deregistration-job.js';
import { listDeregistrationJobs } from '../deregistrations/list-deregistration-jobs.js';
import { requestDeregistration } from '../deregistrations/request-deregistration.js';
import { undoDeregistration } from '../deregistrations/undo-deregistration.js';
import { exportRegistrationsCsv } from './export-registrations.js';
import { findAuditEvents } from './find-audit-events.js';
import { exportAuditEventsCsv } from './export-audit-events.js';
import { requireManager } from './require-role.js';
import { actorOf, csrfTokenFor, requireCsrf, requireSession, sessionOf } from './session.js';

function jobNotFound(id: string): Problem {
  return new Problem({ status: 404, code: 'JOB_NOT_FOUND', title: 'No such deregistration job', detail: `Deregistration job ${id} does not exist in this HubSpot account.` });
}

function portalNotFound(): Problem {
  return new Problem({ status: 404, code: 'PORTAL_NOT_FOUND', title: 'This HubSpot account is not known', detail: 'Install Partner Capacity in this HubSpot account first.' });
}

/** A registration as the page lists it: its contact's link on the account's HubSpot host, and the renewals it has left. */
function listedRegistration(
  item: RegistrationView,
  { portalId, uiDomain, renewalsAllowed }: { portalId: number; uiDomain: string | undefined; renewalsAllowed: number },
): RegistrationAnswer {
  return {
    ...item,
    contactUrl: contactRecordUrl(portalId, item.contactId, uiDomain),
    renewalsLeft: item.expiresAt === null ? null : Math.max(0, renewalsAllowed - item.renewals),
  };
}

export function capacityManagerApi(deps: AppDependencies): Router {
  const router = Router();
  const session = requireSession(deps);
  const csrf = requireCsrf(deps);
  // Roles inside a partner (portals/portal-roles.ts): read per request, after the CSRF check.
  const manager = requireManager(deps);

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
    } satisfies SessionAnswer);
  });

  router.get('/api/capacity', session, async (_req, res) => {
    const { portalId } = sessionOf(res);
    const [capacity, waitlistSkips] = await Promise.all([getCapacity(deps.db, { portalId }), getWaitlistSkips(deps.db, { portalId })]);
    if (!capacity) throw portalNotFound();
    res.json({ ...capacity, alertLevel: capacityAlertLevel(capacity), waitlistSkips } satisfies CapacityAnswer);
  });

  router.get('/api/registrations', session, async (req, res) => {
    const started = process.hrtime.bigint();
    const query = parseInput(registrationListQuerySchema, req, 'query');
    const { portalId, locale } = sessionOf(res);
    const [found, context] = await Promise.all([findRegistrations(deps.db, { ...query, portalId, locale }), getListContext(deps.db, { portalId })]);
    // Each row links to its contact on the account's own HubSpot host (EU accounts included).
    const listed = { portalId, ...context };
    const page = { ...found, items: found.items.map((item) => listedRegistration(item, listed)) };
    // The server's own time, for the page's benchmark (bench/capacity-manager-api.bench.ts).
    res.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    res.json(page satisfies RegistrationPageAnswer);
  });

  router.get('/api/registrations/export.csv', session, async (req, res) => {
    const query = parseInput(registrationFilterQuerySchema, req, 'query');
    const { portalId, locale } = sessionOf(res);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="registrations-${portalId}-${query.status}-${new Date().toISOString().slice(0, 10)}.csv"`);
    try {
      await exportRegistrationsCsv(deps.db, { ...query, portalId, locale }, res);
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

  // Suggestions: the active claims worth releasing, best first, each with its reasons.
  router.get('/api/release-suggestions', session, async (req, res) => {
    const { limit } = parseInput(releaseSuggestionsQuerySchema, req, 'query');
    const { portalId } = sessionOf(res);
    const [found, portal] = await Promise.all([
      findReleaseSuggestions(deps.db, { portalId, limit }),
      deps.db.portal.findUnique({ where: { id: BigInt(portalId) }, select: { uiDomain: true } }),
    ]);
    if (!found) throw portalNotFound();
    const { capacity: _capacity, items, ...summary } = found;
    res.json({
      ...summary,
      items: items.map(({ registration, lastActivityAt, reasons }) => ({
        registrationId: registration.id,
        domain: registration.domain,
        displayDomain: registration.displayDomain,
        companyName: registration.companyName,
        contactName: registration.contactName,
        contactId: registration.contactId,
        contactErased: registration.contactErased,
        contactUrl: contactRecordUrl(portalId, registration.contactId, portal?.uiDomain ?? undefined),
        registeredAt: registration.registeredAt,
        registeredBy: registration.registeredBy,
        channel: registration.channel,
        expiresAt: registration.expiresAt,
        lastActivityAt,
        reasons,
      })),
    } satisfies ReleaseSuggestionsAnswer);
  });

  // Expiring soon: the active claims ending within the first reminder window, soonest first, and
  // whether their reminders also reach HubSpot as tasks.
  router.get('/api/expiring-claims', session, async (req, res) => {
    const { limit } = parseInput(expiringClaimsQuerySchema, req, 'query');
    const { portalId } = sessionOf(res);
    const [found, reminderTasks, context] = await Promise.all([
      findExpiringClaims(deps.db, { portalId, limit }),
      getReminderTaskAccess(deps.db, { portalId }),
      getListContext(deps.db, { portalId }),
    ]);
    if (!found) throw portalNotFound();
    const listed = { portalId, ...context, renewalsAllowed: found.renewalsAllowed };
    res.json({ ...found, reminderTasks, items: found.items.map((item) => listedRegistration(item, listed)) } satisfies ExpiringClaimsAnswer);
  });

  router.get('/api/audit-events', session, async (req, res) => {
    const query = parseInput(auditEventsQuerySchema, req, 'query');
    res.json((await findAuditEvents(deps.db, { ...query, portalId: sessionOf(res).portalId })) satisfies AuditEventPageAnswer);
  });

  router.get('/api/audit-events/export.csv', session, async (req, res) => {
    const filter = parseInput(auditEventFilterQuerySchema, req, 'query');
    const { portalId } = sessionOf(res);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-trail-${portalId}-${new Date().toISOString().slice(0, 10)}.csv"`);
    try {
      await exportAuditEventsCsv(deps.db, { ...filter, portalId }, res);
    } catch (error) {
      if (res.headersSent) {
        req.log?.warn({ err: error }, 'audit trail export ended early');
        res.destroy();
        return;
      }
      throw error;
    }
  });

  router.post('/api/deregistrations', session, csrf, manager, async (req, res) => {
    const { selection } = parseInput(deregistrationRequestSchema, req, 'body');
    const current = sessionOf(res);
    const result = await requestDeregistration(deps, { portalId: current.portalId, selection, requestedBy: actorOf(current), channel: 'capacity_manager' });
    res.status(202).json(result satisfies DeregistrationRequestAnswer);
  });

  // The recent jobs, so that Undo stays reachable for its whole window after a reload or from
  // another tab, not only while the job's progress is on screen.
  router.get('/api/deregistrations', session, async (req, res) => {
    const { limit } = parseInput(recentDeregistrationJobsQuerySchema, req, 'query');
    res.json({ jobs: await listDeregistrationJobs(deps.db, { portalId: sessionOf(res).portalId, limit }) } satisfies DeregistrationJobListAnswer);
  });

  router.get('/api/deregistrations/:id', session, async (req, res) => {
    const { id } = parseInput(deregistrationJobParamsSchema, req, 'params');
    const job = await getDeregistrationJob(deps.db, { portalId: sessionOf(res).portalId, jobId: id });
    if (!job) throw jobNotFound(id);
    res.json(job satisfies DeregistrationJobAnswer);
  });

  // Any user of the portal may renew, as any may register from the card (where Renew is too):
  // renewing keeps a claim; the manager role is for releasing claims and changing settings.
  router.post('/api/registrations/:id/renewal', session, csrf, async (req, res) => {
    const { id } = parseInput(registrationParamsSchema, req, 'params');
    const current = sessionOf(res);
    const { registration, renewalsLeft } = await renewRegistration(deps.db, { portalId: current.portalId, registrationId: id, renewedBy: actorOf(current) });
    res.json({ id: registration.id, domain: registration.domain, expiresAt: registration.expiresAt!, renewals: registration.renewals, renewalsLeft } satisfies RenewalAnswer);
  });

  router.post('/api/deregistrations/:id/undo', session, csrf, manager, async (req, res) => {
    const { id } = parseInput(deregistrationJobParamsSchema, req, 'params');
    const current = sessionOf(res);
    const result = await undoDeregistration(deps, { portalId: current.portalId, jobId: id, requestedBy: actorOf(current) });
    res.json(result satisfies UndoAnswer);
  });

  return router;
}
