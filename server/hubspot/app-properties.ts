// The contact properties the app creates in every portal at install, and the values it writes
// back: the trigger partners tick, and the outcome the app reports on the contact.
import type { PropertyDefinition, PropertyGroupDefinition } from './hubspot-api.js';

export const PROPERTY_GROUP: PropertyGroupDefinition = { name: 'partner_capacity', label: 'Partner Capacity' };

export const APP_PROPERTIES = {
  trigger: 'partner_capacity_register',
  status: 'partner_capacity_status',
  registeredDomain: 'partner_capacity_registered_domain',
  registeredAt: 'partner_capacity_registered_at',
  refusalReason: 'partner_capacity_refusal_reason',
} as const;

export type RegistrationStatusValue = 'registered' | 'refused' | 'deregistered';

export const PROPERTY_DEFINITIONS: PropertyDefinition[] = [
  {
    name: APP_PROPERTIES.trigger,
    label: 'Register as partner lead',
    description: "Tick to register this contact's website domain as a partner lead (uses one domain of your capacity).",
    groupName: PROPERTY_GROUP.name,
    type: 'bool',
    fieldType: 'booleancheckbox',
    options: [
      { label: 'Yes', value: 'true' },
      { label: 'No', value: 'false' },
    ],
  },
  {
    name: APP_PROPERTIES.status,
    label: 'Partner lead registration',
    description: "Whether this contact's domain is registered to your partner capacity, set by Partner Capacity.",
    groupName: PROPERTY_GROUP.name,
    type: 'enumeration',
    fieldType: 'select',
    options: [
      { label: 'Registered', value: 'registered' },
      { label: 'Refused', value: 'refused' },
      { label: 'Deregistered', value: 'deregistered' },
    ],
  },
  {
    name: APP_PROPERTIES.registeredDomain,
    label: 'Registered domain',
    description: 'The domain registered for this contact. It never changes after registration, even if the website does.',
    groupName: PROPERTY_GROUP.name,
    type: 'string',
    fieldType: 'text',
  },
  {
    name: APP_PROPERTIES.registeredAt,
    label: 'Registered at',
    description: 'When the domain was registered.',
    groupName: PROPERTY_GROUP.name,
    type: 'datetime',
    fieldType: 'date',
  },
  {
    name: APP_PROPERTIES.refusalReason,
    label: 'Registration refusal reason',
    description: 'Why the last registration attempt was refused, and what to do about it.',
    groupName: PROPERTY_GROUP.name,
    type: 'string',
    fieldType: 'textarea',
  },
];

/**
 * HubSpot's own contact properties that say whether a claim is still worked on, which the
 * Capacity Manager's Suggestions rank by (docs/hubspot-api.md, "What Suggestions reads"): the
 * lead status, the lifecycle stage, and the last activity logged on the contact. Not personal data.
 */
export const SALES_PROPERTIES = {
  leadStatus: 'hs_lead_status',
  lifecycleStage: 'lifecyclestage',
  lastActivity: 'notes_last_updated',
} as const;

/** The contact properties the app reads from HubSpot. */
export const CONTACT_PROPERTIES_READ = [
  'email',
  'firstname',
  'lastname',
  'company',
  'website',
  'country',
  APP_PROPERTIES.trigger,
  SALES_PROPERTIES.leadStatus,
  SALES_PROPERTIES.lifecycleStage,
  SALES_PROPERTIES.lastActivity,
  'lastmodifieddate',
];

/**
 * The contact properties whose changes the app subscribes to (the project's webhooks, written by
 * `npm run hubspot:configure`; the demo's and the tests' fake HubSpot): every property it reads
 * but `lastmodifieddate`, which is read to order changes and changes with every edit, so a
 * subscription to it would only repeat the other property events.
 */
export const SUBSCRIBED_CONTACT_PROPERTIES = CONTACT_PROPERTIES_READ.filter((name) => name !== 'lastmodifieddate');
