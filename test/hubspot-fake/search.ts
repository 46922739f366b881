// POST /crm/v3/objects/contacts/search, with HubSpot's caps: at most 5 filter groups of at most
// 6 filters, 18 filters in all; one sort; `limit` ≤ 200; at most 10,000 results reachable
// (`after` at or beyond it answers 400, although `paging.next` still points there, as HubSpot's
// does); its own rate limit of 5 requests per second per account (429 "secondly limit"). All the
// numbers come from settings.searchLimits / searchRateLimit. Search reads the index, which lags
// writes by settings.searchIndexLagMs.
//
// The wording of the 400 messages is unconfirmed; the status and category are HubSpot's.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { authOf, requireToken } from './auth.js';
import { type ContactStore, toPublicContact } from './contact-store.js';
import { READ_SCOPE } from './contacts-api.js';
import { validationError } from './errors.js';
import type { FaultInjector } from './faults.js';
import { type RollingWindowLimiter, rateLimit } from './rate-limit.js';
import { parseBody } from './request-parsing.js';
import { SEARCH_OPERATORS, type SearchSort, compareForSort, matchesFilterGroups, matchesQuery } from './search-filters.js';
import type { FakeState } from './state.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const searchSchema = z.object({
  filterGroups: z
    .array(
      z.object({
        filters: z.array(
          z.object({
            propertyName: z.string(),
            operator: z.enum(SEARCH_OPERATORS),
            value: scalar.optional(),
            values: z.array(scalar).optional(),
            highValue: scalar.optional(),
          }),
        ),
      }),
    )
    .default([]),
  sorts: z.array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') })])).default([]),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).optional(),
  after: scalar.optional(),
});

export interface SearchApiDeps {
  state: FakeState;
  contacts: ContactStore;
  limiter: RollingWindowLimiter;
  faults: FaultInjector;
}

/** Mounted on the contacts path before contactsRouter. */
export function searchRouter(deps: SearchApiDeps): Router {
  const { state, contacts } = deps;
  const router = express.Router();

  router.post('/search', requireToken(state, READ_SCOPE), rateLimit('search', state, deps.limiter, deps.faults), (req: Request, res: Response) => {
    const body = parseBody(searchSchema, req.body);
    const limits = state.settings.searchLimits;
    const filterCount = body.filterGroups.reduce((count, group) => count + group.filters.length, 0);
    if (body.filterGroups.length > limits.maxFilterGroups) {
      throw validationError(`Too many filter groups: ${body.filterGroups.length}. A search may have at most ${limits.maxFilterGroups}.`);
    }
    if (body.filterGroups.some((group) => group.filters.length > limits.maxFiltersPerGroup)) {
      throw validationError(`Too many filters in a filter group. A filter group may have at most ${limits.maxFiltersPerGroup} filters.`);
    }
    if (filterCount > limits.maxFilters) throw validationError(`Too many filters: ${filterCount}. A search may have at most ${limits.maxFilters} in all.`);
    if (body.sorts.length > limits.maxSorts) throw validationError(`Too many sorts: ${body.sorts.length}. A search may have at most ${limits.maxSorts}.`);
    const limit = body.limit ?? 10;
    if (limit > limits.maxLimit) throw validationError(`limit must be less than or equal to ${limits.maxLimit}`);
    const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(after) || after < 0) throw validationError(`after must be a non-negative integer, got ${body.after}`);
    if (after >= limits.maxReachableResults) {
      throw validationError(`Search results are limited to ${limits.maxReachableResults} per query: after=${after} is beyond them. Narrow the query instead.`);
    }

    const account = state.requireAccount(authOf(res).portalId);
    const sort = toSort(body.sorts[0]);
    const matches = contacts
      .all(account)
      .filter((contact) => contact.indexed && !contact.indexed.archived)
      .map((contact) => ({ contact, id: contact.id, properties: contact.indexed?.properties ?? {} }))
      .filter((entry) => matchesFilterGroups(entry.properties, body.filterGroups, account.properties) && matchesQuery(entry.properties, body.query))
      .sort((a, b) => compareForSort(a, b, sort, account.properties));

    const end = Math.min(after + limit, limits.maxReachableResults);
    const page = matches.slice(after, end);
    res.json({
      total: matches.length,
      results: page.map((entry) => toPublicContact({ ...entry.contact, properties: entry.properties }, body.properties)),
      ...(matches.length > after + limit ? { paging: { next: { after: String(after + limit) } } } : {}),
    });
  });

  return router;
}

function toSort(sort: string | { propertyName: string; direction: SearchSort['direction'] } | undefined): SearchSort | undefined {
  if (sort === undefined) return undefined;
  if (typeof sort !== 'string') return sort;
  return sort.startsWith('-') ? { propertyName: sort.slice(1), direction: 'DESCENDING' } : { propertyName: sort, direction: 'ASCENDING' };
}
