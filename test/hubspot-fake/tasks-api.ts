// CRM tasks: `POST /crm/v3/objects/tasks` and `GET /crm/v3/objects/tasks/{taskId}`, scopes
// `crm.objects.contacts.write` / `.read` (HubSpot's tasks guide lists the contacts scopes:
// developers.hubspot.com/docs/api-reference/latest/crm/activities/tasks/guide).
//
// Create: `{ properties, associations: [{ to: { id }, types: [{ associationCategory,
// associationTypeId }] }] }`; `hs_timestamp` (the due date, epoch ms or ISO 8601) is required;
// `hubspot_owner_id` must be an owner of the account; a contact association uses the
// HubSpot-defined type 204 (task → contact, developers.hubspot.com/docs/api/crm/associations).
// 201 `{ id, properties, createdAt, updatedAt, archived: false }`, `hs_timestamp` given back as
// ISO 8601. Unconfirmed: the exact 400 bodies HubSpot sends for a missing timestamp, an unknown
// owner or an association to a contact that does not exist (the fake sends VALIDATION_ERROR
// with a sentence naming the field).
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { authOf, requireToken } from './auth.js';
import type { ContactStore } from './contact-store.js';
import { objectNotFound, validationError } from './errors.js';
import type { FaultInjector } from './faults.js';
import { type RollingWindowLimiter, rateLimit } from './rate-limit.js';
import { parseBody } from './request-parsing.js';
import type { FakeState, TaskRecord } from './state.js';

export const TASK_TO_CONTACT = 204;

const createSchema = z.object({
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  associations: z
    .array(
      z.object({
        to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
        types: z.array(z.object({ associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']), associationTypeId: z.number().int() })),
      }),
    )
    .optional(),
});

export function toPublicTask(task: TaskRecord) {
  return {
    id: task.id,
    properties: task.properties,
    createdAt: new Date(task.createdAt).toISOString(),
    updatedAt: new Date(task.createdAt).toISOString(),
    archived: false,
  };
}

function isoTimestamp(value: string): string | null {
  const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function tasksRouter(deps: { state: FakeState; contacts: ContactStore; limiter: RollingWindowLimiter; faults: FaultInjector }): Router {
  const { state, contacts } = deps;
  const router = express.Router();
  const limit = rateLimit('crm', state, deps.limiter, deps.faults);

  router.post('/', requireToken(state, 'crm.objects.contacts.write'), limit, (req: Request, res: Response) => {
    const body = parseBody(createSchema, req.body);
    const account = state.requireAccount(authOf(res).portalId);
    const properties = Object.fromEntries(Object.entries(body.properties).flatMap(([name, value]) => (value === null ? [] : [[name, String(value)]])));
    const timestamp = properties.hs_timestamp === undefined ? null : isoTimestamp(properties.hs_timestamp);
    if (!timestamp) throw validationError('Property values were not valid: hs_timestamp is required (epoch milliseconds or an ISO 8601 date).');
    const owner = properties.hubspot_owner_id;
    if (owner !== undefined && !account.owners.some((candidate) => candidate.id === owner && !candidate.archived)) {
      throw validationError(`Property values were not valid: ${owner} is not a valid owner id (hubspot_owner_id).`, [
        { message: `${owner} is not a valid owner id`, code: 'INVALID_OWNER_ID', context: { propertyName: ['hubspot_owner_id'] } },
      ]);
    }
    const contactIds: string[] = [];
    for (const association of body.associations ?? []) {
      if (!association.types.some((type) => type.associationCategory === 'HUBSPOT_DEFINED' && type.associationTypeId === TASK_TO_CONTACT)) {
        throw validationError(
          `The association types given for ${association.to.id} are not valid from a task (the fake knows task → contact, HUBSPOT_DEFINED ${TASK_TO_CONTACT}).`,
        );
      }
      const contact = contacts.resolve(account, association.to.id);
      if (!contact || contact.archived) throw validationError(`One or more associations are invalid: no contact ${association.to.id}.`);
      contactIds.push(contact.id);
    }
    const now = state.now();
    const id = state.nextTaskId();
    const task: TaskRecord = {
      id,
      properties: {
        ...properties,
        hs_timestamp: timestamp,
        hs_task_status: properties.hs_task_status ?? 'NOT_STARTED',
        hs_createdate: new Date(now).toISOString(),
        hs_lastmodifieddate: new Date(now).toISOString(),
        hs_object_id: id,
      },
      contactIds,
      createdAt: now,
    };
    account.tasks.set(id, task);
    res.status(201).json(toPublicTask(task));
  });

  router.get('/:taskId', requireToken(state, 'crm.objects.contacts.read'), limit, (req: Request, res: Response) => {
    const account = state.requireAccount(authOf(res).portalId);
    const task = account.tasks.get(String(req.params.taskId));
    if (!task) throw objectNotFound(String(req.params.taskId));
    res.json(toPublicTask(task));
  });
  return router;
}
