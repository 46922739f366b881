// What the program console and its API (console-api-routes.ts) say to each other, as zod
// schemas: the routes parse their input with the request schemas and build their answers as the
// answer types; the console page (capacity-manager/web/console/) imports the types only;
// console-api.test.ts parses the real server's answers with the (strict) answer schemas.
// Plain zod, no Express.
import { z } from 'zod';
import { LOCALES } from '../capacity-manager/locale.js';
import { auditEventSchema, capacityAnswerSchema, deregistrationJobSchema } from '../capacity-manager/capacity-manager-contract.js';
import { AuditAction, InstallState, ProgramAuditAction } from '../db/generated/enums.js';
import { MAX_LIMIT_OVERRIDE, PARTNER_TIERS } from '../domain/capacity.js';
import { CLAIM_MODES, MAX_CLAIM_PERIOD_DAYS } from '../domain/claims.js';
import { JOB_STATUSES } from '../deregistrations/list-deregistration-jobs.js';

export const MAX_PARTNER_PAGE_SIZE = 100;
export const MAX_CONSOLE_AUDIT_PAGE_SIZE = 100;
export const PARTNER_SORT_FIELDS = ['name', 'portalId', 'tier', 'limit', 'used', 'percentUsed', 'installState'] as const;
export type PartnerSortField = (typeof PARTNER_SORT_FIELDS)[number];

const isoDateTime = z.iso.datetime({ offset: true });
const pageNumber = z.coerce.number().int().min(1).max(1_000_000);
const portalId = z.coerce.number({ error: 'expected a portal id' }).int().positive().max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().nonnegative();

// ---- Requests -------------------------------------------------------------------------------

export const partnerListQuerySchema = z.object({
  search: z.string().trim().max(200, { error: 'a search is at most 200 characters' }).optional().meta({ description: 'Part of the name, or the portal id.' }),
  sortBy: z.enum(PARTNER_SORT_FIELDS).default('name'),
  sortDirection: z.enum(['asc', 'desc']).default('asc'),
  page: pageNumber.default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PARTNER_PAGE_SIZE).default(25),
});
export const partnerParamsSchema = z.object({ portalId });

/** One change at a time: the tier, or the limit (null: back to the tier's). */
export const partnerChangeSchema = z.union([
  z.strictObject({ tier: z.enum(PARTNER_TIERS) }),
  z.strictObject({ limit: z.number({ error: 'expected a whole number, or null for the tier’s limit' }).int().min(0).max(MAX_LIMIT_OVERRIDE).nullable() }),
]);

export const AUDIT_SOURCES = ['portal', 'program'] as const;
export const consoleAuditQuerySchema = z.object({
  portalId: portalId.optional(),
  action: z.enum([...Object.values(AuditAction), ...Object.values(ProgramAuditAction)] as [string, ...string[]]).optional(),
  actor: z.string().trim().min(1).max(320).optional().meta({ description: 'Exactly this actor (an email, an operator, a rule).' }),
  from: z.iso.date().optional().meta({ description: 'From this day on (UTC).' }),
  to: z.iso.date().optional().meta({ description: 'Up to and including this day (UTC).' }),
  page: pageNumber.default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_CONSOLE_AUDIT_PAGE_SIZE).default(50),
});
export const consoleAuditExportQuerySchema = consoleAuditQuerySchema.omit({ page: true, pageSize: true });

export const consoleJobListQuerySchema = z.object({
  portalId: portalId.optional(),
  status: z.enum(JOB_STATUSES).optional(),
});
export const consoleJobParamsSchema = z.object({ id: z.uuid({ error: 'expected a deregistration job id' }) });
export const consoleDemoSignInSchema = z.object({ locale: z.enum(LOCALES).default('en') });

const claimPeriodDays = z
  .number({ error: `expected a whole number of days from 1 to ${MAX_CLAIM_PERIOD_DAYS}` })
  .int()
  .min(1)
  .max(MAX_CLAIM_PERIOD_DAYS);
/** The settings to change, only those (program/program-settings.ts checks the result as a whole). */
export const programSettingsChangeSchema = z
  .strictObject({
    claimMode: z.enum(CLAIM_MODES).optional(),
    claimPeriodDays: claimPeriodDays.nullable().optional().meta({ description: 'null: claims never expire.' }),
    claimPeriodDaysByTier: z
      .partialRecord(z.enum(PARTNER_TIERS), claimPeriodDays)
      .optional()
      .meta({ description: 'The whole set of per-tier periods; a tier left out follows claimPeriodDays.' }),
    reminderDays: z.array(z.number().int().min(1).max(365)).max(5, { error: 'give at most 5 reminder days' }).optional(),
    renewalsAllowed: z.number().int().min(0).max(100).optional(),
    inactivityDays: z.number().int().min(1).max(3650).optional(),
  })
  .refine((change) => Object.keys(change).length > 0, { error: 'say which setting to change' });

