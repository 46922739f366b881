// The program console's endpoints in the app's OpenAPI document (api-docs/openapi-document.ts),
// from the same zod contract the routes parse with (console-contract.ts). Authentication: the
// console's session cookie (an operator signed in with HubSpot, OPERATOR_EMAILS), and on every
// change the X-CSRF-Token from GET /api/console/session.
import type { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { registrationListQuerySchema, registrationPageSchema, undoAnswerSchema } from '../capacity-manager/capacity-manager-contract.js';
import {
  backlogSchema,
  consoleAuditExportQuerySchema,
  consoleAuditPageSchema,
  consoleAuditQuerySchema,
  consoleDemoSignInSchema,
  consoleJobListQuerySchema,
  consoleJobListSchema,
  consoleJobParamsSchema,
  consoleSessionAnswerSchema,
  conflictListSchema,
  conflictResolutionAnswerSchema,
  conflictResolveAllAnswerSchema,
  conflictResolveAllSchema,
  conflictResolveSchema,
  hubspotUsageSchema,
  partnerChangeSchema,
  programSettingsAnswerSchema,
  programSettingsChangeSchema,
  programSettingsPreviewSchema,
  waitlistListSchema,
  partnerDetailsSchema,
  partnerListQuerySchema,
  partnerPageSchema,
  partnerParamsSchema,
} from './console-contract.js';
import { deregistrationJobSchema } from '../capacity-manager/capacity-manager-contract.js';
import { OPERATOR_SESSION_COOKIE } from './operator-session.js';

export const CONSOLE_SECURITY_SCHEMES = {
  operatorSession: {
    type: 'apiKey',
    in: 'cookie',
    name: OPERATOR_SESSION_COOKIE,
    description: 'Set by the console sign-in (/oauth/operator-sign-in): an operator named in OPERATOR_EMAILS.',
  },
  operatorCsrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'The csrfToken of GET /api/console/session; required on every change.' },
} as const;

import type { ZodOpenApiResponseObject } from 'zod-openapi';

type Problem = (description: string) => ZodOpenApiResponseObject;

