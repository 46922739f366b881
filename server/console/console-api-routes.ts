// The program console's API, for a signed-in operator (operator-session.ts) and nobody else: a
// partner's Capacity Manager session, the bearer OPERATOR_TOKEN or no session get 401. Every
// change needs the session's CSRF token and is audited with the operator's email.
//
// - GET   /api/console/session                        who is signed in, the CSRF token
// - POST  /api/console/demo-sign-in                   demo mode only: sign in as the demo operator
// - POST  /api/console/sign-out
// - GET   /api/console/partners                       search, sort, pages (find-partners.ts)
// - GET   /api/console/partners/:portalId             one partner, its capacity and settings
// - PATCH /api/console/partners/:portalId             {tier} or {limit} (audited on the portal)
// - GET   /api/console/partners/:portalId/registrations   its Capacity Manager's list, read-only
// - GET   /api/console/audit-events[.csv]             the audit across the program, filtered
// - GET   /api/console/jobs                           deregistration jobs of every portal
// - POST  /api/console/jobs/:id/retry | /undo
// - GET   /api/console/backlog                        inbox, outbox and backfills
// - GET   /api/console/program-settings               the program's claim settings
// - POST  /api/console/program-settings/preview       what a change would do, changing nothing
// - PATCH /api/console/program-settings               the change (audited in the program's log)
// - GET   /api/console/conflicts                      domains several partners hold, their holders
// - POST  /api/console/conflicts/resolve              {domain, keep: earliest | a portal}
// - POST  /api/console/conflicts/resolve-all          {keep: "earliest"}, up to 500 per call
// - GET   /api/console/waitlists                      the longest waitlists and their holders
// - GET   /api/console/hubspot-usage                  HubSpot calls per portal (10 s, hour), 429s, 5xx, waits
import { Router } from 'express';
import { contactRecordUrl } from '../hubspot/record-url.js';
import { capacityAlertLevel } from '../capacity-manager/capacity-alert.js';
import { registrationListQuerySchema, type RegistrationPageAnswer, type UndoAnswer } from '../capacity-manager/capacity-manager-contract.js';
import { describeDeregistrationJob } from '../deregistrations/describe-deregistration-job.js';
import { listDeregistrationJobs } from '../deregistrations/list-deregistration-jobs.js';
import { undoDeregistration } from '../deregistrations/undo-deregistration.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import { DASHBOARD_PATH } from '../operator/operator-routes.js';
import { setPortalLimit, setPortalTier } from '../portals/change-portal.js';
import { findRegistrations } from '../registrations/find-registrations.js';
import { getCapacity } from '../registrations/get-capacity.js';
import type { AppDependencies } from '../runtime/dependencies.js';
import { getWaitlistSkips } from '../waitlist/get-waitlist-skips.js';
import { findLongestWaitlists } from '../waitlist/find-longest-waitlists.js';
import { countClaimConflicts, listClaimConflicts, resolveClaimConflict, resolveClaimConflictsKeepingEarliest } from '../program/claim-conflicts.js';
import { getProgramSettings, previewProgramSettings, updateProgramSettings } from '../program/program-settings.js';
import {
  consoleAuditExportQuerySchema,
  consoleAuditQuerySchema,
  consoleDemoSignInSchema,
  consoleJobListQuerySchema,
  consoleJobParamsSchema,
  conflictResolveAllSchema,
  conflictResolveSchema,
  MAX_CONFLICTS_LISTED,
  MAX_CONFLICTS_RESOLVED_AT_ONCE,
  partnerChangeSchema,
  programSettingsChangeSchema,
  type ConflictListAnswer,
  type ConflictResolutionAnswer,
  type ConflictResolveAllAnswer,
  type HubSpotUsageAnswer,
  type ProgramSettingsAnswer,
  type ProgramSettingsPreviewAnswer,
  type WaitlistListAnswer,
  partnerListQuerySchema,
  partnerParamsSchema,
  type BacklogAnswer,
  type ConsoleAuditPageAnswer,
  type ConsoleJobListAnswer,
  type ConsoleSessionAnswer,
  type PartnerDetailsAnswer,
  type PartnerPageAnswer,
} from './console-contract.js';
import { findPartners, getPartner, SORTS_BY_USAGE } from './find-partners.js';
import { exportProgramAuditCsv, findProgramAudit } from './find-program-audit.js';
import { getBacklog } from './get-backlog.js';
import { getHubSpotUsage } from './get-hubspot-usage.js';
import { keepPartnerUsageFresh } from './partner-usage.js';
import {
  DEMO_OPERATOR_EMAIL,
  endOperatorSession,
  issueOperatorSession,
  operatorCsrfTokenFor,
  operatorOf,
  requireOperatorCsrf,
  requireOperatorSession,
} from './operator-session.js';
import { retryJobAsOperator } from './retry-job-as-operator.js';