export const MAX_CONFLICTS_LISTED = 200;
export const MAX_CONFLICTS_RESOLVED_AT_ONCE = 500;
export const conflictResolveSchema = z.strictObject({
  domain: z.string().trim().min(1).max(253),
  keep: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('earliest') }), z.strictObject({ kind: z.literal('portal'), portalId: portalId })]),
});
export const conflictResolveAllSchema = z.strictObject({
  keep: z.literal('earliest', { error: 'resolving every conflict at once keeps the earliest registration: send {"keep":"earliest"}' }),
});

// ---- Answers --------------------------------------------------------------------------------

export const consoleSessionAnswerSchema = z.strictObject({
  operator: z.strictObject({ email: z.string() }),
  locale: z.enum(LOCALES),
  csrfToken: z.string(),
  expiresAt: isoDateTime,
  demo: z.boolean(),
  queueDashboard: z.string().meta({ description: 'Where the queue dashboard is (the session opens it).' }),
});

export const partnerSchema = z.strictObject({
  portalId: z.number().int(),
  name: z.string().nullable(),
  tier: z.enum(PARTNER_TIERS),
  limit: count,
  limitOverridden: z.boolean(),
  used: count,
  percentUsed: z.number().nonnegative().meta({ description: 'used / limit × 100, rounded to one decimal; 100 when the limit is 0 and something is used.' }),
  installState: z.enum(InstallState),
  expiringSoon: count.meta({ description: "Active claims that expire within the program's first reminder window (0 without a claim period)." }),
  waiting: count.meta({ description: 'Domains held by other partners that this partner waits for.' }),
  lastWebhookAt: isoDateTime.nullable(),
  lastRegistrationAt: isoDateTime.nullable(),
});

export const partnerPageSchema = z.strictObject({
  items: z.array(partnerSchema),
  total: count,
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  pageCount: count,
});

export const partnerDetailsSchema = z.strictObject({
  partner: partnerSchema,
  capacity: capacityAnswerSchema,
  autoRegisterNewContacts: z.boolean(),
});

export const consoleAuditEventSchema = auditEventSchema.extend({
  source: z.enum(AUDIT_SOURCES),
  portalId: z.number().int().nullable(),
  action: z.string(),
});
export const consoleAuditPageSchema = z.strictObject({
  items: z.array(consoleAuditEventSchema),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  hasNextPage: z.boolean(),
});

export const consoleJobListSchema = z.strictObject({ jobs: z.array(deregistrationJobSchema) });

export const backlogSchema = z.strictObject({
  webhookInbox: z.strictObject({
    pending: count,
    oldestPendingAt: isoDateTime.nullable(),
    failed: count,
    recentFailures: z.array(z.strictObject({ id: z.string(), portalId: z.number().int().nullable(), receivedAt: isoDateTime, reason: z.string() })),
  }),
  writeBacks: z.strictObject({
    pending: count,
    oldestPendingAt: isoDateTime.nullable(),
    failing: count,
    recentFailures: z.array(z.strictObject({ portalId: z.number().int(), contactId: z.string(), attempts: count, lastError: z.string(), updatedAt: isoDateTime })),
  }),
  backfills: z.array(
    z.strictObject({
      portalId: z.number().int(),
      status: z.enum(['pending', 'running', 'completed', 'failed']),
      contactsSynced: count,
      startedAt: isoDateTime.nullable(),
      finishedAt: isoDateTime.nullable(),
      error: z.string().nullable(),
    }),
  ),
});

const programSettingsSchema = z.strictObject({
  claimMode: z.enum(CLAIM_MODES),
  claimPeriodDays: z.number().int().nullable(),
  claimPeriodDaysByTier: z.partialRecord(z.enum(PARTNER_TIERS), z.number().int()),
  reminderDays: z.array(z.number().int()),
  renewalsAllowed: count,
  inactivityDays: count,
});
export const programSettingsAnswerSchema = z.strictObject({ settings: programSettingsSchema });
export const programSettingsPreviewSchema = z.strictObject({
  settings: programSettingsSchema,
  claimsGettingExpiry: count,
  claimsChangingExpiry: count,
  claimsLosingExpiry: count,
  earliestNewExpiry: isoDateTime.nullable(),
  conflicts: count.meta({ description: 'Domains held by more than one partner (listed as conflicts in exclusive mode).' }),
});

