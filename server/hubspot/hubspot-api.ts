// The only way the app calls HubSpot's CRM API: per portal, within the shared rate limit, with
// tokens from the install store, and with HubSpot's failures handled the same way everywhere.
//
// - every call first takes a slot from the portal's Redis limiter (rate-limiter.ts);
// - 401: the token is refreshed once (for all processes) and the call repeated once;
// - 429: the whole portal pauses (HubSpot's Retry-After when given, else growing from 1 s) and
//   the call is repeated;
// - 5xx, timeouts, dropped connections: repeated with exponential backoff and full jitter, then
//   HubSpotUnavailableError so a job can retry later;
// - other 4xx: HubSpotRequestError, not retried.
//
// Missing and merged contacts in batch calls (the fake models both batch-update answers, see
// test/hubspot-fake/README.md):
// - batch update: whether HubSpot answers a missing id with a 207 carrying per-item errors or
//   with an error for the whole batch (category OBJECT_NOT_FOUND, the ids in `context.ids`,
//   nothing written) is unconfirmed. Both are handled: the ids HubSpot names are reported as
//   missing and, after a whole-batch error, the rest are sent again at once.
// - batch read answers a merged-away id with the surviving record under the survivor's id;
//   the survivor lists the ids merged into it in `hs_merged_object_ids` (`;`-separated, a
//   read-only contact property that integrations rely on; no HubSpot reference page for it was
//   found), which is how a record is mapped back to the id that was asked for.
import { Client } from '@hubspot/api-client';
// The package publishes these enums only under its generated code.
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import type http from 'node:http';
import type { Logger } from '../observability/logger.js';
import { startHubSpotCall } from '../observability/metrics.js';
import { HubSpotRequestError, HubSpotUnavailableError, hubspotMessage, isApiException } from './hubspot-errors.js';
import type { InstallStore } from './install-store.js';
import type { HubSpotUsage } from './hubspot-usage.js';
import type { HubSpotRateLimiter, RateLimitLane } from './rate-limiter.js';
import { storableText } from '../domain/storable-text.js';

export interface HubSpotApiDeps {
  baseUrl: string;
  agent: http.Agent;
  installs: InstallStore;
  limiter: HubSpotRateLimiter;
  /** Where each call is counted per portal for the console (hubspot-usage.ts). */
  usage?: Pick<HubSpotUsage, 'record'>;
  logger: Logger;
  /** Attempts for 5xx/timeouts/429s before giving up (default 6). */
  maxAttempts?: number;
  /** First backoff step in ms (default 250); tests make it small. */
  backoffBaseMs?: number;
}

export interface HubSpotContactRecord {
  id: string;
  properties: Record<string, string | null>;
  updatedAt: string | null;
  archived: boolean;
  /** Set when `id` was merged away: the surviving contact whose record this is. */
  mergedIntoId?: string;
}

export interface ContactUpdate {
  id: string;
  properties: Record<string, string>;
}

export interface BatchUpdateOutcome {
  updated: string[];
  /** Contacts HubSpot does not have (deleted, merged away): recorded, never retried. */
  missing: string[];
}

export interface PropertyGroupDefinition {
  name: string;
  label: string;
  displayOrder?: number;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: 'string' | 'enumeration' | 'datetime' | 'bool';
  fieldType: 'text' | 'textarea' | 'booleancheckbox' | 'select' | 'date';
  options?: Array<{ label: string; value: string; displayOrder?: number }>;
}

// The client's generated enums, for the few property kinds the app creates.
const PROPERTY_TYPES = {
  string: PropertyCreateTypeEnum.String,
  enumeration: PropertyCreateTypeEnum.Enumeration,
  datetime: PropertyCreateTypeEnum.Datetime,
  bool: PropertyCreateTypeEnum.Bool,
} as const satisfies Record<PropertyDefinition['type'], PropertyCreateTypeEnum>;

const FIELD_TYPES = {
  text: PropertyCreateFieldTypeEnum.Text,
  textarea: PropertyCreateFieldTypeEnum.Textarea,
  booleancheckbox: PropertyCreateFieldTypeEnum.Booleancheckbox,
  select: PropertyCreateFieldTypeEnum.Select,
  date: PropertyCreateFieldTypeEnum.Date,
} as const satisfies Record<PropertyDefinition['fieldType'], PropertyCreateFieldTypeEnum>;

