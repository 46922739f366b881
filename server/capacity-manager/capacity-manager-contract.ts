// What the Capacity Manager page and its API say to each other: every request's query, path and
// body, and every answer, as zod schemas.
//
// One contract, three readers: the routes (api-routes.ts, portals/portal-settings-routes.ts)
// parse their input with the request schemas and build their answers as the answer types
// (type-checked with `satisfies`); the page (web/src/api.ts) uses the inferred types; the OpenAPI
// document (server/api-docs/) is generated from the same schemas. capacity-manager-contract.test.ts
// parses the real server's answers with the answer schemas, which are strict, so a field added
// on one side only fails a test.
//
// The page imports this file with `import type` only: nothing here reaches its bundle, so the
// constants below may come from the server's own modules (the page's tsconfig type-checks them
// through this file). Nothing here knows Express.
import { z } from 'zod';
import { AuditAction, DeregistrationChannel, DeregistrationJobStatus, RegistrationChannel } from '../db/generated/enums.js';
import { PARTNER_TIERS } from '../domain/capacity.js';
import { MAX_PAGE_SIZE, REGISTRATION_SORT_FIELDS, REGISTRATION_STATUS_FILTERS } from '../registrations/find-registrations.js';
import { MAX_SELECTED } from '../deregistrations/request-deregistration.js';
import { LOCALES } from './locale.js';

export const MAX_AUDIT_PAGE_SIZE = 100;
const MAX_PAGE_NUMBER = 1_000_000;

const isoDateTime = z.iso.datetime({ offset: true });
const pageNumber = z.coerce.number().int().min(1).max(MAX_PAGE_NUMBER).meta({ description: '1-based page number.' });
/** Registration ids are 64-bit integers, sent as strings. */
export const registrationIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, { error: 'expected a registration id' })
  .meta({ description: 'A registration id (a 64-bit integer as a string).' });
const searchTerm = z.string().trim().max(200, { error: 'a search is at most 200 characters' }).meta({
  description:
    'Case- and accent-insensitive substring of the domain, company, contact name or country (a country also by its name in English or Swedish: "Sverige" finds "Sweden").',
});

const registeredBefore = isoDateTime.meta({
  description: 'Only registrations made before this instant (the page sends the start of the chosen day in the user’s time zone).',
});

// ---- Requests -------------------------------------------------------------------------------

/** Which registrations: the list's filter, also the export's whole query. */
export const registrationFilterQuerySchema = z.object({
  search: searchTerm.optional(),
  registeredBefore: registeredBefore.optional(),
  sortBy: z.enum(REGISTRATION_SORT_FIELDS).optional(),
  sortDirection: z.enum(['asc', 'desc']).optional(),
  status: z.enum(REGISTRATION_STATUS_FILTERS).default('active'),
});
export const registrationListQuerySchema = registrationFilterQuerySchema.extend({
  page: pageNumber.default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .meta({ description: "A previous answer's nextCursor or previousCursor (same search and sort): the page starts there instead of at `page`, which is then only its number." }),
});
/** Which audit events: the trail's filter, also the export's whole query. */
export const auditEventFilterQuerySchema = z.object({
  action: z.enum(AuditAction).optional(),
  actor: z.string().trim().max(200).optional().meta({ description: 'Part of the actor’s name or e-mail, any case.' }),
  from: isoDateTime.optional().meta({ description: 'Events at or after this instant.' }),
  to: isoDateTime.optional().meta({ description: 'Events before this instant.' }),
});
export const auditEventsQuerySchema = auditEventFilterQuerySchema.extend({
  page: pageNumber.default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE_SIZE).default(50),
});

export const deregistrationSelectionSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('registrations'), registrationIds: z.array(registrationIdSchema).min(1).max(MAX_SELECTED) }),
    z.object({ kind: z.literal('search'), search: searchTerm.optional(), registeredBefore: registeredBefore.optional() }),
  ])
  .meta({ description: 'The registrations named by id, or every active registration a search (and registered-before filter) matches (all pages).' });
