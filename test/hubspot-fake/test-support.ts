// Helpers for the fake's own tests: a webhook receiver that records exactly what arrived (raw
// body included) and answers as told, and small wrappers around @hubspot/api-client.
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startHubSpotFake, type HubSpotFake } from './index.js';
import type { WebhookEvent } from './webhook-sender.js';

export interface ReceivedWebhook {
  /** The URL the request was sent to, as HubSpot signs it. */
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  events: WebhookEvent[];
  /** 0-based arrival order. */
  index: number;
}

export interface ReceiverAnswer {
  status: number;
  /** Wait this long before answering (the fake may give up first). */
  delayMs?: number;
}

export type Responder = (request: ReceivedWebhook) => ReceiverAnswer;

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Most requests being handled at the same moment. */
  peakConcurrent: number;
  respondWith(responder: Responder): void;
  events(): WebhookEvent[];
  stop(): Promise<void>;
}

export async function startReceiver(path = '/hubspot/webhooks', responder: Responder = () => ({ status: 204 })): Promise<WebhookReceiver> {
  let respond = responder;
  let concurrent = 0;
  const receiver: Omit<WebhookReceiver, 'url' | 'stop'> = {
    received: [],
    peakConcurrent: 0,
    respondWith(next) {
      respond = next;
    },
    events() {
      return receiver.received.flatMap((request) => request.events);
    },
  };
  const server = createServer((req, res) => {
    concurrent++;
    receiver.peakConcurrent = Math.max(receiver.peakConcurrent, concurrent);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        concurrent--;
      }
    };
    res.on('close', finish);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedWebhook = {
        url: `http://${req.headers.host}${req.url}`,
        method: req.method ?? '',
        headers: req.headers,
        rawBody,
        events: JSON.parse(rawBody) as WebhookEvent[],
        index: receiver.received.length,
      };
      receiver.received.push(request);
      const answer = respond(request);
      const send = () => {
        if (res.destroyed) return;
        res.statusCode = answer.status;
        res.end();
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...receiver,
    get received() {
      return receiver.received;
    },
    get peakConcurrent() {
      return receiver.peakConcurrent;
    },
    url: `http://127.0.0.1:${port}${path}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function clientFor(fake: HubSpotFake, accessToken?: string): Client {
  return new Client({ ...(accessToken ? { accessToken } : {}), basePath: fake.url, numberOfApiCallRetries: 0 });
}

export interface CaughtApiError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Awaits a call that must fail and returns what @hubspot/api-client's ApiException carried. */
export async function apiError(call: Promise<unknown>): Promise<CaughtApiError> {
  try {
    await call;
  } catch (error) {
    const { code, body, headers } = error as { code?: unknown; body?: unknown; headers?: unknown };
    if (typeof code !== 'number') throw error;
    return { code, body: (body ?? {}) as Record<string, unknown>, headers: (headers ?? {}) as Record<string, string> };
  }
  throw new Error('Expected the call to fail, and it succeeded');
}

/** An account with a private-app token holding every contact scope: for tests that skip OAuth. */
export function accountWithToken(fake: HubSpotFake, scopes?: string[]): { portalId: number; token: string; client: Client } {
  const { portalId } = fake.accounts.create();
  const token = fake.tokens.createPrivateAppToken(portalId, scopes ? { scopes } : {});
  return { portalId, token, client: clientFor(fake, token) };
}

/** One fake for the test file, reset before each test; `use` receives it once it listens. */
export function useFreshFake(use: (fake: HubSpotFake) => void): void {
  let fake: HubSpotFake | undefined;
  beforeAll(async () => {
    fake = await startHubSpotFake();
    use(fake);
  });
  afterAll(async () => {
    await fake?.stop();
  });
  beforeEach(() => fake?.reset());
}
