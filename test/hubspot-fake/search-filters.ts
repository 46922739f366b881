// How a CRM search filter, sort and free-text query judge a contact's properties.
//
// Strings compare case-insensitively (HubSpot's search does; its docs ask for lower-case IN
// values on string properties). Numbers compare as numbers, dates and datetimes as epoch
// milliseconds (a filter value may be milliseconds or an ISO date). Unconfirmed details: NEQ and
// NOT_IN also match contacts without the property; a filter on an unknown property sees no value;
// CONTAINS_TOKEN splits on anything that is not a letter or digit and honours `*` wildcards.
import type { PropertyDefinition } from './property-definitions.js';

export const SEARCH_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

export interface SearchFilter {
  propertyName: string;
  operator: SearchOperator;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

/** The properties free text (`query`) looks in (HubSpot's default searchable ones, roughly). */
const QUERY_PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'company', 'website', 'hs_additional_emails'];

type Comparable = number | string;

function comparable(raw: string, definition: PropertyDefinition | undefined): Comparable {
  switch (definition?.type) {
    case 'number':
      return Number(raw);
    case 'date':
    case 'datetime':
      return /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    default:
      return raw.toLowerCase();
  }
}

function compare(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

function containsToken(value: string, pattern: string): boolean {
  const matcher = wildcard(pattern);
  return matcher.test(value.toLowerCase()) || tokens(value).some((token) => matcher.test(token));
}

export function matchesFilter(properties: Record<string, string>, filter: SearchFilter, definition: PropertyDefinition | undefined): boolean {
  const raw = definition ? properties[filter.propertyName] : undefined;
  const has = raw !== undefined && raw !== '';
  const value = has ? comparable(raw, definition) : undefined;
  const equals = (candidate: string | undefined) => candidate !== undefined && value !== undefined && compare(value, comparable(candidate, definition)) === 0;
  const relation = (candidate: string | undefined) => (candidate !== undefined && value !== undefined ? compare(value, comparable(candidate, definition)) : Number.NaN);

  switch (filter.operator) {
    case 'EQ':
      return equals(filter.value);
    case 'NEQ':
      return !equals(filter.value);
    case 'LT':
      return relation(filter.value) < 0;
    case 'LTE':
      return relation(filter.value) <= 0;
    case 'GT':
      return relation(filter.value) > 0;
    case 'GTE':
      return relation(filter.value) >= 0;
    case 'BETWEEN':
      return relation(filter.value) >= 0 && relation(filter.highValue) <= 0;
    case 'IN':
      return (filter.values ?? []).some(equals);
    case 'NOT_IN':
      return !(filter.values ?? []).some(equals);
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'CONTAINS_TOKEN':
      return has && filter.value !== undefined && containsToken(raw, filter.value);
    case 'NOT_CONTAINS_TOKEN':
      return !(has && filter.value !== undefined && containsToken(raw, filter.value));
  }
}

/** Groups are ORed, the filters of a group ANDed; no groups matches everything. */
export function matchesFilterGroups(properties: Record<string, string>, groups: Array<{ filters: SearchFilter[] }>, definitions: Map<string, PropertyDefinition>): boolean {
  if (groups.length === 0) return true;
  return groups.some((group) => group.filters.every((filter) => matchesFilter(properties, filter, definitions.get(filter.propertyName))));
}

export function matchesQuery(properties: Record<string, string>, query: string | undefined): boolean {
  if (!query?.trim()) return true;
  const wanted = query.trim().toLowerCase();
  return QUERY_PROPERTIES.some((name) => properties[name]?.toLowerCase().includes(wanted));
}

/** Orders by the sort (values missing last), then by id so that paging is stable. */
export function compareForSort(
  a: { id: string; properties: Record<string, string> },
  b: { id: string; properties: Record<string, string> },
  sort: SearchSort | undefined,
  definitions: Map<string, PropertyDefinition>,
): number {
  if (sort) {
    const definition = definitions.get(sort.propertyName);
    const rawA = a.properties[sort.propertyName];
    const rawB = b.properties[sort.propertyName];
    if (rawA !== undefined || rawB !== undefined) {
      if (rawA === undefined) return 1;
      if (rawB === undefined) return -1;
      const order = compare(comparable(rawA, definition), comparable(rawB, definition));
      if (order !== 0) return sort.direction === 'DESCENDING' ? -order : order;
    }
  }
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
