// The control API over HTTP, under /_fake (JSON in, JSON out), for processes that cannot call
// the fake's methods: the demo, a benchmark, an app started as a child process. Each route calls
// the programmatic control (control.ts); README.md lists them. Mistakes answer 4xx `{ error }`.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { HubSpotFakeControl } from './control.js';
import { FakeControlError } from './errors.js';
import { CONTACT_SUBSCRIPTION_TYPES } from './state.js';
import type { SettingsUpdate } from './settings.js';

const propertyValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const subscriptions = z.array(z.object({ subscriptionType: z.enum(CONTACT_SUBSCRIPTION_TYPES), propertyName: z.string().optional(), active: z.boolean().optional() }));
const appSchema = z.object({
  appId: z.number().int().optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  redirectUri: z.string().optional(),
  redirectUris: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
  optionalScopes: z.array(z.string()).optional(),
  webhookUrl: z.string().optional(),
  maxConcurrentRequests: z.number().int().positive().optional(),
  subscriptions: subscriptions.optional(),
});
const policy = z.object({ max: z.number().int().positive().optional(), windowMs: z.number().int().positive().optional() });
const configureSchema = z.object({
  accessTokenTtlSeconds: z.number().int().positive().optional(),
  authorizationCodeTtlMs: z.number().int().positive().optional(),
  crmRateLimit: policy.optional(),
  searchRateLimit: policy.optional(),
  searchLimits: z
    .object({
      maxFilterGroups: z.number().int().positive(),
      maxFiltersPerGroup: z.number().int().positive(),
      maxFilters: z.number().int().positive(),
      maxSorts: z.number().int().positive(),
      maxLimit: z.number().int().positive(),
      maxReachableResults: z.number().int().positive(),
    })
    .partial()
    .optional(),
  searchIndexLagMs: z.number().int().min(0).optional(),
  batchUpdateMissing: z.enum(['multi-status', 'batch-error']).optional(),
  webhooks: z
    .object({
      maxConcurrentRequests: z.number().int().positive().optional(),
      timeoutMs: z.number().int().positive().optional(),
      maxRetries: z.number().int().min(0).optional(),
      /** Over HTTP the retry delay is a constant number of milliseconds. */
      retryDelayMs: z.number().int().min(0).optional(),
      maxEventsPerRequest: z.number().int().positive().optional(),
      batchWindowMs: z.number().int().min(0).optional(),
    })
    .optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new FakeControlError(400, result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '));
  return result.data;
}

function portalOf(req: Request): number {
  const portalId = Number(req.params.portalId);
  if (!Number.isInteger(portalId)) throw new FakeControlError(400, `Not a portal id: ${req.params.portalId as string}`);
  return portalId;
}

function numberQuery(value: unknown): number | undefined {
  return typeof value === 'string' && value !== '' ? Number(value) : undefined;
}

export function controlRouter(control: HubSpotFakeControl): Router {
  const router = express.Router();
  router.use(express.json({ limit: '10mb' }));

  router.post('/reset', (_req, res) => {
    control.reset();
    res.json({ ok: true });
  });

  router.post('/configure', (req, res) => {
    const body = parse(configureSchema, req.body);
    const { retryDelayMs, ...webhooks } = body.webhooks ?? {};
    const update: SettingsUpdate = {
      ...body,
      webhooks: { ...webhooks, ...(retryDelayMs !== undefined ? { retryDelayMs: () => retryDelayMs } : {}) },
    };
    control.configure(update);
    res.json({ ok: true });
  });

  // ── Accounts and contacts ───────────────────────────────────────────────
  router.post('/accounts', (req, res) => {
    const body = parse(z.object({ portalId: z.number().int().optional(), name: z.string().optional(), domain: z.string().optional() }), req.body);
    res.status(201).json(control.accounts.create(body));
  });
  router.get('/accounts', (_req, res) => {
    res.json(control.accounts.list());
  });
  router.post('/accounts/:portalId/contacts', (req, res) => {
    const body = parse(z.object({ contacts: z.array(propertyValues), emitEvents: z.boolean().optional() }), req.body);
    res.status(201).json(control.contacts.seed(portalOf(req), body.contacts, { emitEvents: body.emitEvents ?? false }));
  });
  router.get('/accounts/:portalId/contacts', (req, res) => {
    res.json(control.contacts.list(portalOf(req), { live: req.query.live === 'true' }));
  });
  router.post('/accounts/:portalId/contacts/create', (req, res) => {
    const body = parse(z.object({ properties: propertyValues }), req.body);
    res.status(201).json(control.contacts.create(portalOf(req), body.properties));
  });
  router.post('/accounts/:portalId/contacts/merge', (req, res) => {
    const body = parse(z.object({ primaryId: z.string(), mergedId: z.string() }), req.body);
    res.json(control.contacts.merge(portalOf(req), body));
  });
  router.get('/accounts/:portalId/contacts/:contactId', (req, res) => {
    const contact = control.contacts.get(portalOf(req), req.params.contactId as string);
    if (!contact) throw new FakeControlError(404, `No contact ${req.params.contactId as string}`);
    res.json(contact);
  });
  router.patch('/accounts/:portalId/contacts/:contactId', (req, res) => {
    const body = parse(z.object({ properties: propertyValues }), req.body);
    res.json(control.contacts.update(portalOf(req), req.params.contactId as string, body.properties));
  });
  router.delete('/accounts/:portalId/contacts/:contactId', (req, res) => {
    if (req.query.privacy === 'true') control.contacts.privacyDelete(portalOf(req), req.params.contactId as string);
    else control.contacts.delete(portalOf(req), req.params.contactId as string);
    res.status(204).end();
  });
  router.post('/accounts/:portalId/contacts/:contactId/restore', (req, res) => {
    res.json(control.contacts.restore(portalOf(req), req.params.contactId as string));
  });
  router.get('/accounts/:portalId/owners', (req, res) => {
    res.json(control.owners.list(portalOf(req)));
  });
  router.post('/accounts/:portalId/owners', (req, res) => {
    const body = parse(z.object({ email: z.string(), firstName: z.string().optional(), lastName: z.string().optional() }), req.body);
    res.status(201).json(control.owners.add(portalOf(req), body));
  });
  router.get('/accounts/:portalId/tasks', (req, res) => {
    res.json(control.tasks.list(portalOf(req)));
  });
  router.get('/accounts/:portalId/properties', (req, res) => {
    res.json(control.properties.list(portalOf(req)));
  });

  // ── Apps, installs, tokens ──────────────────────────────────────────────
  router.post('/apps', (req, res) => {
    res.status(201).json(control.apps.register(parse(appSchema, req.body)));
  });
  router.get('/apps/:appId', (req, res) => {
    res.json(control.apps.get(Number(req.params.appId)));
  });
  router.patch('/apps/:appId', (req, res) => {
    res.json(control.apps.update(Number(req.params.appId), parse(appSchema.omit({ appId: true, clientId: true, clientSecret: true }), req.body)));
  });
  router.post('/apps/:appId/installs/:portalId', (req, res) => {
    const body = parse(z.object({ scopes: z.array(z.string()).optional() }), req.body);
    res.status(201).json(control.installs.install(Number(req.params.appId), portalOf(req), body));
  });
  router.delete('/apps/:appId/installs/:portalId', (req, res) => {
    control.installs.revoke(Number(req.params.appId), portalOf(req));
    res.status(204).end();
  });
  router.post('/tokens', (req, res) => {
    const body = parse(z.object({ portalId: z.number().int(), scopes: z.array(z.string()).optional(), appId: z.number().int().optional() }), req.body);
    res.status(201).json({ token: control.tokens.createPrivateAppToken(body.portalId, body) });
  });
  router.post('/tokens/expire', (req, res) => {
    const body = parse(z.object({ token: z.string().optional(), agoMs: z.number().int().min(0).optional() }), req.body);
    control.tokens.expire(body.token, body);
    res.json({ ok: true });
  });
  router.put('/oauth/authorizing-portal', (req, res) => {
    const body = parse(z.object({ portalId: z.number().int().nullable() }), req.body);
    control.oauth.setAuthorizingPortal(body.portalId);
    res.json({ ok: true });
  });

  // ── What the fake received and sent ─────────────────────────────────────
  const kind = z.enum(['crm', 'search', 'oauth', 'other']);
  const kindQuery = (value: unknown) => (value === undefined ? undefined : parse(kind, value));
  router.get('/requests', (req, res) => {
    const portalId = numberQuery(req.query.portalId);
    const requestKind = kindQuery(req.query.kind);
    res.json(control.requests.all({ ...(portalId !== undefined ? { portalId } : {}), ...(requestKind ? { kind: requestKind } : {}) }));
  });
  router.get('/requests/peak', (req, res) => {
    const portalId = numberQuery(req.query.portalId);
    if (portalId === undefined) throw new FakeControlError(400, 'portalId is required');
    const requestKind = kindQuery(req.query.kind) ?? 'crm';
    const windowMs = numberQuery(req.query.windowMs);
    res.json({
      peak: control.requests.peakInWindow(portalId, { kind: requestKind, ...(windowMs !== undefined ? { windowMs } : {}) }),
      timestamps: control.requests.timestamps(portalId, requestKind),
    });
  });
  router.delete('/requests', (_req, res) => {
    control.requests.clear();
    res.status(204).end();
  });

  router.get('/webhooks/deliveries', (req, res) => {
    const appId = numberQuery(req.query.appId);
    const portalId = numberQuery(req.query.portalId);
    res.json(control.webhooks.deliveries({ ...(appId !== undefined ? { appId } : {}), ...(portalId !== undefined ? { portalId } : {}) }));
  });
  router.post('/webhooks/batches', (req, res) => {
    const body = parse(
      z.object({
        appId: z.number().int(),
        portalId: z.number().int(),
        // Events are sent as given (attemptNumber aside): any HubSpot-shaped object goes.
        events: z.array(
          z.looseObject({
            eventId: z.number(),
            subscriptionId: z.number(),
            portalId: z.number(),
            appId: z.number(),
            occurredAt: z.number(),
            subscriptionType: z.string(),
            objectId: z.number(),
          }),
        ),
        times: z.number().int().positive().optional(),
        url: z.string().optional(),
      }),
      req.body,
    );
    res.status(202).json({ deliveryIds: control.webhooks.sendBatch(body) });
  });
  router.post('/webhooks/idle', async (_req, res) => {
    await control.webhooks.idle();
    res.json({ idle: true });
  });
  router.post('/webhooks/pause', (_req, res) => {
    control.webhooks.pause();
    res.json({ ok: true });
  });
  router.post('/webhooks/resume', (_req, res) => {
    control.webhooks.resume();
    res.json({ ok: true });
  });
  router.put('/webhooks/order', (req, res) => {
    const body = parse(z.object({ order: z.enum(['in-order', 'reversed', 'shuffled']) }), req.body);
    control.webhooks.setOrder(body.order);
    res.json({ ok: true });
  });

  // ── Faults ──────────────────────────────────────────────────────────────
  router.post('/faults', (req, res) => {
    const body = parse(
      z.object({
        latencyMs: z.number().int().min(0).optional(),
        failNext: z.object({ count: z.number().int().positive(), status: z.number().int().optional(), pathPrefix: z.string().optional() }).optional(),
        hangNext: z.object({ count: z.number().int().positive(), pathPrefix: z.string().optional() }).optional(),
        rateLimitStormMs: z.number().int().positive().optional(),
      }),
      req.body,
    );
    if (body.latencyMs !== undefined) control.faults.setLatency(body.latencyMs);
    if (body.failNext) control.faults.failNext(body.failNext.count, body.failNext);
    if (body.hangNext) control.faults.hangNext(body.hangNext.count, body.hangNext);
    if (body.rateLimitStormMs) control.faults.rateLimitStorm(body.rateLimitStormMs);
    res.json({ ok: true });
  });
  router.delete('/faults', (_req, res) => {
    control.faults.clear();
    res.status(204).end();
  });

  router.use((_req: Request, _res: Response) => {
    throw new FakeControlError(404, 'No such control route: see test/hubspot-fake/README.md');
  });
  return router;
}
