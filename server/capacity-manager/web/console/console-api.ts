// The console's calls to its API (server/console/console-api-routes.ts): JSON in and out, the
// console session's cookie sent by the browser, its CSRF token on every change, and
// problem+json errors as the Capacity Manager's ApiError. Types come from the console's
// contract, imported as types only: no server code reaches the bundle.
import type {
  BacklogAnswer,
  ConflictListAnswer,
  ConflictResolutionAnswer,
  ConflictResolve,
  ConflictResolveAllAnswer,
  ConsoleAuditPageAnswer,
  ConsoleJobListAnswer,
  ConsoleSessionAnswer,
  PartnerChange,
  PartnerDetailsAnswer,
  PartnerPageAnswer,
  HubSpotUsageAnswer,
  ProgramSettingsAnswer,
  ProgramSettingsChange,
  ProgramSettingsPreviewAnswer,
  WaitlistListAnswer,
} from '../../../console/console-contract.js';
import type { RegistrationPageAnswer, UndoAnswer } from '../../capacity-manager-contract.js';
import { ApiError, answerBody, NO_ANSWER_CODES } from '../src/api.js';
import type { Locale } from './console-i18n.js';

export { ApiError };
export type PartnerPage = PartnerPageAnswer;
export type Partner = PartnerPageAnswer['items'][number];
export type PartnerDetails = PartnerDetailsAnswer;
export type ConsoleSession = ConsoleSessionAnswer;
export type AuditPage = ConsoleAuditPageAnswer;
export type AuditEvent = AuditPage['items'][number];
export type Job = ConsoleJobListAnswer['jobs'][number];
export type Backlog = BacklogAnswer;
export type ProgramSettings = ProgramSettingsAnswer['settings'];
export type SettingsPreview = ProgramSettingsPreviewAnswer;
export type Conflict = ConflictListAnswer['conflicts'][number];
export type Waitlist = WaitlistListAnswer['waitlists'][number];
export type HubSpotUsage = HubSpotUsageAnswer;

let csrfToken = '';
export function setConsoleCsrfToken(token: string): void {
  csrfToken = token;
}

async function call<T>(path: string, init: { method?: 'GET' | 'POST' | 'PATCH'; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      signal: init.signal,
      headers: { Accept: 'application/json', ...(method !== 'GET' ? { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (failure) {
    if (init.signal?.aborted) throw failure;
    throw new ApiError(0, NO_ANSWER_CODES.network, 'No answer from the server.');
  }
  if (response.status === 204) return undefined as T;
  const body = await answerBody(response, init.signal);
  if (!response.ok) {
    if (body === null) throw new ApiError(response.status, NO_ANSWER_CODES.notJson, `HTTP ${response.status}`);
    const detail = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : `HTTP ${response.status}`;
    throw new ApiError(response.status, typeof body.code === 'string' ? body.code : 'HTTP_ERROR', detail, body);
  }
  return (body ?? {}) as T;
}

export function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  return params.toString();
}

export const consoleApi = {
  session: () => call<ConsoleSession>('/api/console/session'),
  demoSignIn: (locale: Locale) => call<void>('/api/console/demo-sign-in', { method: 'POST', body: { locale } }),
  signOut: () => call<void>('/api/console/sign-out', { method: 'POST', body: {} }),
  partners: (query: Record<string, string | number | undefined>, signal?: AbortSignal) => call<PartnerPage>(`/api/console/partners?${queryString(query)}`, { signal }),
  partner: (portalId: number, signal?: AbortSignal) => call<PartnerDetails>(`/api/console/partners/${portalId}`, { signal }),
  changePartner: (portalId: number, change: PartnerChange) => call<PartnerDetails>(`/api/console/partners/${portalId}`, { method: 'PATCH', body: change }),
  partnerRegistrations: (portalId: number, query: Record<string, string | number | undefined>, signal?: AbortSignal) =>
    call<RegistrationPageAnswer>(`/api/console/partners/${portalId}/registrations?${queryString(query)}`, { signal }),
  audit: (query: Record<string, string | number | undefined>, signal?: AbortSignal) => call<AuditPage>(`/api/console/audit-events?${queryString(query)}`, { signal }),
  auditCsvUrl: (query: Record<string, string | number | undefined>) => `/api/console/audit-events.csv?${queryString(query)}`,
  jobs: (signal?: AbortSignal) => call<ConsoleJobListAnswer>('/api/console/jobs', { signal }),
  retryJob: (id: string) => call<{ job: Job }>(`/api/console/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST', body: {} }),
  undoJob: (id: string) => call<UndoAnswer>(`/api/console/jobs/${encodeURIComponent(id)}/undo`, { method: 'POST', body: {} }),
  backlog: (signal?: AbortSignal) => call<Backlog>('/api/console/backlog', { signal }),
  programSettings: (signal?: AbortSignal) => call<ProgramSettingsAnswer>('/api/console/program-settings', { signal }),
  previewProgramSettings: (changes: ProgramSettingsChange) => call<SettingsPreview>('/api/console/program-settings/preview', { method: 'POST', body: changes }),
  saveProgramSettings: (changes: ProgramSettingsChange) => call<SettingsPreview>('/api/console/program-settings', { method: 'PATCH', body: changes }),
  conflicts: (signal?: AbortSignal) => call<ConflictListAnswer>('/api/console/conflicts', { signal }),
  resolveConflict: (resolve: ConflictResolve) => call<ConflictResolutionAnswer>('/api/console/conflicts/resolve', { method: 'POST', body: resolve }),
  resolveAllConflicts: () => call<ConflictResolveAllAnswer>('/api/console/conflicts/resolve-all', { method: 'POST', body: { keep: 'earliest' } }),
  waitlists: (signal?: AbortSignal) => call<WaitlistListAnswer>('/api/console/waitlists', { signal }),
  hubspotUsage: (signal?: AbortSignal) => call<HubSpotUsage>('/api/console/hubspot-usage', { signal }),
};
