// A HubSpot webhook event as the receiver accepts it: the fields every event has are required
// (they identify it and order it), everything else is kept as sent.
import { z } from 'zod';

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,19}$/)]).transform(String);

export const webhookEventSchema = z.looseObject({
  eventId: id,
  subscriptionId: id,
  portalId: z.number().int().positive(),
  appId: z.number().int().positive().optional(),
  occurredAt: z.number().int().positive(),
  subscriptionType: z.string().min(1).max(100),
  objectId: id,
  attemptNumber: z.number().int().nonnegative().optional(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().nullable().optional(),
  primaryObjectId: id.optional(),
  mergedObjectIds: z.array(id).optional(),
  newObjectId: id.optional(),
});

/** HubSpot sends at most 100 events a request; a little slack, and a bound. */
export const MAX_EVENTS_PER_REQUEST = 1000;

export const webhookBatchSchema = z.array(webhookEventSchema).max(MAX_EVENTS_PER_REQUEST);

export type WebhookEventInput = z.infer<typeof webhookEventSchema>;
