// The contact Properties API: /crm/v3/properties/contacts (and /groups). Creating a property or
// group whose name exists answers 409 (HubSpot documents the 409; the body — category
// OBJECT_ALREADY_EXISTS, "Property named 'x' already exists." — follows the shape HubSpot gives
// contact conflicts, its wording is unconfirmed). Only the contacts object type exists here.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { authOf, requireToken } from './auth.js';
import { HubSpotHttpError, hubSpotErrorBody, resourceNotFound, validationError } from './errors.js';
import type { FaultInjector } from './faults.js';
import { type PropertyDefinition, toPublicProperty } from './property-definitions.js';
import { type RollingWindowLimiter, rateLimit } from './rate-limit.js';
import { parseBody } from './request-parsing.js';
import type { FakeState } from './state.js';

const READ_SCHEMA_SCOPE = 'crm.schemas.contacts.read';
const WRITE_SCHEMA_SCOPE = 'crm.schemas.contacts.write';
const CONTACT_OBJECT_TYPES = new Set(['contacts', 'contact', '0-1']);

const PROPERTY_TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number'] as const;
const FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'file', 'select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation', 'html', 'phonenumber'] as const;

const optionSchema = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  description: z.string().optional(),
});

const propertyCreateSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  type: z.enum(PROPERTY_TYPES),
  fieldType: z.enum(FIELD_TYPES),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
});

const groupCreateSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  displayOrder: z.number().int().optional(),
});

export interface PropertiesApiDeps {
  state: FakeState;
  limiter: RollingWindowLimiter;
  faults: FaultInjector;
}

/** Mounted at /crm/v3/properties/:objectType. */
export function propertiesRouter(deps: PropertiesApiDeps): Router {
  const { state } = deps;
  const router = express.Router({ mergeParams: true });
  const read = [requireContactObjectType, requireToken(state, READ_SCHEMA_SCOPE), rateLimit('crm', state, deps.limiter, deps.faults)];
  const write = [requireContactObjectType, requireToken(state, WRITE_SCHEMA_SCOPE), rateLimit('crm', state, deps.limiter, deps.faults)];
  const accountOf = (res: Response) => state.requireAccount(authOf(res).portalId);

  router.get('/groups', ...read, (_req: Request, res: Response) => {
    res.json({ results: [...accountOf(res).groups.values()] });
  });

  router.get('/groups/:groupName', ...read, (req: Request, res: Response) => {
    const group = accountOf(res).groups.get(req.params.groupName as string);
    if (!group) throw resourceNotFound(`Unable to find property group named '${req.params.groupName as string}'`);
    res.json(group);
  });

  router.post('/groups', ...write, (req: Request, res: Response) => {
    const body = parseBody(groupCreateSchema, req.body);
    const account = accountOf(res);
    if (account.groups.has(body.name)) throw conflict(`Property group named '${body.name}' already exists.`);
    const group = { name: body.name, label: body.label, displayOrder: body.displayOrder ?? -1, archived: false };
    account.groups.set(group.name, group);
    res.status(201).json(group);
  });

  router.get('/', ...read, (_req: Request, res: Response) => {
    res.json({ results: [...accountOf(res).properties.values()].map(toPublicProperty) });
  });

  router.get('/:propertyName', ...read, (req: Request, res: Response) => {
    const definition = accountOf(res).properties.get(req.params.propertyName as string);
    if (!definition) throw resourceNotFound(`Unable to find property named '${req.params.propertyName as string}'`);
    res.json(toPublicProperty(definition));
  });

  router.post('/', ...write, (req: Request, res: Response) => {
    const body = parseBody(propertyCreateSchema, req.body);
    const account = accountOf(res);
    if (!/^[a-z][a-z0-9_]*$/.test(body.name)) {
      throw validationError(`Property name '${body.name}' is not valid: use lower-case letters, digits and underscores, starting with a letter.`);
    }
    if (account.properties.has(body.name)) throw conflict(`Property named '${body.name}' already exists.`);
    if (!account.groups.has(body.groupName)) throw validationError(`Property group '${body.groupName}' does not exist.`);
    const now = state.now();
    const definition: PropertyDefinition = {
      name: body.name,
      label: body.label,
      type: body.type,
      fieldType: body.fieldType,
      groupName: body.groupName,
      description: body.description ?? '',
      options: body.options ?? [],
      displayOrder: body.displayOrder ?? -1,
      hasUniqueValue: body.hasUniqueValue ?? false,
      hidden: body.hidden ?? false,
      formField: body.formField ?? false,
      hubspotDefined: false,
      readOnlyValue: false,
      createdAt: now,
      updatedAt: now,
    };
    account.properties.set(definition.name, definition);
    res.status(201).json(toPublicProperty(definition));
  });

  return router;
}

function requireContactObjectType(req: Request, _res: Response, next: NextFunction): void {
  const objectType = req.params.objectType as string;
  if (!CONTACT_OBJECT_TYPES.has(objectType)) {
    // The fake knows contacts only; the message is HubSpot's for an unknown type (unconfirmed).
    throw validationError(`Unable to infer object type from: ${objectType}`);
  }
  next();
}

function conflict(message: string): HubSpotHttpError {
  return new HubSpotHttpError(409, hubSpotErrorBody({ message, category: 'OBJECT_ALREADY_EXISTS' }));
}
