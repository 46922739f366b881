// Delivers webhook events the way HubSpot does, and records every attempt.
//
// Events for one (app, installing account) accumulate in a lane; a batch of at most
// `maxEventsPerRequest` (100) is cut on the next turn of the event loop (or after
// `batchWindowMs`) and POSTed as a JSON array to the app's target URL, signed with v3 and the
// legacy v1 headers. At most `maxConcurrentRequests` (10) requests are in flight per lane. A
// request fails on a connection error, on no answer within `timeoutMs` (5 s) and on any 4xx or
// 5xx; a failed request is sent again, unchanged but for `attemptNumber`, up to `maxRetries` (10)
// times, after `retryDelayMs(retry)`. A request waiting for its retry does not hold a slot.
//
// For tests: `sendBatch` sends a prepared batch (the same batch n times = duplicates),
// `pause`/`resume` let events pile up, `setOrder('reversed' | 'shuffled')` delivers them out of
// order, `setContactEventForm('generic')` sends contact changes as generic `object.*` events
// (change-events.ts), and `idle()` resolves once nothing is queued, in flight or waiting for a
// retry.
//
// Requests go through node:http, not the global fetch, so that a test which stubs `fetch` does
// not intercept HubSpot's deliveries.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from 'pino';
import { FakeControlError } from './errors.js';
import { signRequest, signatureV1 } from './signing.js';
import type { FakeState } from './state.js';

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  /** Generic (`object.*`) events only: "0-1" for contacts. */
  objectTypeId?: string;
  objectId: number;
  changeSource?: string;
  sourceId?: string;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
}

/** An event before it is sent: the sender sets `attemptNumber`. */
export type PendingEvent = Omit<WebhookEvent, 'attemptNumber'> & { attemptNumber?: number };

export type DeliveryOutcome = 'in-flight' | 'answered' | 'timeout' | 'connection-error' | 'aborted';

/** One HTTP request the sender made (a retry is a new record with a higher attemptNumber). */
export interface DeliveryAttempt {
  /** The same for every attempt of one batch. */
  deliveryId: number;
  attemptNumber: number;
  appId: number;
  portalId: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  events: WebhookEvent[];
  startedAt: number;
  durationMs?: number;
  outcome: DeliveryOutcome;
  status?: number;
  responseBody?: string;
  errorMessage?: string;
  succeeded?: boolean;
  willRetry?: boolean;
}

export type EventOrder = 'in-order' | 'reversed' | 'shuffled';

/**
 * Where the app's contact subscriptions are declared in its webhooks-hsmeta.json, which decides
 * what HubSpot sends: `legacy` (legacyCrmObjects: `contact.*`) or `generic` (crmObjects:
 * `object.*` with `objectTypeId` "0-1").
 */
export type ContactEventForm = 'legacy' | 'generic';

interface Delivery {
  id: number;
  appId: number;
  portalId: number;
  events: PendingEvent[];
  /** 0 for the first attempt. */
  retry: number;
  url?: string;
}

interface Lane {
  appId: number;
  portalId: number;
  queue: PendingEvent[];
  ready: Delivery[];
  inFlight: number;
  peakInFlight: number;
  flushScheduled: boolean;
}

const USER_AGENT = 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio-http-client) - WebhooksExecutorDaemon-executor';
const RECORDED_RESPONSE_BODY_LIMIT = 4096;

export class WebhookSender {
  private lanes = new Map<string, Lane>();
  private attempts: DeliveryAttempt[] = [];
  private retryTimers = new Set<NodeJS.Timeout>();
  /** Cancels for scheduled batch cuts (a timeout or an immediate, depending on batchWindowMs). */
  private flushCancels = new Set<() => void>();
  private inFlightControllers = new Set<AbortController>();
  private idleWaiters: Array<() => void> = [];
  private nextDeliveryId = 1;
  private paused = false;
  private order: EventOrder = 'in-order';
  private eventForm: ContactEventForm = 'legacy';
  private stopped = false;
  private httpAgent = new HttpAgent({ keepAlive: true });
  private httpsAgent = new HttpsAgent({ keepAlive: true });

  constructor(
    private readonly state: FakeState,
    private readonly logger: Logger,
  ) {}

  // ── Feeding it ────────────────────────────────────────────────────────────

  /** Events produced by a change in HubSpot; they are batched with whatever else is waiting. */
  enqueue(appId: number, portalId: number, events: PendingEvent[]): void {
    if (this.stopped || events.length === 0) return;
    const lane = this.lane(appId, portalId);
    lane.queue.push(...events);
    this.scheduleFlush(lane);
  }