export const deregistrationRequestSchema = z.object({ selection: deregistrationSelectionSchema });
/** The portal's recent deregistration jobs, newest first: where Undo stays reachable for its whole window. */
export const MAX_RECENT_JOBS = 50;
export const recentDeregistrationJobsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_RECENT_JOBS).default(10).meta({ description: 'How many of the newest jobs.' }),
});
export const deregistrationJobParamsSchema = z.object({
  id: z.uuid({ error: 'expected a deregistration job id' }).meta({ description: 'The deregistration job id.' }),
});
/** The Suggestions view: how many ranked claims to send (at least the number an over-the-limit portal must release). */
export const MAX_RELEASE_SUGGESTIONS = 1000;
export const releaseSuggestionsQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RELEASE_SUGGESTIONS)
    .default(200)
    .meta({ description: 'How many of the best suggestions (more when the portal must release more).' }),
});
/** The "Expiring soon" view: how many of the soonest expiring claims to send. */
export const MAX_EXPIRING_CLAIMS = 1000;
export const expiringClaimsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_EXPIRING_CLAIMS).default(200).meta({ description: 'How many of the soonest expiring claims.' }),
});
export const demoSignInRequestSchema = z.object({ locale: z.enum(LOCALES).default('en') });
export const settingsChangeSchema = z.strictObject({ autoRegisterNewContacts: z.boolean({ error: 'expected true or false' }) });

// ---- Answers --------------------------------------------------------------------------------

export const sessionAnswerSchema = z
  .strictObject({
    portal: z.strictObject({ id: z.number().int(), name: z.string().nullable() }),
    user: z.strictObject({ id: z.string(), email: z.string().nullable() }),
    locale: z.enum(LOCALES),
    /** Sent back as X-CSRF-Token on every change. */
    csrfToken: z.string(),
    expiresAt: isoDateTime,
    demo: z.boolean(),
  })
  .meta({ id: 'Session' });

export const capacityAnswerSchema = z
  .strictObject({
    tier: z.enum(PARTNER_TIERS),
    limit: z.number().int().nonnegative(),
    limitSource: z.enum(['tier', 'override']),
    used: z.number().int().nonnegative(),
    remaining: z.number().int().nonnegative(),
    alertLevel: z
      .union([z.literal(80), z.literal(90), z.literal(100)])
      .nullable()
      .meta({ description: '80, 90 or 100 (% of the limit in use) when an alert is due, else null.' }),
    waitlistSkips: z
      .strictObject({
        count: z.number().int().nonnegative(),
        recent: z.array(z.strictObject({ domain: z.string(), displayDomain: z.string(), skippedAt: isoDateTime })),
      })
      .meta({
        description:
          'Domains the partner waits for that were released in the last 30 days while its capacity was full (each went to the next partner in line; the partner kept its place), the most recent first.',
      }),
  })
  .meta({ id: 'Capacity' });

export const registrationSchema = z
  .strictObject({
    id: z.string(),
    portalId: z.number().int(),
    domain: z.string(),
    displayDomain: z.string().meta({ description: 'The domain as people read it (IDN in Unicode).' }),
    status: z.enum(['active', 'deregistered']),
    website: z.string(),
    companyName: z.string().nullable(),
    contactName: z.string().nullable(),
    country: z.string().nullable(),
    contactId: z.string(),
    registeredAt: isoDateTime,
    registeredBy: z.string(),
    channel: z.enum(RegistrationChannel),
    deregisteredAt: isoDateTime.nullable(),
    deregisteredBy: z.string().nullable(),
    deregistrationJobId: z.string().nullable(),
    contactErased: z.boolean().meta({ description: 'A privacy deletion erased the contact: the registration no longer names the person.' }),
    contactUrl: z
      .url()
      .meta({ description: "The contact's record in HubSpot, on the account's own HubSpot host (app.hubspot.com, app-eu1.hubspot.com, …); server/hubspot/record-url.ts." }),
    expiresAt: isoDateTime.nullable().meta({ description: 'When the claim ends unless renewed (the program’s claim period); null: it never expires.' }),
    renewals: z.number().int().meta({ description: 'Times the claim was renewed.' }),
    renewalsLeft: z.number().int().nonnegative().nullable().optional().meta({
      description:
        'Renewals the program still allows for this claim; null when it never expires (nothing to renew). Sent by the Capacity Manager’s lists (not by the program console’s).',
    }),
  })
  .meta({ id: 'Registration' });

export const registrationParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, { error: 'expected a registration id' })
    .meta({ description: 'The registration id.' }),
});

export const renewalAnswerSchema = z
  .strictObject({
    id: z.string(),
    domain: z.string(),
    expiresAt: isoDateTime.meta({ description: 'The claim’s new expiry: one claim period from the renewal.' }),
    renewals: z.number().int(),
    renewalsLeft: z.number().int().meta({ description: 'Renewals the program still allows for this claim.' }),
  })
  .meta({ id: 'Renewal' });

