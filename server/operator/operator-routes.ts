// The operator's endpoints and queue dashboard, behind OPERATOR_TOKEN.
//
// - POST /operator/deregistrations            request a deregistration job for any portal
// - GET  /operator/deregistrations            jobs, newest first (?portalId, ?status, ?limit)
// - GET  /operator/deregistrations/:id        a job with its chunks, items and problems
// - POST /operator/deregistrations/:id/retry  put a failed job back on the queue
// - POST /operator/deregistrations/:id/undo   undo a finished job for its portal (15 minutes)
// - /operator/queues                          the BullMQ dashboard (@bull-board) for every queue
//
// Programs send `Authorization: Bearer <OPERATOR_TOKEN>`. The dashboard opens for an operator
// signed in to the program console (its session cookie); any other browser is asked for a
// password (Basic, any user name, the token as password). Inputs and answers follow
// operator-contract.ts; the OpenAPI document and its browsable docs are at /api/openapi.json and
// /operator/docs (server/api-docs/).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { type RequestHandler, Router } from 'express';
import type { AppDependencies } from '../runtime/dependencies.js';
import { describeDeregistrationJob } from '../deregistrations/describe-deregistration-job.js';
import { listDeregistrationJobs } from '../deregistrations/list-deregistration-jobs.js';
import { requestDeregistration } from '../deregistrations/request-deregistration.js';
import { retryDeregistrationJob } from '../deregistrations/retry-deregistration-job.js';
import { undoDeregistration } from '../deregistrations/undo-deregistration.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import {
  operatorDeregistrationRequestSchema,
  operatorJobListQuerySchema,
  operatorJobParamsSchema,
  operatorUndoRequestSchema,
  type OperatorJobDetailsAnswer,
  type OperatorJobListAnswer,
  type OperatorRetryAnswer,
} from './operator-contract.js';
import type { DeregistrationRequestAnswer, UndoAnswer } from '../capacity-manager/capacity-manager-contract.js';
import { readOperatorSession } from '../console/operator-session.js';
import { requireOperator } from './operator-auth.js';

export const DASHBOARD_PATH = '/operator/queues';

// bull-board's page (node_modules/@bull-board/ui/dist/index.ejs) links a Google Fonts stylesheet
// for its Ubuntu font. No page of the app may load anything from another origin, so the dashboard
// drops that link from the page (it falls back to the system's sans-serif) and gets a policy of
// its own that allows only 'self', for anything a later bull-board adds. Styles allow
// 'unsafe-inline' because bull-board's page and its React components style elements inline;
// scripts stay 'self'.
const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const OTHER_ORIGIN_STYLESHEET = /<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*rel="stylesheet"[^>]*>\s*/g;

const dashboardOwnOriginOnly: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', DASHBOARD_CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  // bull-board renders its page with res.render(view, params) and no callback; this one sends
  // the same HTML without the other origin's stylesheet link.
  const render = res.render.bind(res);
  res.render = (view: string, options?: object) =>
    render(view, options ?? {}, (error: Error | null, html: string) => (error ? next(error) : res.send(html.replace(OTHER_ORIGIN_STYLESHEET, ''))));
  next();
};

function jobNotFound(id: string): Problem {
  return new Problem({ status: 404, code: 'JOB_NOT_FOUND', title: 'No such deregistration job', detail: `No deregistration job ${id}.` });
}

export function operatorRoutes(deps: AppDependencies): Router {
  const router = Router();
  const operator = requireOperator(deps.config.OPERATOR_TOKEN);

  router.post('/operator/deregistrations', operator, async (req, res) => {
    const body = parseInput(operatorDeregistrationRequestSchema, req, 'body');
    const result = await requestDeregistration(deps, { portalId: body.portalId, selection: body.selection, requestedBy: body.requestedBy, channel: 'operator' });
    res
      .status(202)
      .location(`/operator/deregistrations/${result.job.id}`)
      .json(result satisfies DeregistrationRequestAnswer);
  });

  router.get('/operator/deregistrations', operator, async (req, res) => {
    const query = parseInput(operatorJobListQuerySchema, req, 'query');
    res.json({ jobs: await listDeregistrationJobs(deps.db, query) } satisfies OperatorJobListAnswer);
  });

  router.get('/operator/deregistrations/:id', operator, async (req, res) => {
    const { id } = parseInput(operatorJobParamsSchema, req, 'params');
    const details = await describeDeregistrationJob(deps.db, { jobId: id });
    if (!details) throw jobNotFound(id);
    res.json(details satisfies OperatorJobDetailsAnswer);
  });

  router.post('/operator/deregistrations/:id/retry', operator, async (req, res) => {
    const { id } = parseInput(operatorJobParamsSchema, req, 'params');
    res.json({ job: await retryDeregistrationJob(deps, { jobId: id }) } satisfies OperatorRetryAnswer);
  });

  router.post('/operator/deregistrations/:id/undo', operator, async (req, res) => {
    const { id } = parseInput(operatorJobParamsSchema, req, 'params');
    const { requestedBy } = parseInput(operatorUndoRequestSchema, req, 'body');
    const details = await describeDeregistrationJob(deps.db, { jobId: id });
    if (!details) throw jobNotFound(id);
    res.json((await undoDeregistration(deps, { portalId: details.job.portalId, jobId: id, requestedBy })) satisfies UndoAnswer);
  });

  const dashboard = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  const { close: _close, prefix: _prefix, ...queues } = deps.queues;
  createBullBoard({
    queues: Object.values(queues).map((queue) => new BullMQAdapter(queue)),
    serverAdapter: dashboard,
    options: { uiConfig: { boardTitle: 'Partner Capacity' } },
  });
  const tokenInBrowser = requireOperator(deps.config.OPERATOR_TOKEN, { browser: true });
  // bull-board's own changes (retry, clean) are POSTs from its page on this origin; the console
  // session's cookie is SameSite=Lax, so another site cannot send them with it.
  const consoleOperatorOrToken: RequestHandler = async (req, res, next) => {
    if (await readOperatorSession(req, deps)) return next();
    tokenInBrowser(req, res, next);
  };
  router.use(DASHBOARD_PATH, consoleOperatorOrToken, dashboardOwnOriginOnly, dashboard.getRouter());

  return router;
}