const conflictHolderSchema = z.strictObject({
  portalId: z.number().int(),
  portalName: z.string().nullable(),
  registrationId: z.string(),
  registeredAt: isoDateTime,
  contactId: z.string(),
});
export const conflictListSchema = z.strictObject({
  claimMode: z.enum(CLAIM_MODES),
  conflicts: z.array(z.strictObject({ domain: z.string(), displayDomain: z.string(), holders: z.array(conflictHolderSchema) })),
  total: count,
});
const conflictResolutionSchema = z.strictObject({
  domain: z.string(),
  kept: conflictHolderSchema,
  released: z.array(conflictHolderSchema.extend({ jobId: z.string() })),
});
export const conflictResolutionAnswerSchema = conflictResolutionSchema;
export const conflictResolveAllAnswerSchema = z.strictObject({ resolved: z.array(conflictResolutionSchema), remaining: count });

export const waitlistListSchema = z.strictObject({
  waitlists: z.array(
    z.strictObject({
      domain: z.string(),
      displayDomain: z.string(),
      waiting: count,
      waitingSince: isoDateTime,
      holder: z.strictObject({ portalId: z.number().int(), portalName: z.string().nullable(), heldSince: isoDateTime }).nullable(),
    }),
  ),
});

export const hubspotUsageSchema = z.strictObject({
  limitPer10s: count.meta({ description: 'The app’s budget per portal per 10 s (HUBSPOT_REQUESTS_PER_10S).' }),
  portals: z.array(
    z.strictObject({
      portalId: z.number().int(),
      name: z.string().nullable(),
      callsLast10s: count.meta({ description: 'As the shared rate limiter counts them: answered in the last 10 s, or still in flight.' }),
      callsLastHour: count.meta({ description: 'The last 60 whole minutes and this one so far.' }),
      rateLimited: count.meta({ description: 'Answered 429 in the last hour.' }),
      serverErrors: count.meta({ description: 'Answered 5xx in the last hour.' }),
      noAnswer: count.meta({ description: 'Timed out or dropped in the last hour.' }),
      limiterWaits: count.meta({ description: 'Calls the limiter held back in the last hour (window full, or a 429 pause).' }),
      limiterWaitMs: count.meta({ description: 'Their waits, summed, in milliseconds.' }),
    }),
  ),
  more: count.meta({ description: 'Portals that called HubSpot in the last hour beyond those listed.' }),
});

export type ProgramSettingsChange = z.infer<typeof programSettingsChangeSchema>;
export type ProgramSettingsAnswer = z.infer<typeof programSettingsAnswerSchema>;
export type ProgramSettingsPreviewAnswer = z.infer<typeof programSettingsPreviewSchema>;
export type ConflictListAnswer = z.infer<typeof conflictListSchema>;
export type ConflictResolve = z.infer<typeof conflictResolveSchema>;
export type ConflictResolutionAnswer = z.infer<typeof conflictResolutionAnswerSchema>;
export type ConflictResolveAllAnswer = z.infer<typeof conflictResolveAllAnswerSchema>;
export type WaitlistListAnswer = z.infer<typeof waitlistListSchema>;
export type HubSpotUsageAnswer = z.infer<typeof hubspotUsageSchema>;
export type PartnerListQuery = z.infer<typeof partnerListQuerySchema>;
export type PartnerChange = z.infer<typeof partnerChangeSchema>;
export type ConsoleAuditQuery = z.infer<typeof consoleAuditQuerySchema>;
export type ConsoleSessionAnswer = z.infer<typeof consoleSessionAnswerSchema>;
export type PartnerAnswer = z.infer<typeof partnerSchema>;
export type PartnerPageAnswer = z.infer<typeof partnerPageSchema>;
export type PartnerDetailsAnswer = z.infer<typeof partnerDetailsSchema>;
export type ConsoleAuditEventAnswer = z.infer<typeof consoleAuditEventSchema>;
export type ConsoleAuditPageAnswer = z.infer<typeof consoleAuditPageSchema>;
export type ConsoleJobListAnswer = z.infer<typeof consoleJobListSchema>;
export type BacklogAnswer = z.infer<typeof backlogSchema>;