export const registrationPageSchema = z
  .strictObject({
    items: z.array(registrationSchema),
    total: z.number().int().nonnegative(),
    totalIsEstimate: z.boolean().meta({ description: 'More matches than are counted exactly (1,000): total and pageCount are estimates, rounded.' }),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    pageCount: z.number().int().nonnegative(),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` (with page + 1) for the next page; null on the last page.' }),
    previousCursor: z.string().nullable().meta({ description: 'Pass as `cursor` (with page - 1) for the previous page; null on the first page.' }),
  })
  .meta({ id: 'RegistrationPage' });

export const auditEventSchema = z
  .strictObject({
    id: z.string(),
    occurredAt: isoDateTime,
    action: z.enum(AuditAction),
    actor: z.string(),
    channel: z.string().nullable(),
    registrationId: z.string().nullable(),
    domain: z.string().nullable(),
    contactId: z.string().nullable(),
    jobId: z.string().nullable(),
    details: z.unknown(),
  })
  .meta({ id: 'AuditEvent' });

export const auditEventPageSchema = z
  .strictObject({
    items: z.array(auditEventSchema),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    hasNextPage: z.boolean().meta({ description: 'Pages carry no total (counting a long history costs more than the page).' }),
  })
  .meta({ id: 'AuditEventPage' });

export const deregistrationJobSchema = z
  .strictObject({
    id: z.uuid(),
    portalId: z.number().int(),
    status: z.enum(DeregistrationJobStatus),
    total: z.number().int().nonnegative(),
    done: z.number().int().nonnegative().meta({ description: 'Items finished (deregistered and their contact written, or recorded as not writable).' }),
    failed: z.number().int().nonnegative().meta({ description: 'Finished items whose contact HubSpot could not update.' }),
    requestedBy: z.string(),
    channel: z.enum(DeregistrationChannel),
    createdAt: isoDateTime,
    startedAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
    error: z.string().nullable(),
    undoableUntil: isoDateTime.nullable().meta({ description: 'Until when the job can be undone; null when it cannot (any more).' }),
    undoneAt: isoDateTime.nullable(),
  })
  .meta({ id: 'DeregistrationJob' });

export const deregistrationJobListSchema = z
  .strictObject({ jobs: z.array(deregistrationJobSchema).meta({ description: 'Newest first.' }) })
  .meta({ id: 'RecentDeregistrationJobs' });

export const deregistrationRequestAnswerSchema = z
  .strictObject({
    job: deregistrationJobSchema,
    notFound: z.array(z.string()).meta({ description: 'Ids (or domains) that are not registrations of this portal.' }),
    alreadyDeregistered: z.array(z.string()),
  })
  .meta({ id: 'DeregistrationRequested' });

export const undoAnswerSchema = z
  .strictObject({
    job: deregistrationJobSchema,
    reregistered: z.array(z.string()).meta({ description: 'Domains registered again.' }),
    notReregistered: z.array(z.strictObject({ domain: z.string(), reason: z.string() })),
  })
  .meta({ id: 'DeregistrationUndone' });

export const releaseReasonSchema = z
  .discriminatedUnion('code', [
    z.strictObject({ code: z.literal('contact_deleted') }),
    z.strictObject({ code: z.literal('contact_merged'), mergedInto: z.string() }),
    z.strictObject({ code: z.literal('lead_lost'), leadStatus: z.string().nullable(), lifecycleStage: z.string().nullable() }),
    z.strictObject({ code: z.literal('expiring_without_activity'), expiresAt: isoDateTime }),
    z.strictObject({ code: z.literal('inactive'), idleDays: z.number().int().nonnegative(), lastActivityAt: isoDateTime.nullable() }),
    z.strictObject({ code: z.literal('automatic_untouched') }),
    z.strictObject({ code: z.literal('least_active') }),
  ])
  .meta({
    id: 'ReleaseReason',
    description:
      'contact_deleted / contact_merged: the contact is gone from HubSpot or merged into another; lead_lost: lead status UNQUALIFIED or BAD_TIMING, or lifecycle stage other; expiring_without_activity: expires within the first reminder window with nothing logged since claimed; inactive: nothing logged for the inactivity threshold; automatic_untouched: an automatic rule registered it and nobody touched it for a month; least_active: no reason, but among the least recently active, offered because the portal is over its limit.',
  });

export const releaseSuggestionsAnswerSchema = z
  .strictObject({
    inactivityDays: z.number().int().positive(),
    expiringWithinDays: z.number().int().nonnegative(),
    releaseNeeded: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'Domains to deregister before the portal can register again (0 unless over its limit); the first this many items are the ones to pre-select.' }),
    total: z.number().int().nonnegative().meta({ description: 'Claims with a reason to release (least_active ones not counted).' }),
    items: z.array(
      z.strictObject({
        registrationId: z.string(),
        domain: z.string(),
        displayDomain: z.string(),
        companyName: z.string().nullable(),
        contactName: z.string().nullable(),
        contactId: z.string(),
        contactErased: z.boolean(),
        contactUrl: z.url(),
        registeredAt: isoDateTime,
        registeredBy: z.string(),
        channel: z.enum(RegistrationChannel),
        expiresAt: isoDateTime.nullable(),
        lastActivityAt: isoDateTime.nullable().meta({ description: 'The last activity logged on the contact in HubSpot (notes_last_updated), as mirrored.' }),
        reasons: z.array(releaseReasonSchema).min(1),
      }),
    ),
  })
  .meta({ id: 'ReleaseSuggestions' });

export const expiringClaimsAnswerSchema = z
  .strictObject({
    claimPeriodDays: z
      .number()
      .int()
      .positive()
      .nullable()
      .meta({ description: 'The claim period for this partner (its tier’s, else the program’s); null: claims never expire, and nothing is ever listed.' }),
    withinDays: z.number().int().positive().meta({ description: '"Expiring soon": within the program’s first reminder window, in days.' }),
    renewalsAllowed: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().meta({ description: 'Active claims expiring within the window (all of them, not only the items sent).' }),
    reminderTasks: z
      .strictObject({
        granted: z.boolean(),
        missingScopes: z.array(z.string()),
      })
      .meta({
        description:
          'Whether reminders also become tasks in HubSpot: false when the account did not grant the scopes they need (missingScopes), or HubSpot refused the last reminder task. The view then says reminders appear only here.',
      }),
    items: z.array(registrationSchema).meta({ description: 'Soonest first; a claim past its expiry that the expiry job has not ended yet comes first.' }),
  })
  .meta({ id: 'ExpiringClaims' });

export const portalSettingsSchema = z.strictObject({ autoRegisterNewContacts: z.boolean() }).meta({ id: 'PortalSettings' });

const count = z.number().int().nonnegative();
export const autoRegisterPreviewSchema = z
  .strictObject({
    days: count,
    contacts: count.meta({ description: 'New contacts in the mirror during the window that have a website.' }),
    wouldRegister: count.meta({ description: 'Domains the rule would have registered.' }),
    refusedForCapacity: count.meta({ description: 'Domains it would have refused because the capacity was full.' }),
    alreadyRegistered: count,
    notRegistrable: count.meta({ description: "Websites that cannot be registered (not a domain, or a free e-mail provider's)." }),
    remainingNow: count,
    remainingAfter: count.meta({ description: 'The capacity it would leave.' }),
  })
  .meta({ id: 'AutoRegisterPreview', description: 'What the new-contact rule would have done over the last `days` days of the contact mirror, against today’s capacity.' });

// Requests as the server reads them (after defaults); what a client sends may leave defaults out.
export type RegistrationListQuery = z.infer<typeof registrationListQuerySchema>;
export type DeregistrationSelectionRequest = z.infer<typeof deregistrationSelectionSchema>;
export type SettingsChange = z.infer<typeof settingsChangeSchema>;
export type AuditEventsQuery = z.infer<typeof auditEventsQuerySchema>;
export type SessionAnswer = z.infer<typeof sessionAnswerSchema>;
export type CapacityAnswer = z.infer<typeof capacityAnswerSchema>;
export type RegistrationAnswer = z.infer<typeof registrationSchema>;
export type RegistrationPageAnswer = z.infer<typeof registrationPageSchema>;
export type AuditEventAnswer = z.infer<typeof auditEventSchema>;
export type AuditEventPageAnswer = z.infer<typeof auditEventPageSchema>;
export type DeregistrationJobAnswer = z.infer<typeof deregistrationJobSchema>;
export type DeregistrationJobListAnswer = z.infer<typeof deregistrationJobListSchema>;
export type DeregistrationRequestAnswer = z.infer<typeof deregistrationRequestAnswerSchema>;
export type UndoAnswer = z.infer<typeof undoAnswerSchema>;
export type RenewalAnswer = z.infer<typeof renewalAnswerSchema>;
export type PortalSettingsAnswer = z.infer<typeof portalSettingsSchema>;
export type ReleaseSuggestionsAnswer = z.infer<typeof releaseSuggestionsAnswerSchema>;
export type ExpiringClaimsAnswer = z.infer<typeof expiringClaimsAnswerSchema>;
export type ReleaseReasonAnswer = z.infer<typeof releaseReasonSchema>;
export type AutoRegisterPreviewAnswer = z.infer<typeof autoRegisterPreviewSchema>;
