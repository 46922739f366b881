// Every request the fake received (control API excepted) with its answer, so that a test can
// assert what an app actually sent: how many calls, to which account, how fast, with what body.
// `peakInWindow` answers "did the client stay within the rate limit?" from the arrival times.
import type { NextFunction, Request, Response } from 'express';

export type RequestKind = 'crm' | 'search' | 'oauth' | 'other';

export interface RecordedRequest {
  id: number;
  /** Arrival, epoch milliseconds (the fake's clock). */
  at: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  authorization?: string;
  kind: RequestKind;
  /** The account (and app) of the bearer token, when the fake issued it. */
  portalId?: number;
  appId?: number;
  /** Absent while unanswered; a request hung by a fault and then dropped stays without one. */
  status?: number;
  durationMs?: number;
  /** Which injected fault, if any, answered it. */
  fault?: 'fail' | 'hang' | 'rate-limit-storm';
}

export function requestKind(path: string): RequestKind {
  if (/^\/crm\/v3\/objects\/(contacts|0-1)\/search\/?$/.test(path)) return 'search';
  if (path.startsWith('/crm/')) return 'crm';
  if (path.startsWith('/oauth/')) return 'oauth';
  return 'other';
}

/** Whose call a bearer token makes, if the fake knows the token (expired and revoked ones included). */
export type TokenOwner = (bearerToken: string) => { portalId: number; appId: number } | undefined;

export class RequestLog {
  private requests: RecordedRequest[] = [];
  private nextId = 1;

  constructor(
    private readonly clock: () => number,
    private readonly ownerOf: TokenOwner,
  ) {}

  /** Records the request on arrival and its status when answered. Mounted before everything else. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const started = performance.now();
      // Known from the token before anything can refuse the call, so that faulted, refused and
      // rate-limited calls count towards the account too: they were sent.
      const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
      const owner = bearer ? this.ownerOf(bearer) : undefined;
      const record: RecordedRequest = {
        id: this.nextId++,
        at: this.clock(),
        method: req.method,
        path: req.path,
        query: { ...(req.query as Record<string, unknown>) },
        body: undefined,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        kind: requestKind(req.path),
        ...owner,
      };
      this.requests.push(record);
      res.locals.requestRecord = record;
      res.on('finish', () => {
        record.status = res.statusCode;
        record.durationMs = Math.round(performance.now() - started);
        record.body = req.body;
      });
      next();
    };
  }

  all(filter: { portalId?: number; kind?: RequestKind } = {}): RecordedRequest[] {
    return this.requests.filter(
      (request) => (filter.portalId === undefined || request.portalId === filter.portalId) && (filter.kind === undefined || request.kind === filter.kind),
    );
  }

  /** Arrival times of the requests an account's tokens made, of one kind (default: CRM calls, search excluded). */
  timestamps(portalId: number, kind: RequestKind = 'crm'): number[] {
    return this.all({ portalId, kind }).map((request) => request.at);
  }

  /** The most requests of one kind that arrived within any rolling window of `windowMs`. */
  peakInWindow(portalId: number, windowMs: number, kind: RequestKind = 'crm'): number {
    const times = this.timestamps(portalId, kind).sort((a, b) => a - b);
    let peak = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  }

  clear(): void {
    this.requests = [];
  }
}

export function recordOf(res: Response): RecordedRequest | undefined {
  return res.locals.requestRecord as RecordedRequest | undefined;
}
