// POST /webhooks/hubspot: HubSpot's contact events, stored before they are acknowledged.
//
// HubSpot retries a delivery that gets no answer within 5 s or any 4xx/5xx, so the receiver
// does as little as possible: check the v3 signature on the raw bytes (401 and nothing stored
// when it fails), parse and validate (400), write the batch to the inbox in one statement
// (duplicates skipped), queue one job for the new events, answer 200. Nothing here waits on
// HubSpot or on processing; a Redis that does not answer only delays processing (the sweeper
// re-queues what the inbox still holds unprocessed).
import express, { Router } from 'express';
import type { AppDependencies } from '../app.js';
import { BODY_LIMIT } from '../http/limits.js';
import { Problem } from '../http/problem.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignatureV3 } from '../hubspot/request-signature.js';
import { enqueueWebhookEvents } from './enqueue-webhook-events.js';
import { storeWebhookBatch } from './store-webhook-batch.js';
import { webhookBatchSchema } from './webhook-event.js';

export const WEBHOOK_PATH = '/webhooks/hubspot';

export function webhookRoutes(deps: Pick<AppDependencies, 'config' | 'db' | 'queues' | 'logger'>): Router {
  const router = Router();
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
      throw new Problem({ status: 400, code: 'NOT_AN_EVENT_ARRAY', title: 'The request body is not an array of events', detail: 'HubSpot delivers webhook events as a JSON array.' });
    }
    const events = webhookBatchSchema.safeParse(parsed);
    if (!events.success) {
      const first = events.error.issues[0];
      throw new Problem({
        status: 400,
        code: 'INVALID_EVENT',
        title: 'An event in the batch is not valid',
        detail: `events.${first?.path.join('.')}: ${first?.message}`,
      });
    }

    const newEventIds = await storeWebhookBatch(deps.db, text, events.data.length, deps.queues.prefix);
    const queued = await enqueueWebhookEvents(deps.queues, newEventIds);
    if (!queued) deps.logger.warn({ events: newEventIds.length }, 'webhook events stored but not queued (Redis slow or down): the sweeper will queue them');
    res.status(200).json({ received: events.data.length, new: newEventIds.length });
  });
  return router;
}
