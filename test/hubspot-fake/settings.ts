// The fake's knobs: HubSpot's documented numbers as defaults, every one of them overridable so
// that tests can compress time (a 10 s rate-limit window becomes 500 ms, a 24 h retry schedule
// becomes milliseconds). `startHubSpotFake(options)` resolves them once; `fake.configure(...)`
// changes them while the fake runs.
import type { Logger } from 'pino';

export interface RateLimitPolicy {
  /** Requests allowed in any rolling window. */
  max: number;
  windowMs: number;
}

export interface SearchLimits {
  maxFilterGroups: number;
  maxFiltersPerGroup: number;
  maxFilters: number;
  maxSorts: number;
  maxLimit: number;
  /** Results reachable through paging: `after` at or beyond this answers 400. */
  maxReachableResults: number;
}

export interface WebhookDeliverySettings {
  /** Requests in flight at once per (app, installing account). HubSpot: 10 by default. */
  maxConcurrentRequests: number;
  /** No answer within this → the attempt failed (HubSpot: 5 s). */
  timeoutMs: number;
  /** Retries after the first attempt (HubSpot: "up to 10 times"). */
  maxRetries: number;
  /** Delay before retry number `retry` (1-based). Tests pass `() => 5`. */
  retryDelayMs: (retry: number) => number;
  maxEventsPerRequest: number;
  /** How long events may accumulate before a batch is cut (0 = next turn of the event loop). */
  batchWindowMs: number;
}

/**
 * How a batch update answers ids the account does not have. Which one HubSpot sends is
 * unconfirmed, so the fake speaks both: `multi-status` — 207, the others written, `errors[]`
 * with OBJECT_NOT_FOUND and `context.ids`; `batch-error` — 400 for the whole batch, category
 * OBJECT_NOT_FOUND, the ids in `context.ids`, nothing written.
 */
export type BatchUpdateMissingAnswer = 'multi-status' | 'batch-error';

export interface FakeSettings {
  accessTokenTtlSeconds: number;
  authorizationCodeTtlMs: number;
  crmRateLimit: RateLimitPolicy;
  searchRateLimit: RateLimitPolicy;
  searchLimits: SearchLimits;
  /** Search sees writes only this long after they happen (HubSpot: "a few moments"). */
  searchIndexLagMs: number;
  batchUpdateMissing: BatchUpdateMissingAnswer;
  webhooks: WebhookDeliverySettings;
  /** Milliseconds since the epoch: token expiry, timestamps, rate-limit windows. */
  clock: () => number;
}

export interface HubSpotFakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  logger?: Logger;
  accessTokenTtlSeconds?: number;
  authorizationCodeTtlMs?: number;
  crmRateLimit?: Partial<RateLimitPolicy>;
  searchRateLimit?: Partial<RateLimitPolicy>;
  searchLimits?: Partial<SearchLimits>;
  searchIndexLagMs?: number;
  batchUpdateMissing?: BatchUpdateMissingAnswer;
  webhooks?: Partial<WebhookDeliverySettings>;
  clock?: () => number;
}

export type SettingsUpdate = Omit<HubSpotFakeOptions, 'port' | 'host' | 'logger'>;

const HOUR_MS = 60 * 60 * 1000;

/**
 * HubSpot retries failed webhook requests up to 10 times spread over 24 hours; the exact
 * schedule is not published. This doubling from one minute (capped at 8 h) is an approximation.
 */
export function defaultRetryDelayMs(retry: number): number {
  return Math.min(60_000 * 2 ** (retry - 1), 8 * HOUR_MS);
}

export function defaultSettings(): FakeSettings {
  return {
    accessTokenTtlSeconds: 1800,
    // "A short window" in HubSpot's words; the exact lifetime of a code is unconfirmed.
    authorizationCodeTtlMs: 10 * 60 * 1000,
    crmRateLimit: { max: 110, windowMs: 10_000 },
    searchRateLimit: { max: 5, windowMs: 1000 },
    // docs/hubspot-api.md: 5 groups × 6 filters, 18 in all. HubSpot's August 2024 changelog
    // announced 5 groups × 10 filters, 25 in all; the notes are what the project relies on.
    searchLimits: {
      maxFilterGroups: 5,
      maxFiltersPerGroup: 6,
      maxFilters: 18,
      maxSorts: 1,
      maxLimit: 200,
      maxReachableResults: 10_000,
    },
    searchIndexLagMs: 0,
    batchUpdateMissing: 'multi-status',
    webhooks: {
      maxConcurrentRequests: 10,
      timeoutMs: 5000,
      maxRetries: 10,
      retryDelayMs: defaultRetryDelayMs,
      maxEventsPerRequest: 100,
      batchWindowMs: 0,
    },
    clock: () => Date.now(),
  };
}

export function applySettings(settings: FakeSettings, update: SettingsUpdate): void {
  if (update.accessTokenTtlSeconds !== undefined) settings.accessTokenTtlSeconds = update.accessTokenTtlSeconds;
  if (update.authorizationCodeTtlMs !== undefined) settings.authorizationCodeTtlMs = update.authorizationCodeTtlMs;
  if (update.crmRateLimit) settings.crmRateLimit = { ...settings.crmRateLimit, ...update.crmRateLimit };
  if (update.searchRateLimit) settings.searchRateLimit = { ...settings.searchRateLimit, ...update.searchRateLimit };
  if (update.searchLimits) settings.searchLimits = { ...settings.searchLimits, ...update.searchLimits };
  if (update.searchIndexLagMs !== undefined) settings.searchIndexLagMs = update.searchIndexLagMs;
  if (update.batchUpdateMissing !== undefined) settings.batchUpdateMissing = update.batchUpdateMissing;
  if (update.webhooks) settings.webhooks = { ...settings.webhooks, ...update.webhooks };
  if (update.clock) settings.clock = update.clock;
}
