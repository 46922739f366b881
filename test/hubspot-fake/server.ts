// Assembles the fake's Express app. Order matters:
//   /_fake/*        control API (not logged, never faulted, never rate limited)
//   request log     every other request is recorded with its answer
//   faults          added latency, injected 5xx, hung requests
//   OAuth           /oauth/authorize, /oauth/2026-03/token[/introspect|/revoke]
//   CRM             /crm/v3/objects/contacts/search, /crm/v3/objects/contacts/*, /crm/v3/properties/*,
//                   /crm/v3/owners/*, /crm/v3/objects/tasks/*
//                   (each route: bearer token → rate limit → handler)
//   404, errors     HubSpot's error body for everything that goes wrong
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { ContactStore } from './contact-store.js';
import { accountInfoRouter } from './account-info-api.js';
import { contactsRouter } from './contacts-api.js';
import type { HubSpotFakeControl } from './control.js';
import { controlRouter } from './control-api.js';
import { FakeControlError, HubSpotHttpError, hubSpotErrorBody } from './errors.js';
import type { FaultInjector } from './faults.js';
import { oauthRouter } from './oauth.js';
import { ownersRouter } from './owners-api.js';
import { propertiesRouter } from './properties-api.js';
import type { RollingWindowLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import { searchRouter } from './search.js';
import type { FakeState } from './state.js';
import { tasksRouter } from './tasks-api.js';

export interface FakeAppDeps {
  state: FakeState;
  contacts: ContactStore;
  faults: FaultInjector;
  requestLog: RequestLog;
  limiter: RollingWindowLimiter;
  control: HubSpotFakeControl;
  logger: Logger;
}

export function createFakeApp(deps: FakeAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use('/_fake', controlRouter(deps.control));

  app.use(deps.requestLog.middleware());
  app.use(deps.faults.middleware());
  app.use(express.json({ limit: '5mb' }));

  app.use(oauthRouter(deps.state));
  const crmDeps = { state: deps.state, contacts: deps.contacts, limiter: deps.limiter, faults: deps.faults };
  app.use(['/crm/v3/objects/contacts', '/crm/v3/objects/0-1'], searchRouter(crmDeps), contactsRouter(crmDeps));
  app.use('/crm/v3/properties/:objectType', propertiesRouter(crmDeps));
  app.use('/account-info/v3', accountInfoRouter(deps.state));
  app.use('/crm/v3/owners', ownersRouter(crmDeps));
  app.use(['/crm/v3/objects/tasks', '/crm/v3/objects/0-27'], tasksRouter(crmDeps));

  app.use((req: Request) => {
    // The fake implements the endpoints the app uses; anything else is a 404 a test should see.
    throw new HubSpotHttpError(404, hubSpotErrorBody({ message: `The HubSpot fake does not implement ${req.method} ${req.path}`, category: 'OBJECT_NOT_FOUND' }));
  });

  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HubSpotHttpError) {
      res.status(error.httpStatus).set(error.headers).json(error.body);
      return;
    }
    if (error instanceof FakeControlError) {
      res.status(error.httpStatus).json({ error: error.message });
      return;
    }
    const bodyParserError = error as { type?: string; message?: string };
    if (bodyParserError.type === 'entity.parse.failed') {
      res.status(400).json(hubSpotErrorBody({ message: `Invalid input JSON: ${bodyParserError.message ?? ''}`, category: 'VALIDATION_ERROR' }));
      return;
    }
    if (bodyParserError.type === 'entity.too.large') {
      res.status(413).json(hubSpotErrorBody({ message: 'Request entity too large', category: 'VALIDATION_ERROR' }));
      return;
    }
    deps.logger.error({ err: error }, 'HubSpot fake: unexpected error');
    res.status(500).json(hubSpotErrorBody({ message: 'internal error (a bug in the HubSpot fake)', category: 'INTERNAL_ERROR' }));
  });

  return app;
}
