// HubSpot's rate limits for a marketplace app: 110 CRM requests per rolling 10 s per installed
// account (search excluded), and 5 search requests per second per account. Window and size come
// from the settings, so tests can compress them.
//
// The 429 body and the X-HubSpot-RateLimit-* headers are HubSpot's (docs/hubspot-api.md);
// the headers also go on successful CRM answers, as HubSpot sends them. The search limit's body
// ("You have reached your secondly limit.", the message @hubspot/api-client itself matches on)
// is confirmed; its `policyName: "SECONDLY"` and the absence of rate-limit headers on search
// answers are not.
import type { NextFunction, Request, Response } from 'express';
import { hubSpotErrorBody } from './errors.js';
import type { FaultInjector } from './faults.js';
import { authOf } from './auth.js';
import { recordOf } from './request-log.js';
import type { FakeState } from './state.js';
import type { RateLimitPolicy } from './settings.js';

export class RollingWindowLimiter {
  private accepted = new Map<string, number[]>();

  /** Counts the request if there is room; refused requests are not counted. */
  take(key: string, policy: RateLimitPolicy, now: number): { allowed: boolean; remaining: number } {
    const recent = (this.accepted.get(key) ?? []).filter((time) => now - time < policy.windowMs);
    if (recent.length >= policy.max) {
      this.accepted.set(key, recent);
      return { allowed: false, remaining: 0 };
    }
    recent.push(now);
    this.accepted.set(key, recent);
    return { allowed: true, remaining: policy.max - recent.length };
  }

  reset(): void {
    this.accepted.clear();
  }
}

function tenSecondlyHeaders(policy: RateLimitPolicy, remaining: number): Record<string, string> {
  return {
    'X-HubSpot-RateLimit-Max': String(policy.max),
    'X-HubSpot-RateLimit-Remaining': String(remaining),
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(policy.windowMs),
  };
}

/** Mounted after authentication: the limits are per installed account (and app). */
export function rateLimit(kind: 'crm' | 'search', state: FakeState, limiter: RollingWindowLimiter, faults: FaultInjector) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const auth = authOf(res);
    const key = `${kind}:${auth.portalId}:${auth.appId}`;
    const crmPolicy = state.settings.crmRateLimit;

    if (faults.stormActive()) {
      const record = recordOf(res);
      if (record) record.fault = 'rate-limit-storm';
      res.set(tenSecondlyHeaders(crmPolicy, 0)).status(429).json(tenSecondlyBody());
      return;
    }

    if (kind === 'search') {
      const decision = limiter.take(key, state.settings.searchRateLimit, state.now());
      if (!decision.allowed) {
        res.status(429).json(hubSpotErrorBody({ message: 'You have reached your secondly limit.', extra: { errorType: 'RATE_LIMIT', policyName: 'SECONDLY' } }));
        return;
      }
      next();
      return;
    }

    const decision = limiter.take(key, crmPolicy, state.now());
    res.set(tenSecondlyHeaders(crmPolicy, decision.remaining));
    if (!decision.allowed) {
      res.status(429).json(tenSecondlyBody());
      return;
    }
    next();
  };
}

function tenSecondlyBody() {
  return hubSpotErrorBody({
    message: 'You have reached your ten_secondly_rolling limit.',
    extra: { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' },
  });
}
