// Contact property definitions: the ones every HubSpot account starts with (a subset), and the
// check HubSpot applies to a write (unknown names are refused, read-only values too).
export interface PropertyOption {
  label: string;
  value: string;
  displayOrder?: number;
  hidden?: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined: boolean;
  readOnlyValue: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export const CONTACT_INFORMATION_GROUP = 'contactinformation';

/** Returned when a request names no properties (HubSpot's documented default set for contacts). */
export const DEFAULT_CONTACT_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];

/** HubSpot always includes these in a returned contact, whatever was asked for. */
export const ALWAYS_RETURNED_PROPERTIES = ['createdate', 'hs_object_id', 'lastmodifieddate'];

interface BuiltIn {
  name: string;
  label: string;
  type?: string;
  fieldType?: string;
  readOnlyValue?: boolean;
  hasUniqueValue?: boolean;
  options?: PropertyOption[];
}

const BUILT_IN_CONTACT_PROPERTIES: BuiltIn[] = [
  { name: 'email', label: 'Email', hasUniqueValue: false },
  { name: 'firstname', label: 'First Name' },
  { name: 'lastname', label: 'Last Name' },
  { name: 'company', label: 'Company Name' },
  { name: 'website', label: 'Website URL' },
  { name: 'country', label: 'Country/Region' },
  { name: 'phone', label: 'Phone Number', fieldType: 'phonenumber' },
  { name: 'jobtitle', label: 'Job Title' },
  { name: 'city', label: 'City' },
  { name: 'state', label: 'State/Region' },
  { name: 'zip', label: 'Postal Code' },
  { name: 'hubspot_owner_id', label: 'Contact owner', type: 'enumeration', fieldType: 'select' },
  {
    name: 'lifecyclestage',
    label: 'Lifecycle Stage',
    type: 'enumeration',
    fieldType: 'radio',
    options: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'].map((value, index) => ({
      label: value,
      value,
      displayOrder: index,
      hidden: false,
    })),
  },
  {
    // The default options (knowledge.hubspot.com/properties/hubspots-default-contact-properties);
    // an account may edit them, so the app treats unknown values as saying nothing.
    name: 'hs_lead_status',
    label: 'Lead Status',
    type: 'enumeration',
    fieldType: 'radio',
    options: ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'].map((value, index) => ({
      label: value,
      value,
      displayOrder: index,
      hidden: false,
    })),
  },
  // Set by HubSpot when an activity is logged on the contact; apps cannot write it.
  { name: 'notes_last_updated', label: 'Last Activity Date', type: 'datetime', fieldType: 'date', readOnlyValue: true },
  { name: 'hs_additional_emails', label: 'Additional email addresses', type: 'enumeration', fieldType: 'checkbox', readOnlyValue: true },
  { name: 'hs_merged_object_ids', label: 'Merged Contact IDs', type: 'enumeration', fieldType: 'checkbox', readOnlyValue: true },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', readOnlyValue: true, hasUniqueValue: true },
  { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date' },
  { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', fieldType: 'date', readOnlyValue: true },
];

export function builtInContactProperties(now: number): PropertyDefinition[] {
  return BUILT_IN_CONTACT_PROPERTIES.map((builtIn, index) => ({
    name: builtIn.name,
    label: builtIn.label,
    type: builtIn.type ?? 'string',
    fieldType: builtIn.fieldType ?? 'text',
    groupName: CONTACT_INFORMATION_GROUP,
    description: '',
    options: builtIn.options ?? [],
    displayOrder: index,
    hasUniqueValue: builtIn.hasUniqueValue ?? false,
    hidden: false,
    formField: !builtIn.readOnlyValue,
    hubspotDefined: true,
    readOnlyValue: builtIn.readOnlyValue ?? false,
    createdAt: now,
    updatedAt: now,
  }));
}

export function builtInContactGroups(): PropertyGroup[] {
  return [{ name: CONTACT_INFORMATION_GROUP, label: 'Contact information', displayOrder: 0, archived: false }];
}

/** A property the control API creates on the fly when a seeded contact uses an unknown name. */
export function customTextProperty(name: string, now: number): PropertyDefinition {
  return {
    name,
    label: name,
    type: 'string',
    fieldType: 'text',
    groupName: CONTACT_INFORMATION_GROUP,
    description: '',
    options: [],
    displayOrder: -1,
    hasUniqueValue: false,
    hidden: false,
    formField: true,
    hubspotDefined: false,
    readOnlyValue: false,
    createdAt: now,
    updatedAt: now,
  };
}

/** The v3 Properties API representation. */
export function toPublicProperty(definition: PropertyDefinition): Record<string, unknown> {
  return {
    updatedAt: new Date(definition.updatedAt).toISOString(),
    createdAt: new Date(definition.createdAt).toISOString(),
    name: definition.name,
    label: definition.label,
    type: definition.type,
    fieldType: definition.fieldType,
    description: definition.description,
    groupName: definition.groupName,
    options: definition.options,
    displayOrder: definition.displayOrder,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: definition.hasUniqueValue,
    hidden: definition.hidden,
    hubspotDefined: definition.hubspotDefined,
    modificationMetadata: {
      archivable: !definition.hubspotDefined,
      readOnlyDefinition: definition.hubspotDefined,
      readOnlyValue: definition.readOnlyValue,
    },
    formField: definition.formField,
  };
}

export interface InvalidPropertyValue {
  name: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'READ_ONLY_VALUE';
  message: string;
}

/** The names a write may not set, with HubSpot's error code for each. */
export function invalidPropertyWrites(definitions: Map<string, PropertyDefinition>, names: string[]): InvalidPropertyValue[] {
  const invalid: InvalidPropertyValue[] = [];
  for (const name of names) {
    const definition = definitions.get(name);
    if (!definition) {
      invalid.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
    } else if (definition.readOnlyValue) {
      // The READ_ONLY_VALUE code and message are unconfirmed against HubSpot.
      invalid.push({ name, error: 'READ_ONLY_VALUE', message: `Property "${name}" is a read only property; its value cannot be set.` });
    }
  }
  return invalid;
}