function partnerNotFound(portalId: number): Problem {
  return new Problem({ status: 404, code: 'PORTAL_NOT_FOUND', title: 'No such partner', detail: `No portal ${portalId} has installed Partner Capacity.` });
}

function jobNotFound(id: string): Problem {
  return new Problem({ status: 404, code: 'JOB_NOT_FOUND', title: 'No such deregistration job', detail: `No deregistration job ${id}.` });
}

export function consoleApiRoutes(deps: AppDependencies): Router {
  const router = Router();
  const operator = requireOperatorSession(deps);
  const csrf = requireOperatorCsrf(deps);

  router.post('/api/console/demo-sign-in', async (req, res) => {
    if (!deps.config.DEMO_MODE) throw new Problem({ status: 404, code: 'NOT_FOUND', title: 'Not found', detail: 'Demo sign-in exists only when the app runs in demo mode.' });
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== new URL(deps.config.publicUrl).origin && origin !== `${req.protocol}://${req.headers.host}`) {
      throw new Problem({ status: 403, code: 'CROSS_SITE_REQUEST', title: 'The request came from another site', detail: 'Sign in from the program console itself.' });
    }
    const { locale } = parseInput(consoleDemoSignInSchema, req, 'body');
    issueOperatorSession(res, deps.config, DEMO_OPERATOR_EMAIL, locale);
    res.status(204).end();
  });

  router.get('/api/console/session', operator, (_req, res) => {
    const session = operatorOf(res);
    res.json({
      operator: { email: session.email },
      locale: session.locale,
      csrfToken: operatorCsrfTokenFor(deps.config, session),
      expiresAt: new Date(session.expiresAt).toISOString(),
      demo: deps.config.DEMO_MODE,
      queueDashboard: DASHBOARD_PATH,
    } satisfies ConsoleSessionAnswer);
  });

  router.post('/api/console/sign-out', operator, csrf, async (_req, res) => {
    await endOperatorSession(res, deps, operatorOf(res));
    res.status(204).end();
  });

  router.get('/api/console/partners', operator, async (req, res) => {
    const started = process.hrtime.bigint();
    const query = parseInput(partnerListQuerySchema, req, 'query');
    if (SORTS_BY_USAGE.has(query.sortBy)) await keepPartnerUsageFresh(deps);
    const page = await findPartners(deps.db, query);
    // The server's own time, for bench/console-partners.bench.ts.
    res.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    res.json(page satisfies PartnerPageAnswer);
  });

  async function partnerDetails(portalId: number): Promise<PartnerDetailsAnswer> {
    const [partner, capacity, waitlistSkips, portal] = await Promise.all([
      getPartner(deps.db, portalId),
      getCapacity(deps.db, { portalId }),
      getWaitlistSkips(deps.db, { portalId }),
      deps.db.portal.findUnique({ where: { id: BigInt(portalId) }, select: { autoRegisterNewContacts: true } }),
    ]);
    if (!partner || !capacity || !portal) throw partnerNotFound(portalId);
    // As the partner's own GET /api/capacity answers (capacity-manager/api-routes.ts).
    return { partner, capacity: { ...capacity, alertLevel: capacityAlertLevel(capacity), waitlistSkips }, autoRegisterNewContacts: portal.autoRegisterNewContacts };
  }

  router.get('/api/console/partners/:portalId', operator, async (req, res) => {
    const { portalId } = parseInput(partnerParamsSchema, req, 'params');
    res.json((await partnerDetails(portalId)) satisfies PartnerDetailsAnswer);
  });

  router.patch('/api/console/partners/:portalId', operator, csrf, async (req, res) => {
    const { portalId } = parseInput(partnerParamsSchema, req, 'params');
    const change = parseInput(partnerChangeSchema, req, 'body');
    const actor = operatorOf(res).email;
    if ('tier' in change) await setPortalTier(deps.db, { portalId, tier: change.tier, actor });
    else await setPortalLimit(deps.db, { portalId, limit: change.limit, actor });
    res.json((await partnerDetails(portalId)) satisfies PartnerDetailsAnswer);
  });

  router.get('/api/console/partners/:portalId/registrations', operator, async (req, res) => {
    const { portalId } = parseInput(partnerParamsSchema, req, 'params');
    const query = parseInput(registrationListQuerySchema, req, 'query');
    const [found, portal] = await Promise.all([
      findRegistrations(deps.db, { ...query, portalId, locale: operatorOf(res).locale }),
      deps.db.portal.findUnique({ where: { id: BigInt(portalId) }, select: { uiDomain: true } }),
    ]);
    if (!portal) throw partnerNotFound(portalId);
    const items = found.items.map((item) => ({ ...item, contactUrl: contactRecordUrl(portalId, item.contactId, portal.uiDomain ?? undefined) }));
    res.json({ ...found, items } satisfies RegistrationPageAnswer);
  });

  router.get('/api/console/audit-events', operator, async (req, res) => {
    const query = parseInput(consoleAuditQuerySchema, req, 'query');
    res.json((await findProgramAudit(deps.db, query)) satisfies ConsoleAuditPageAnswer);
  });

  router.get('/api/console/audit-events.csv', operator, async (req, res) => {
    const filter = parseInput(consoleAuditExportQuerySchema, req, 'query');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="program-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    try {
      await exportProgramAuditCsv(deps.db, filter, res);
    } catch (error) {
      // Headers (and maybe rows) are out: the best we can do is cut the download short.
      if (res.headersSent) {
        req.log?.warn({ err: error }, 'program audit export ended early');
        res.destroy();
        return;
      }
      throw error;
    }
  });

  router.get('/api/console/jobs', operator, async (req, res) => {
    const query = parseInput(consoleJobListQuerySchema, req, 'query');
    res.json({ jobs: await listDeregistrationJobs(deps.db, { ...query, limit: 100 }) } satisfies ConsoleJobListAnswer);
  });

  router.post('/api/console/jobs/:id/retry', operator, csrf, async (req, res) => {
    const { id } = parseInput(consoleJobParamsSchema, req, 'params');
    res.json({ job: await retryJobAsOperator(deps, { jobId: id, operator: operatorOf(res).email }) });
  });

  router.post('/api/console/jobs/:id/undo', operator, csrf, async (req, res) => {
    const { id } = parseInput(consoleJobParamsSchema, req, 'params');
    const details = await describeDeregistrationJob(deps.db, { jobId: id });
    if (!details) throw jobNotFound(id);
    res.json((await undoDeregistration(deps, { portalId: details.job.portalId, jobId: id, requestedBy: operatorOf(res).email })) satisfies UndoAnswer);
  });

  router.get('/api/console/backlog', operator, async (_req, res) => {
    res.json((await getBacklog(deps.db)) satisfies BacklogAnswer);
  });

  router.get('/api/console/program-settings', operator, async (_req, res) => {
    res.json({ settings: await getProgramSettings(deps.db) } satisfies ProgramSettingsAnswer);
  });

  router.post('/api/console/program-settings/preview', operator, csrf, async (req, res) => {
    const changes = parseInput(programSettingsChangeSchema, req, 'body');
    res.json((await previewProgramSettings(deps.db, changes)) satisfies ProgramSettingsPreviewAnswer);
  });

  router.patch('/api/console/program-settings', operator, csrf, async (req, res) => {
    const changes = parseInput(programSettingsChangeSchema, req, 'body');
    res.json((await updateProgramSettings(deps.db, { changes, actor: operatorOf(res).email })) satisfies ProgramSettingsPreviewAnswer);
  });

  router.get('/api/console/conflicts', operator, async (_req, res) => {
    const [settings, conflicts, total] = await Promise.all([
      getProgramSettings(deps.db),
      listClaimConflicts(deps.db, { limit: MAX_CONFLICTS_LISTED }),
      countClaimConflicts(deps.db),
    ]);
    res.json({ claimMode: settings.claimMode, conflicts, total } satisfies ConflictListAnswer);
  });

  router.post('/api/console/conflicts/resolve', operator, csrf, async (req, res) => {
    const { domain, keep } = parseInput(conflictResolveSchema, req, 'body');
    res.json((await resolveClaimConflict(deps, { domain, keep, actor: operatorOf(res).email })) satisfies ConflictResolutionAnswer);
  });

  router.post('/api/console/conflicts/resolve-all', operator, csrf, async (req, res) => {
    parseInput(conflictResolveAllSchema, req, 'body');
    const answer = await resolveClaimConflictsKeepingEarliest(deps, { actor: operatorOf(res).email, limit: MAX_CONFLICTS_RESOLVED_AT_ONCE });
    res.json(answer satisfies ConflictResolveAllAnswer);
  });

  router.get('/api/console/waitlists', operator, async (_req, res) => {
    res.json({ waitlists: await findLongestWaitlists(deps.db, { limit: 50 }) } satisfies WaitlistListAnswer);
  });

  router.get('/api/console/hubspot-usage', operator, async (_req, res) => {
    const usage = await getHubSpotUsage(deps, { limit: 200 });
    res.json({ limitPer10s: deps.config.HUBSPOT_REQUESTS_PER_10S, ...usage } satisfies HubSpotUsageAnswer);
  });

  return router;
}
