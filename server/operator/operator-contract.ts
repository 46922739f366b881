// What the operator API takes and answers, as zod schemas: operator-routes.ts parses its input
// with the request schemas and builds its answers as the answer types; the OpenAPI document
// (server/api-docs/) is generated from the same schemas; operator-contract.test.ts parses the
// real server's answers with them. Plain zod, no Express.
import { z } from 'zod';
import { JOB_STATUSES } from '../deregistrations/list-deregistration-jobs.js';
import { MAX_SELECTED } from '../deregistrations/request-deregistration.js';
import { deregistrationJobSchema, deregistrationRequestAnswerSchema, undoAnswerSchema } from '../capacity-manager/capacity-manager-contract.js';

export const MAX_LISTED_JOBS = 500;

const portalId = z.coerce.number({ error: 'expected a portal id' }).int().positive().max(Number.MAX_SAFE_INTEGER).meta({ description: 'The HubSpot account (portal) id.' });
const requestedBy = z.string().trim().min(1).max(200).default('operator').meta({ description: 'Who asks, recorded on the job and in the audit trail.' });

// ---- Requests -------------------------------------------------------------------------------

export const operatorSelectionSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('registrations'), registrationIds: z.array(z.string()).min(1).max(MAX_SELECTED) }),
    z.object({
      kind: z.literal('domains'),
      domains: z.array(z.string()).min(1).max(MAX_SELECTED).meta({ description: 'Registered domains, or websites normalised the way registration does.' }),
    }),
    z.object({ kind: z.literal('search'), search: z.string().max(200).optional() }),
    z.object({ kind: z.literal('all') }),
    z.object({
      kind: z.literal('registered-before'),
      before: z.iso
        .datetime({ offset: true })
        .or(z.iso.date())
        .transform((value) => new Date(value))
        .meta({ description: 'An ISO date or date-time: registrations made before it.' }),
    }),
  ])
  .meta({ description: 'Which active registrations of the portal to deregister.' });

export const operatorDeregistrationRequestSchema = z.object({ portalId, selection: operatorSelectionSchema, requestedBy });
export const operatorJobListQuerySchema = z.object({
  portalId: portalId.optional(),
  status: z.enum(JOB_STATUSES).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LISTED_JOBS)
    .optional()
    .meta({ description: `1 to ${MAX_LISTED_JOBS}, default 50.` }),
});
/** Any text: an id that is not a job's is simply not found. */
export const operatorJobParamsSchema = z.object({ id: z.string().meta({ description: 'The deregistration job id.' }) });
export const operatorUndoRequestSchema = z.object({ requestedBy });

// ---- Answers --------------------------------------------------------------------------------

const count = z.number().int().nonnegative();

export const operatorJobListAnswerSchema = z.strictObject({ jobs: z.array(deregistrationJobSchema) }).meta({ id: 'DeregistrationJobList' });

export const operatorJobDetailsAnswerSchema = z
  .strictObject({
    job: deregistrationJobSchema,
    selection: z.unknown().meta({ description: 'The selection as the job stored it.' }),
    chunks: z.strictObject({ pending: count, deregistered: count, written: count }),
    items: z.strictObject({ pending: count, deregistered: count, skipped: count }),
    contacts: z.strictObject({ pending: count, written: count, missing: count, failed: count, not_needed: count }),
    problems: z
      .array(z.strictObject({ domain: z.string(), contactId: z.string(), contactUpdate: z.string(), error: z.string().nullable() }))
      .meta({ description: 'Up to 100 items whose contact HubSpot no longer has or refused to update.' }),
  })
  .meta({ id: 'DeregistrationJobDetails' });

export const operatorRetryAnswerSchema = z.strictObject({ job: deregistrationJobSchema }).meta({ id: 'DeregistrationJobRetried' });
/** The operator's request and undo answer as the Capacity Manager's do. */
export const operatorDeregistrationAnswerSchema = deregistrationRequestAnswerSchema;
export const operatorUndoAnswerSchema = undoAnswerSchema;

export type OperatorJobListAnswer = z.infer<typeof operatorJobListAnswerSchema>;
export type OperatorJobDetailsAnswer = z.infer<typeof operatorJobDetailsAnswerSchema>;
export type OperatorRetryAnswer = z.infer<typeof operatorRetryAnswerSchema>;
