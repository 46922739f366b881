// CRM v3 contacts: /crm/v3/objects/contacts (also reachable as /crm/v3/objects/0-1).
//
// GET /{id} (?properties=a,b, ?archived, ?idProperty=email), GET / (limit ≤ 100, `after`
// paging), POST / (create), PATCH /{id}, DELETE /{id} (archive), POST /batch/read and
// POST /batch/update (≤ 100 inputs). Writes go through the ContactStore, so an app's writes
// change the stored contact and produce the webhook events HubSpot would send
// (`changeSource: "INTEGRATION"`).
//
// Batch answers: 200 `{ status: "COMPLETE", results, startedAt, completedAt }`, or 207 with
// `numErrors` and `errors: [{ status: "error", category: "OBJECT_NOT_FOUND", message: "Could not
// get some CONTACT objects, …", context: { ids } }]` when some ids do not exist (the shape
// several integrations' fixtures record from HubSpot). Unknown property names refuse the whole
// call: 400 VALIDATION_ERROR "Property values were not valid: [{…PROPERTY_DOESNT_EXIST…}]".
//
// Batch update of ids that do not exist: unconfirmed which one HubSpot sends, so the fake speaks
// both (`configure({ batchUpdateMissing })`): the 207 above (the others written), or
// `batch-error` — 400 `{ status: "error", category: "OBJECT_NOT_FOUND", message, context: { ids } }`
// for the whole batch, nothing written (its status code is a guess too).
//
// Batch read of a merged-away id answers the surviving record under the survivor's id (its
// `hs_merged_object_ids` lists the merged ids), as the notes describe.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { authOf, requireToken } from './auth.js';
import { type ContactStore, appOrigin, compareIds, toPublicContact } from './contact-store.js';
import { HubSpotHttpError, hubSpotErrorBody, objectNotFound, validationError } from './errors.js';
import type { FaultInjector } from './faults.js';
import { invalidPropertyWrites } from './property-definitions.js';
import { type RollingWindowLimiter, rateLimit } from './rate-limit.js';
import { booleanParam, integerParam, listParam, parseBody, stringParam } from './request-parsing.js';
import type { Account, ContactRecord, FakeState } from './state.js';

export const READ_SCOPE = 'crm.objects.contacts.read';
export const WRITE_SCOPE = 'crm.objects.contacts.write';

const MAX_BATCH_INPUTS = 100;
const MAX_LIST_LIMIT = 100;
const NOT_FOUND_IN_BATCH = 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.';

const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const objectId = z.union([z.string(), z.number()]).transform(String);
const propertiesSchema = z.record(z.string(), propertyValue);

const batchReadSchema = z.object({
  inputs: z.array(z.object({ id: objectId })),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});
const batchUpdateSchema = z.object({
  inputs: z.array(z.object({ id: objectId, properties: propertiesSchema, objectWriteTraceId: z.string().optional() })),
});
const createSchema = z.object({ properties: propertiesSchema, associations: z.array(z.unknown()).optional() });
const updateSchema = z.object({ properties: propertiesSchema });

export interface ContactsApiDeps {
  state: FakeState;
  contacts: ContactStore;
  limiter: RollingWindowLimiter;
  faults: FaultInjector;
}

