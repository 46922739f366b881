// POST /webhooks/hubspot: HubSpot's contact events, stored before they are acknowledged.
//
// HubSpot retries a delivery that gets no answer within 5 s or any 4xx/5xx — the whole batch,
// for 24 hours — so the receiver does as little as possible: check the v3 signature on the raw
// bytes (401 and nothing stored when it fails), refuse a body that is not a JSON array of
// objects (400, nothing stored), judge each event on its own (webhook-event.ts: a contact event
// in either form, another object's event, or one that does not fit), write the batch to the
// inbox in one statement (duplicates skipped), answer 200, and queue the new events to process
// without waiting for Redis.
// Nothing here waits on HubSpot or on processing; a Redis that does not answer only delays
// processing (the sweeper re-queues what the inbox still holds unprocessed).
import express, { Router } from 'express';
import type { AppDependencies } from '../runtime/dependencies.js';
import { BODY_LIMIT } from '../http/limits.js';
import { Problem } from '../http/problem.js';
import { countWebhookDelivery } from '../observability/metrics.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignatureV3 } from '../hubspot/request-signature.js';
import { webhookEventsQueuer } from './enqueue-webhook-events.js';
import { storeWebhookBatch } from './store-webhook-batch.js';
import { judgeBatch, MAX_EVENTS_PER_REQUEST } from './webhook-event.js';

export const WEBHOOK_PATH = '/webhooks/hubspot';

export function webhookRoutes(deps: Pick<AppDependencies, 'config' | 'db' | 'queues' | 'logger'>): Router {
  const router = Router();
  const queueStored = webhookEventsQueuer(deps.queues, deps.logger);
  // The raw bytes, whatever the content type: HubSpot signs bytes, and a signature is checked
  // before anything is parsed.
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifySignatureV3(
      {
        method: req.method,
        uri: `${deps.config.publicUrl}${req.originalUrl}`,
        rawBody,
        signature: req.get(SIGNATURE_HEADER),
        timestamp: req.get(TIMESTAMP_HEADER),
      },
      deps.config.HUBSPOT_CLIENT_SECRET,
    );
    if (!check.ok) {
      throw new Problem({ status: 401, code: 'INVALID_SIGNATURE', title: 'The request is not signed by HubSpot', detail: `Refused because ${check.reason}.` });
    }

    const text = rawBody.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Problem({ status: 400, code: 'MALFORMED_JSON', title: 'The request body is not valid JSON', detail: 'Send the JSON array of events HubSpot delivers.' });
    }
    if (!Array.isArray(parsed)) {
      throw new Problem({
        status: 400,
        code: 'NOT_AN_EVENT_ARRAY',
        title: 'The request body is not an array of events',
        detail: 'HubSpot delivers webhook events as a JSON array.',
      });
    }
    const notAnObject = parsed.findIndex((element) => element === null || typeof element !== 'object' || Array.isArray(element));
    if (notAnObject >= 0) {
      throw new Problem({
        status: 400,
        code: 'NOT_AN_EVENT_ARRAY',
        title: 'The request body is not an array of events',
        detail: `events.${notAnObject} is not a JSON object; HubSpot delivers each event as one.`,
      });
    }
    if (parsed.length > MAX_EVENTS_PER_REQUEST) {
      throw new Problem({
        status: 400,
        code: 'TOO_MANY_EVENTS',
        title: 'Too many events in one request',
        detail: `${parsed.length} events; HubSpot sends at most 100 a request, and ${MAX_EVENTS_PER_REQUEST} are accepted.`,
      });
    }

    // From here on, one event that does not fit never refuses the batch: it is stored, marked.
    const events = parsed as Array<Record<string, unknown>>;
    const { batchJson, entries } = judgeBatch(text, events);
    const batch = await storeWebhookBatch(deps.db, batchJson, entries, deps.queues.prefix);
    // Stored is what the 200 promises; queuing happens beside the answer, not before it.
    queueStored(batch.toProcess);
    const unparsed = entries.filter((entry) => entry.unparsed).length;
    countWebhookDelivery({ received: events.length, stored: batch.stored, unparsed });
    if (unparsed > 0)
      deps.logger.warn(
        { unparsed, reasons: entries.flatMap((entry) => (entry.unparsed ? [entry.outcome] : [])).slice(0, 5) },
        'webhook events that do not fit the schema: stored, marked unparsed',
      );
    res.status(200).json({ received: events.length, new: batch.stored, unparsed });
  });
  return router;
}