export interface PortalHubSpotApi {
  getContact(contactId: string, properties: string[]): Promise<HubSpotContactRecord | null>;
  listContacts(input: { after?: string; limit?: number; properties: string[] }): Promise<{ contacts: HubSpotContactRecord[]; after: string | null }>;
  /**
   * Reads up to 100 contacts in one call, one record per id asked for (under that id, with
   * `mergedIntoId` when HubSpot answered with the record it was merged into); ids HubSpot does
   * not have are left out.
   */
  batchReadContacts(contactIds: string[], properties: string[]): Promise<HubSpotContactRecord[]>;
  batchUpdateContacts(updates: ContactUpdate[]): Promise<BatchUpdateOutcome>;
  /** Creates the group unless it exists (409 is success). */
  ensurePropertyGroup(group: PropertyGroupDefinition): Promise<void>;
  /** Creates the property unless it exists (409 is success). */
  ensureProperty(property: PropertyDefinition): Promise<void>;
  /**
   * The account's HubSpot interface host (`app.hubspot.com`, `app-eu1.hubspot.com` for EU-hosted
   * accounts): `GET /account-info/v3/details`, scope `oauth` (docs/hubspot-api.md).
   */
  getUiDomain(): Promise<string>;
  /**
   * The owner id of the account's user with this email, or null when there is none:
   * `GET /crm/v3/owners/?email=`, scope `crm.objects.owners.read` (docs/hubspot-api.md).
   */
  findOwnerIdByEmail(email: string): Promise<string | null>;
  /**
   * Creates a task on a contact, assigned to an owner, due at `dueAt`: `POST /crm/v3/objects/tasks`
   * with the task→contact association (HubSpot-defined type 204), scope `crm.objects.contacts.write`
   * (docs/hubspot-api.md). Returns the task's id.
   */
  createContactTask(task: ContactTask): Promise<string>;
}

export interface ContactTask {
  contactId: string;
  ownerId: string;
  subject: string;
  body: string;
  dueAt: Date;
}

/** HubSpot-defined association type of a task to a contact (developers.hubspot.com/docs/api/crm/associations). */
export const TASK_TO_CONTACT_ASSOCIATION_TYPE_ID = 204;

export interface HubSpotApi {
  forPortal(portalId: number, lane: RateLimitLane): PortalHubSpotApi;
}

export const MAX_BATCH_INPUTS = 100;