  /**
   * Sends a prepared batch as one request, `times` times (each a separate delivery, so each
   * with attemptNumber 0 and its own retries): the way to produce duplicates.
   */
  sendBatch(input: { appId: number; portalId: number; events: PendingEvent[]; times?: number; url?: string }): number[] {
    const app = this.state.requireApp(input.appId);
    if (!input.url && !app.webhookTargetUrl) throw new FakeControlError(400, `App ${app.appId} has no webhook target URL`);
    if (input.events.length > this.state.settings.webhooks.maxEventsPerRequest) {
      throw new FakeControlError(400, `HubSpot sends at most ${this.state.settings.webhooks.maxEventsPerRequest} events per request`);
    }
    const lane = this.lane(input.appId, input.portalId);
    const ids: number[] = [];
    for (let i = 0; i < (input.times ?? 1); i++) {
      const delivery: Delivery = {
        id: this.nextDeliveryId++,
        appId: input.appId,
        portalId: input.portalId,
        events: input.events.map((event) => ({ ...event })),
        retry: 0,
        ...(input.url ? { url: input.url } : {}),
      };
      lane.ready.push(delivery);
      ids.push(delivery.id);
    }
    this.pump(lane);
    this.checkIdle();
    return ids;
  }

  // ── Knobs ─────────────────────────────────────────────────────────────────

  /** Holds queued events (they keep accumulating) until resume(). Retries and sendBatch still go. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const lane of this.lanes.values()) this.pump(lane);
    this.checkIdle();
  }

  /**
   * How queued events are ordered when batches are cut: `reversed` sends the newest first (within
   * and across batches), `shuffled` at random. Concurrent requests may overtake each other anyway.
   */
  setOrder(order: EventOrder): void {
    this.order = order;
  }

  /** The form contact changes are sent in from now on (prepared batches are sent as given). */
  setContactEventForm(form: ContactEventForm): void {
    this.eventForm = form;
  }

  get contactEventForm(): ContactEventForm {
    return this.eventForm;
  }

  // ── Observing it ──────────────────────────────────────────────────────────

  deliveries(filter: { appId?: number; portalId?: number } = {}): DeliveryAttempt[] {
    return this.attempts.filter(
      (attempt) => (filter.appId === undefined || attempt.appId === filter.appId) && (filter.portalId === undefined || attempt.portalId === filter.portalId),
    );
  }

  /** The most requests that were in flight at once for an account (all apps' lanes: the max of any). */
  peakInFlight(portalId: number): number {
    let peak = 0;
    for (const lane of this.lanes.values()) if (lane.portalId === portalId) peak = Math.max(peak, lane.peakInFlight);
    return peak;
  }