export function consolePaths({ problem, json }: { problem: Problem; json: (description: string, schema: z.ZodType) => ZodOpenApiResponseObject }): ZodOpenApiPathsObject {
  const read = [{ operatorSession: [] }];
  const change = [{ operatorSession: [], operatorCsrf: [] }];
  const errors = { '401': problem('OPERATOR_SIGN_IN_REQUIRED: no console session (a partner session or the bearer token is not one).') };
  const changeErrors = { ...errors, '403': problem('The CSRF token is missing or wrong, or the request came from another site.') };
  const invalid = { '400': problem('INVALID_REQUEST: the input did not validate; `fields` says which and why.') };
  const op = (operation: ZodOpenApiOperationObject): ZodOpenApiOperationObject => ({ tags: ['Program console'], security: read, ...operation });
  return {
    '/api/console/session': { get: op({ summary: 'The operator signed in, the CSRF token', responses: { '200': json('The session.', consoleSessionAnswerSchema), ...errors } }) },
    '/api/console/demo-sign-in': {
      post: op({
        summary: 'Sign in as the demo operator (demo mode only)',
        security: [],
        requestBody: { content: { 'application/json': { schema: consoleDemoSignInSchema } } },
        responses: { '204': { description: 'Signed in.' }, ...invalid, '403': problem('Another site.'), '404': problem('Not in demo mode.') },
      }),
    },
    '/api/console/sign-out': {
      post: op({ summary: 'End the console session everywhere', security: change, responses: { '204': { description: 'Signed out.' }, ...changeErrors } }),
    },
    '/api/console/partners': {
      get: op({
        summary: 'Partners: search, sort, pages',
        requestParams: { query: partnerListQuerySchema },
        responses: { '200': json('A page of partners.', partnerPageSchema), ...invalid, ...errors },
      }),
    },
    '/api/console/partners/{portalId}': {
      get: op({
        summary: 'A partner, its capacity and settings',
        requestParams: { path: partnerParamsSchema },
        responses: { '200': json('The partner.', partnerDetailsSchema), ...invalid, ...errors, '404': problem('PORTAL_NOT_FOUND.') },
      }),
      patch: op({
        summary: 'Change a partner’s tier or limit (audited with the operator’s email)',
        security: change,
        requestParams: { path: partnerParamsSchema },
        requestBody: { content: { 'application/json': { schema: partnerChangeSchema } } },
        responses: { '200': json('The partner now.', partnerDetailsSchema), ...invalid, ...changeErrors, '404': problem('PORTAL_NOT_FOUND.') },
      }),
    },
    '/api/console/partners/{portalId}/registrations': {
      get: op({
        summary: 'A partner’s registrations as its Capacity Manager lists them (read-only)',
        requestParams: { path: partnerParamsSchema, query: registrationListQuerySchema },
        responses: { '200': json('A page of registrations.', registrationPageSchema), ...invalid, ...errors, '404': problem('PORTAL_NOT_FOUND.') },
      }),
    },
    '/api/console/audit-events': {
      get: op({
        summary: 'The audit across the program, filtered',
        requestParams: { query: consoleAuditQuerySchema },
        responses: { '200': json('A page of events.', consoleAuditPageSchema), ...invalid, ...errors },
      }),
    },
    '/api/console/audit-events.csv': {
      get: op({
        summary: 'Every event the filters match, as CSV',
        requestParams: { query: consoleAuditExportQuerySchema },
        responses: { '200': { description: 'CSV, newest first.', content: { 'text/csv': { schema: { type: 'string' } } } }, ...invalid, ...errors },
      }),
    },
    '/api/console/jobs': {
      get: op({
        summary: 'Deregistration jobs of every partner, newest first',
        requestParams: { query: consoleJobListQuerySchema },
        responses: { '200': json('The jobs.', consoleJobListSchema), ...invalid, ...errors },
      }),
    },
    '/api/console/jobs/{id}/retry': {
      post: op({
        summary: 'Put a failed job back on the queue (audited)',
        security: change,
        requestParams: { path: consoleJobParamsSchema },
        responses: {
          '200': json('The job, queued again.', deregistrationJobSchema),
          ...invalid,
          ...changeErrors,
          '404': problem('JOB_NOT_FOUND.'),
          '409': problem('NOT_RETRYABLE.'),
        },
      }),
    },
    '/api/console/jobs/{id}/undo': {
      post: op({
        summary: 'Undo a finished job (within 15 minutes)',
        security: change,
        requestParams: { path: consoleJobParamsSchema },
        responses: {
          '200': json('What was registered again.', undoAnswerSchema),
          ...invalid,
          ...changeErrors,
          '404': problem('JOB_NOT_FOUND.'),
          '409': problem('NOT_UNDOABLE or UNDO_WINDOW_PASSED.'),
        },
      }),
    },
    '/api/console/backlog': { get: op({ summary: 'Webhook inbox, write-back and backfill backlogs', responses: { '200': json('The backlog.', backlogSchema), ...errors } }) },
    '/api/console/program-settings': {
      get: op({ summary: 'The program’s claim settings', responses: { '200': json('The settings.', programSettingsAnswerSchema), ...errors } }),
      patch: op({
        summary: 'Change the program’s claim settings (audited with the operator’s email)',
        security: change,
        requestBody: { content: { 'application/json': { schema: programSettingsChangeSchema } } },
        responses: { '200': json('The settings now, and what the change did to claims.', programSettingsPreviewSchema), ...invalid, ...changeErrors },
      }),
    },
    '/api/console/program-settings/preview': {
      post: op({
        summary: 'What a change of the settings would do, without doing it',
        security: change,
        requestBody: { content: { 'application/json': { schema: programSettingsChangeSchema } } },
        responses: { '200': json('The settings it would make and its effect on claims.', programSettingsPreviewSchema), ...invalid, ...changeErrors },
      }),
    },
    '/api/console/conflicts': {
      get: op({ summary: 'Domains more than one partner holds, with their holders (earliest first)', responses: { '200': json('The conflicts.', conflictListSchema), ...errors } }),
    },
    '/api/console/conflicts/resolve': {
      post: op({
        summary: 'Keep one holder of a conflicted domain; the others’ registrations end through deregistration jobs (audited)',
        security: change,
        requestBody: { content: { 'application/json': { schema: conflictResolveSchema } } },
        responses: {
          '200': json('Whom it kept and the jobs that release the others.', conflictResolutionAnswerSchema),
          ...invalid,
          ...changeErrors,
          '404': problem('NO_CONFLICT.'),
        },
      }),
    },
    '/api/console/conflicts/resolve-all': {
      post: op({
        summary: 'Keep the earliest registration of every conflicted domain (up to 500 per call; audited)',
        security: change,
        requestBody: { content: { 'application/json': { schema: conflictResolveAllSchema } } },
        responses: { '200': json('What was resolved and how many conflicts are left.', conflictResolveAllAnswerSchema), ...invalid, ...changeErrors },
      }),
    },
    '/api/console/waitlists': {
      get: op({ summary: 'The longest waitlists and who holds each domain', responses: { '200': json('The waitlists.', waitlistListSchema), ...errors } }),
    },
    '/api/console/hubspot-usage': {
      get: op({ summary: 'HubSpot calls per portal: last 10 s and last hour, 429s, 5xx, limiter waits', responses: { '200': json('The usage.', hubspotUsageSchema), ...errors } }),
    },
  };
}
