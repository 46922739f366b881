// Injected trouble: added latency, the next N requests answering 5xx, the next N requests never
// answering (the client must time out), and a "429 storm" during which every CRM call is refused
// as rate limited. Faults apply to HubSpot's routes (CRM and OAuth), never to the control API.
import type { NextFunction, Request, Response } from 'express';
import { hubSpotErrorBody } from './errors.js';
import { recordOf } from './request-log.js';

interface FaultRule {
  kind: 'fail' | 'hang';
  remaining: number;
  status: number;
  /** Only requests whose path starts with this (default: every HubSpot route). */
  pathPrefix?: string;
}

export interface FaultOptions {
  pathPrefix?: string;
}

export class FaultInjector {
  private latencyMs = 0;
  private rules: FaultRule[] = [];
  private stormUntil = 0;

  constructor(private readonly clock: () => number) {}

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** The next `count` requests answer `status` (default 500) with HubSpot's error body. */
  failNext(count: number, options: FaultOptions & { status?: number } = {}): void {
    this.rules.push({ kind: 'fail', remaining: count, status: options.status ?? 500, ...(options.pathPrefix ? { pathPrefix: options.pathPrefix } : {}) });
  }

  /** The next `count` requests are never answered (until the fake stops or resets). */
  hangNext(count: number, options: FaultOptions = {}): void {
    this.rules.push({ kind: 'hang', remaining: count, status: 0, ...(options.pathPrefix ? { pathPrefix: options.pathPrefix } : {}) });
  }

  /** Every CRM call answers 429 (ten-secondly policy) for `durationMs`. */
  rateLimitStorm(durationMs: number): void {
    this.stormUntil = this.clock() + durationMs;
  }

  stormActive(): boolean {
    return this.clock() < this.stormUntil;
  }

  reset(): void {
    this.latencyMs = 0;
    this.rules = [];
    this.stormUntil = 0;
  }

  middleware() {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      const rule = this.rules.find((candidate) => candidate.remaining > 0 && (!candidate.pathPrefix || req.path.startsWith(candidate.pathPrefix)));
      if (!rule) {
        next();
        return;
      }
      rule.remaining--;
      this.rules = this.rules.filter((candidate) => candidate.remaining > 0);
      const record = recordOf(res);
      if (rule.kind === 'hang') {
        if (record) record.fault = 'hang';
        return; // Never answered: the socket stays open until the client gives up or the fake stops.
      }
      if (record) record.fault = 'fail';
      // HubSpot's own 5xx bodies vary (some come from its CDN); this is the common JSON shape.
      res.status(rule.status).json(hubSpotErrorBody({ message: 'internal error', category: 'INTERNAL_ERROR' }));
    };
  }
}
