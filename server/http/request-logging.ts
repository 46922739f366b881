// A request id on every request (the caller's X-Request-Id when it is a sane one), echoed in the
// response and attached to every log line of the request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../observability/logger.js';

const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;
/** Paths HubSpot calls: a 401 or 404 there means something is wrong. */
const HUBSPOT_CALLERS = /^\/(webhooks|api\/card)\//;

export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel(req, res, error) {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode < 400) return 'info';
      // The page asks for its session before anyone signed in, and browsers ask for files that
      // are not there: those 401s and 404s are expected. A refused webhook or card call is not.
      const expected = (res.statusCode === 401 || res.statusCode === 404) && !HUBSPOT_CALLERS.test(req.url ?? '');
      return expected ? 'info' : 'warn';
    },
    // Health probes every few seconds would drown everything else.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