export function contactsRouter(deps: ContactsApiDeps): Router {
  const { state, contacts } = deps;
  const router = express.Router();
  const read = [requireToken(state, READ_SCOPE), rateLimit('crm', state, deps.limiter, deps.faults)];
  const write = [requireToken(state, WRITE_SCOPE), rateLimit('crm', state, deps.limiter, deps.faults)];
  const accountOf = (res: Response) => state.requireAccount(authOf(res).portalId);

  router.post('/batch/read', ...read, (req: Request, res: Response) => {
    const startedAt = new Date(state.now()).toISOString();
    const body = parseBody(batchReadSchema, req.body);
    requireBatchSize(body.inputs.length);
    const account = accountOf(res);
    const archived = booleanParam(req.query.archived);
    const results: Record<string, unknown>[] = [];
    const missing: string[] = [];
    for (const input of body.inputs) {
      const contact = body.idProperty === 'email' ? contacts.findByEmail(account, input.id) : contacts.resolve(account, input.id);
      if (contact && contact.archived === archived) results.push(toPublicContact(contact, body.properties));
      else missing.push(input.id);
    }
    sendBatchResult(res, state, startedAt, results, missing);
  });

  router.post('/batch/update', ...write, (req: Request, res: Response) => {
    const startedAt = new Date(state.now()).toISOString();
    const body = parseBody(batchUpdateSchema, req.body);
    requireBatchSize(body.inputs.length);
    const ids = body.inputs.map((input) => input.id);
    const duplicates = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
    if (duplicates.length > 0) throw validationError(`Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`);
    const account = accountOf(res);
    requireWritableProperties(
      account,
      body.inputs.flatMap((input) => Object.keys(input.properties)),
    );

    const origin = appOrigin(authOf(res).appId);
    const found = body.inputs.map((input) => ({ input, contact: contacts.resolve(account, input.id) }));
    const missing = found.filter(({ contact }) => !contact || contact.archived).map(({ input }) => input.id);
    if (missing.length > 0 && state.settings.batchUpdateMissing === 'batch-error') {
      throw new HubSpotHttpError(400, hubSpotErrorBody({ message: NOT_FOUND_IN_BATCH, category: 'OBJECT_NOT_FOUND', context: { ids: missing } }));
    }
    const results: Record<string, unknown>[] = [];
    for (const { input, contact } of found) {
      if (!contact || contact.archived) continue;
      contacts.update(account, contact, input.properties, origin);
      results.push(toPublicContact(contact, Object.keys(input.properties)));
    }
    sendBatchResult(res, state, startedAt, results, missing);
  });

  router.get('/', ...read, (req: Request, res: Response) => {
    const account = accountOf(res);
    const limit = integerParam(req.query.limit, 'limit', 10);
    if (limit > MAX_LIST_LIMIT) throw validationError(`limit must be less than or equal to ${MAX_LIST_LIMIT}`);
    const archived = booleanParam(req.query.archived);
    const after = stringParam(req.query.after);
    const all = contacts.all(account).filter((contact) => contact.archived === archived);
    // `after` is the id the next page starts at (HubSpot's cursor is opaque; this one is readable).
    const start = after ? all.findIndex((contact) => compareIds(contact.id, after) >= 0) : 0;
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const next = start < 0 ? undefined : all[start + limit];
    const properties = listParam(req.query.properties);
    res.json({
      results: page.map((contact) => toPublicContact(contact, properties)),
      ...(next ? { paging: { next: { after: next.id, link: `${req.protocol}://${req.get('host')}${req.baseUrl}?after=${next.id}` } } } : {}),
    });
  });

  router.post('/', ...write, (req: Request, res: Response) => {
    const body = parseBody(createSchema, req.body);
    const account = accountOf(res);
    requireWritableProperties(account, Object.keys(body.properties));
    const email = body.properties.email;
    const existing = typeof email === 'string' && email ? contacts.findByEmail(account, email) : undefined;
    if (existing) {
      throw new HubSpotHttpError(409, hubSpotErrorBody({ message: `Contact already exists. Existing ID: ${existing.id}`, category: 'CONFLICT' }));
    }
    const contact = contacts.create(account, body.properties, appOrigin(authOf(res).appId));
    res.status(201).json(toPublicContact(contact, Object.keys(body.properties)));
  });

  router.get('/:contactId', ...read, (req: Request, res: Response) => {
    const account = accountOf(res);
    const id = req.params.contactId as string;
    const contact = stringParam(req.query.idProperty) === 'email' ? contacts.findByEmail(account, id) : contacts.resolve(account, id);
    if (!contact || contact.archived !== booleanParam(req.query.archived)) throw objectNotFound(id);
    res.json(toPublicContact(contact, listParam(req.query.properties)));
  });

  router.patch('/:contactId', ...write, (req: Request, res: Response) => {
    const body = parseBody(updateSchema, req.body);
    const account = accountOf(res);
    const contact = liveContact(contacts, account, req.params.contactId as string);
    requireWritableProperties(account, Object.keys(body.properties));
    contacts.update(account, contact, body.properties, appOrigin(authOf(res).appId));
    res.json(toPublicContact(contact, Object.keys(body.properties)));
  });

  router.delete('/:contactId', ...write, (req: Request, res: Response) => {
    const account = accountOf(res);
    const contact = contacts.resolve(account, req.params.contactId as string);
    // Archiving an unknown or already archived contact answers 204 as well (unconfirmed).
    if (contact && !contact.archived) contacts.archive(account, contact, appOrigin(authOf(res).appId));
    res.status(204).end();
  });

  return router;
}

function liveContact(contacts: ContactStore, account: Account, id: string): ContactRecord {
  const contact = contacts.resolve(account, id);
  if (!contact || contact.archived) throw objectNotFound(id);
  return contact;
}

function requireBatchSize(count: number): void {
  // The wording follows HubSpot's message for its 50-input history limit; this one is unconfirmed.
  if (count > MAX_BATCH_INPUTS) {
    throw validationError(`The maximum number of inputs supported in a batch request is ${MAX_BATCH_INPUTS}. Please reduce the number of items and try again`);
  }
}

/** 400 for the whole call when any name is unknown or read-only: nothing is written. */
export function requireWritableProperties(account: Account, names: string[]): void {
  const invalid = invalidPropertyWrites(account.properties, [...new Set(names)]);
  if (invalid.length === 0) return;
  const described = invalid.map((entry) => ({
    isValid: false,
    message: entry.message,
    error: entry.error,
    name: entry.name,
    localizedErrorMessage: entry.message,
    portalId: account.portalId,
  }));
  throw validationError(
    `Property values were not valid: ${JSON.stringify(described)}`,
    // The per-property `errors` entries are unconfirmed; the message above is HubSpot's.
    invalid.map((entry) => ({ message: entry.message, code: entry.error, context: { propertyName: [entry.name] } })),
  );
}

function sendBatchResult(res: Response, state: FakeState, startedAt: string, results: Record<string, unknown>[], missing: string[]): void {
  const completedAt = new Date(state.now()).toISOString();
  if (missing.length === 0) {
    res.status(200).json({ status: 'COMPLETE', results, startedAt, completedAt });
    return;
  }
  res.status(207).json({
    status: 'COMPLETE',
    results,
    numErrors: 1,
    errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: NOT_FOUND_IN_BATCH, context: { ids: missing } }],
    startedAt,
    completedAt,
  });
}