  /** Resolves when nothing is queued (unless paused), in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────

  stop(): void {
    this.stopped = true;
    this.cancelEverything();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  reset(): void {
    this.cancelEverything();
    this.lanes.clear();
    this.attempts = [];
    this.paused = false;
    this.order = 'in-order';
    this.eventForm = 'legacy';
    this.nextDeliveryId = 1;
  }

  private cancelEverything(): void {
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const cancel of this.flushCancels) cancel();
    this.flushCancels.clear();
    for (const controller of this.inFlightControllers) controller.abort(new Error('stopped'));
    this.inFlightControllers.clear();
    for (const lane of this.lanes.values()) {
      lane.queue = [];
      lane.ready = [];
      lane.flushScheduled = false;
    }
    this.resolveIdleWaiters();
  }

  // ── Machinery ─────────────────────────────────────────────────────────────

  private lane(appId: number, portalId: number): Lane {
    const key = `${appId}:${portalId}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { appId, portalId, queue: [], ready: [], inFlight: 0, peakInFlight: 0, flushScheduled: false };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private scheduleFlush(lane: Lane): void {
    if (lane.flushScheduled) return;
    lane.flushScheduled = true;
    const flush = () => {
      this.flushCancels.delete(cancel);
      lane.flushScheduled = false;
      this.pump(lane);
      this.checkIdle();
    };
    const windowMs = this.state.settings.webhooks.batchWindowMs;
    let cancel: () => void;
    if (windowMs > 0) {
      const timer = setTimeout(flush, windowMs);
      cancel = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(flush);
      cancel = () => clearImmediate(immediate);
    }
    this.flushCancels.add(cancel);
  }

  private maxConcurrent(lane: Lane): number {
    return this.state.apps.get(lane.appId)?.maxConcurrentRequests ?? this.state.settings.webhooks.maxConcurrentRequests;
  }

  private pump(lane: Lane): void {
    if (this.stopped) return;
    while (lane.inFlight < this.maxConcurrent(lane)) {
      const delivery = lane.ready.shift() ?? this.cutBatch(lane);
      if (!delivery) break;
      void this.attempt(lane, delivery);
    }
  }

  private cutBatch(lane: Lane): Delivery | undefined {
    if (this.paused || lane.flushScheduled || lane.queue.length === 0) return undefined;
    const size = this.state.settings.webhooks.maxEventsPerRequest;
    let events: PendingEvent[];
    if (this.order === 'reversed') {
      // Newest first, within a batch and across batches.
      events = lane.queue.splice(Math.max(0, lane.queue.length - size)).reverse();
    } else {
      if (this.order === 'shuffled') shuffle(lane.queue);
      events = lane.queue.splice(0, size);
    }
    return { id: this.nextDeliveryId++, appId: lane.appId, portalId: lane.portalId, events, retry: 0 };
  }

  private async attempt(lane: Lane, delivery: Delivery): Promise<void> {
    const app = this.state.apps.get(delivery.appId);
    const url = delivery.url ?? app?.webhookTargetUrl;
    if (!app || !url) return;
    lane.inFlight++;
    lane.peakInFlight = Math.max(lane.peakInFlight, lane.inFlight);

    const events = delivery.events.map((event) => withAttemptNumber(event, delivery.retry));
    const body = JSON.stringify(events);
    const timestamp = this.state.now();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      ...signRequest({ method: 'POST', url, body, clientSecret: app.clientSecret, timestamp }),
      'X-HubSpot-Signature': signatureV1(app.clientSecret, body),
      'X-HubSpot-Signature-Version': 'v1',
    };
    const record: DeliveryAttempt = {
      deliveryId: delivery.id,
      attemptNumber: delivery.retry,
      appId: delivery.appId,
      portalId: delivery.portalId,
      url,
      headers,
      body,
      events,
      startedAt: timestamp,
      outcome: 'in-flight',
    };
    this.attempts.push(record);

    const started = performance.now();
    const controller = new AbortController();
    this.inFlightControllers.add(controller);
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, this.state.settings.webhooks.timeoutMs);
    try {
      const response = await this.post(url, headers, body, controller.signal);
      record.outcome = 'answered';
      record.status = response.status;
      record.responseBody = response.body.slice(0, RECORDED_RESPONSE_BODY_LIMIT);
      // HubSpot retries on any 4xx and 5xx.
      record.succeeded = response.status < 400;
    } catch (error) {
      record.outcome = timedOut ? 'timeout' : controller.signal.aborted ? 'aborted' : 'connection-error';
      record.errorMessage = error instanceof Error ? `${error.message}${causeOf(error)}` : String(error);
      record.succeeded = false;
    } finally {
      clearTimeout(timeout);
      this.inFlightControllers.delete(controller);
      record.durationMs = Math.round(performance.now() - started);
      lane.inFlight--;
    }

    record.willRetry = !record.succeeded && record.outcome !== 'aborted' && !this.stopped && delivery.retry < this.state.settings.webhooks.maxRetries;
    this.logger.debug({ deliveryId: delivery.id, attempt: delivery.retry, outcome: record.outcome, status: record.status }, 'webhook attempt');
    if (record.willRetry) this.scheduleRetry(lane, { ...delivery, retry: delivery.retry + 1 });
    this.pump(lane);
    this.checkIdle();
  }

  private post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: secure ? this.httpsAgent : this.httpAgent, signal },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  private scheduleRetry(lane: Lane, delivery: Delivery): void {
    const timer = setTimeout(
      () => {
        this.retryTimers.delete(timer);
        lane.ready.push(delivery);
        this.pump(lane);
        this.checkIdle();
      },
      Math.max(0, this.state.settings.webhooks.retryDelayMs(delivery.retry)),
    );
    this.retryTimers.add(timer);
  }

  private isIdle(): boolean {
    if (this.retryTimers.size > 0) return false;
    for (const lane of this.lanes.values()) {
      if (lane.inFlight > 0 || lane.ready.length > 0 || lane.flushScheduled) return false;
      if (!this.paused && lane.queue.length > 0) return false;
    }
    return true;
  }

  private checkIdle(): void {
    if (this.isIdle()) this.resolveIdleWaiters();
  }

  private resolveIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The event as sent: HubSpot's field order, with this attempt's number. */
function withAttemptNumber(event: PendingEvent, attemptNumber: number): WebhookEvent {
  const { eventId, subscriptionId, portalId, appId, occurredAt, subscriptionType, attemptNumber: _previous, ...rest } = event;
  return { eventId, subscriptionId, portalId, appId, occurredAt, subscriptionType, attemptNumber, ...rest };
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}