function retryAfterMs(headers: Record<string, string> | undefined): number | null {
  const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
  if (!value) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

/**
 * Every contact the app reads from HubSpot passes here. Its values are made storable: HubSpot's
 * JSON can carry U+0000 and half a surrogate pair (whether HubSpot ever stores them is not
 * known), PostgreSQL refuses both, and one such value failed every statement it reached (the
 * mirror, the registration, a refusal's audit row and write-back), and with them the webhook job
 * of its whole batch on every retry (domain/storable-text.ts).
 */
function contactRecord(object: { id: string; properties: Record<string, string | null>; updatedAt?: Date | string; archived?: boolean }): HubSpotContactRecord {
  const updatedAt = object.updatedAt instanceof Date ? object.updatedAt.toISOString() : (object.updatedAt ?? null);
  const properties = Object.fromEntries(Object.entries(object.properties).map(([name, value]) => [name, value === null ? null : storableText(value)]));
  return { id: object.id, properties, updatedAt, archived: object.archived ?? false };
}

const MERGED_IDS_PROPERTY = 'hs_merged_object_ids';

interface HubSpotErrorLike {
  category?: string;
  context?: { ids?: unknown };
}

/** Ids named by OBJECT_NOT_FOUND errors: a 207's `errors`, or a whole-batch error body. */
function notFoundIds(errors: unknown): string[] {
  if (typeof errors === 'string') return notFoundIds(parseJsonOrNull(errors));
  const list = Array.isArray(errors) ? errors : [errors];
  return list.flatMap((error: HubSpotErrorLike | null) => {
    const ids = error?.category === 'OBJECT_NOT_FOUND' ? error.context?.ids : undefined;
    return Array.isArray(ids) ? ids.map(String) : [];
  });
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The asked-for ids a record answers: its own, and those merged into it. */
function idsAnswered(record: HubSpotContactRecord, asked: Set<string>): string[] {
  const merged = (record.properties[MERGED_IDS_PROPERTY] ?? '').split(';').filter(Boolean);
  return [record.id, ...merged].filter((id) => asked.has(id));
}

export function createHubSpotApi({ baseUrl, agent, installs, limiter, usage, logger, maxAttempts = 6, backoffBaseMs = 250 }: HubSpotApiDeps): HubSpotApi {
  /** Counts the call for the console; a Redis hiccup there never fails or holds up the call itself. */
  function countCall(portalId: number, status: number | null, slot: { waitedMs: number; waited: boolean }): void {
    void usage
      ?.record(portalId, { status, waitedMs: slot.waitedMs, waited: slot.waited })
      .catch((error: unknown) => logger.warn({ err: error, portalId }, 'counting a hubspot call failed'));
  }

  // A Client builds dozens of API objects: one per access token, reused until the token changes.
  // (A per-process cache of immutable values, nothing another process needs to see.)
  const clients = new Map<string, Client>();
  function clientFor(accessToken: string): Client {
    let client = clients.get(accessToken);
    if (!client) {
      if (clients.size >= 500) clients.delete(clients.keys().next().value!);
      client = new Client({ accessToken, basePath: baseUrl, numberOfApiCallRetries: 0, httpAgent: agent });
      clients.set(accessToken, client);
    }
    return client;
  }

  async function call<T>(portalId: number, lane: RateLimitLane, what: string, request: (client: Client) => Promise<T>): Promise<T> {
    let refreshed = false;
    let pauses = 0;
    for (let attempt = 1; ; attempt += 1) {
      // The token first: the slot is taken as close as possible to the moment the call leaves.
      const token = await installs.accessToken(portalId);
      const slot = await limiter.acquire(portalId, lane);
      const answered = startHubSpotCall(lane);
      try {
        const result = await request(clientFor(token));
        answered(200);
        countCall(portalId, 200, slot);
        return result;
      } catch (error) {
        const status = isApiException(error) ? error.code : null;
        answered(status);
        countCall(portalId, status, slot);
        if (status === 401 && !refreshed) {
          refreshed = true;
          await installs.refreshAfterRejection(portalId, token);
          continue;
        }
        if (status === 429) {
          pauses += 1;
          const wait = retryAfterMs(isApiException(error) ? error.headers : undefined) ?? Math.min(10_000, 1000 * 2 ** (pauses - 1));
          logger.warn({ portalId, what, wait }, 'hubspot rate limit hit: pausing the portal');
          await limiter.pause(portalId, wait);
          if (pauses < maxAttempts * 2) continue;
          throw new HubSpotUnavailableError(`HubSpot kept answering 429 to the ${what} for portal ${portalId}.`);
        }
        if (status !== null && status >= 400 && status < 500) {
          throw new HubSpotRequestError(
            status,
            `HubSpot refused the ${what} for portal ${portalId}: ${hubspotMessage(isApiException(error) ? error.body : undefined) ?? (error as Error).message}`,
            isApiException(error) ? error.body : undefined,
          );
        }
        // 5xx, timeouts, dropped connections.
        if (attempt >= maxAttempts) {
          throw new HubSpotUnavailableError(`HubSpot did not complete the ${what} for portal ${portalId} after ${attempt} attempts: ${(error as Error).message}`);
        }
        const backoff = Math.random() * backoffBaseMs * 2 ** (attempt - 1);
        logger.warn({ portalId, what, attempt, status, backoff: Math.round(backoff) }, 'hubspot call failed: retrying');
        await new Promise((resolve) => setTimeout(resolve, backoff));
      } finally {
        await slot.done();
      }
    }
  }

  /** 409 means the thing already exists, which is what "ensure" wants. */
  async function ignoringConflict(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof HubSpotRequestError && error.status === 409) return;
      throw error;
    }
  }

  return {
    forPortal(portalId, lane) {
      return {
        async getContact(contactId, properties) {
          try {
            const contact = await call(portalId, lane, 'contact read', (client) => client.crm.contacts.basicApi.getById(contactId, properties));
            return contactRecord(contact);
          } catch (error) {
            if (error instanceof HubSpotRequestError && error.status === 404) return null;
            throw error;
          }
        },

        async listContacts({ after, limit = 100, properties }) {
          const page = await call(portalId, lane, 'contact page read', (client) => client.crm.contacts.basicApi.getPage(limit, after, properties));
          return { contacts: page.results.map(contactRecord), after: page.paging?.next?.after ?? null };
        },

        async batchReadContacts(contactIds, properties) {
          if (contactIds.length === 0) return [];
          if (contactIds.length > MAX_BATCH_INPUTS) throw new RangeError(`HubSpot reads at most ${MAX_BATCH_INPUTS} contacts per batch.`);
          const asked = new Set(contactIds);
          const answer = await call(portalId, lane, 'contact batch read', (client) =>
            client.crm.contacts.batchApi.read({
              inputs: [...asked].map((id) => ({ id })),
              properties: [...new Set([...properties, MERGED_IDS_PROPERTY])],
              propertiesWithHistory: [],
            }),
          );
          const byAskedId = new Map<string, HubSpotContactRecord>();
          for (const result of answer.results) {
            const record = contactRecord(result);
            for (const id of idsAnswered(record, asked)) {
              if (byAskedId.has(id)) continue;
              const fields = Object.fromEntries(Object.entries(record.properties).filter(([name]) => name !== MERGED_IDS_PROPERTY || properties.includes(name)));
              byAskedId.set(id, { ...record, id, properties: fields, ...(id === record.id ? {} : { mergedIntoId: record.id }) });
            }
          }
          return [...asked].flatMap((id) => byAskedId.get(id) ?? []);
        },

        async batchUpdateContacts(updates) {
          if (updates.length === 0) return { updated: [], missing: [] };
          if (updates.length > MAX_BATCH_INPUTS) throw new RangeError(`HubSpot takes at most ${MAX_BATCH_INPUTS} contacts per batch update.`);
          const missing: string[] = [];
          let remaining = updates;
          // Each round either ends the loop or drops at least one id: at most one round per input.
          while (remaining.length > 0) {
            try {
              const inputs = remaining;
              const answer = await call(portalId, lane, 'contact batch update', (client) => client.crm.contacts.batchApi.updateWithHttpInfo({ inputs }));
              missing.push(...notFoundIds((answer.data as { errors?: unknown }).errors));
              return { updated: answer.data.results.map((contact) => contact.id), missing };
            } catch (error) {
              const named = new Set(error instanceof HubSpotRequestError ? notFoundIds(error.body) : []);
              const gone = remaining.filter((update) => named.has(update.id));
              // Not about missing contacts we sent: a real refusal of the batch.
              if (gone.length === 0) throw error;
              logger.info({ portalId, contacts: gone.map((update) => update.id) }, 'hubspot refused a batch update for missing contacts: sending the rest again');
              missing.push(...gone.map((update) => update.id));
              remaining = remaining.filter((update) => !named.has(update.id));
            }
          }
          return { updated: [], missing };
        },

        ensurePropertyGroup(group) {
          return ignoringConflict(() =>
            call(portalId, lane, 'property group creation', (client) => client.crm.properties.groupsApi.create('contacts', { displayOrder: -1, ...group })),
          );
        },

        ensureProperty(property) {
          return ignoringConflict(() =>
            call(portalId, lane, `creation of property ${property.name}`, (client) =>
              client.crm.properties.coreApi.create('contacts', {
                ...property,
                type: PROPERTY_TYPES[property.type],
                fieldType: FIELD_TYPES[property.fieldType],
                options: (property.options ?? []).map((option, index) => ({ displayOrder: index, hidden: false, ...option })),
              }),
            ),
          );
        },

        async getUiDomain() {
          // @hubspot/api-client 14 wraps no Account Information API: a plain request through the
          // same client, its failures shaped like the SDK's so call() treats them alike.
          const details = await call(portalId, lane, 'account details read', async (client) => {
            const response = await client.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
            const body = (await response.json().catch(() => null)) as { uiDomain?: unknown } | null;
            if (!response.ok)
              throw Object.assign(new Error(`HTTP ${response.status}`), { code: response.status, body, headers: { 'retry-after': response.headers.get('retry-after') ?? '' } });
            return body;
          });
          if (typeof details?.uiDomain !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(details.uiDomain)) {
            throw new HubSpotRequestError(502, `HubSpot's account details for portal ${portalId} name no usable uiDomain.`, details);
          }
          return details.uiDomain;
        },

        async findOwnerIdByEmail(email) {
          const page = await call(portalId, lane, 'owner look-up', (client) => client.crm.owners.ownersApi.getPage(email, undefined, 1, false));
          const owner = page.results.find((candidate) => candidate.email?.toLowerCase() === email.toLowerCase());
          return owner?.id ?? null;
        },

        async createContactTask(task) {
          const created = await call(portalId, lane, 'task creation', (client) =>
            client.crm.objects.tasks.basicApi.create({
              properties: {
                hs_timestamp: task.dueAt.toISOString(),
                hs_task_subject: task.subject,
                hs_task_body: task.body,
                hs_task_status: 'NOT_STARTED',
                hs_task_type: 'TODO',
                hubspot_owner_id: task.ownerId,
              },
              associations: [
                {
                  to: { id: task.contactId },
                  types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: TASK_TO_CONTACT_ASSOCIATION_TYPE_ID }],
                },
              ],
            }),
          );
          return created.id;
        },
      };
    },
  };
}
