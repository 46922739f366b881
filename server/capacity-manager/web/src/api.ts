// The page's calls to its API: JSON in and out, the session cookie sent by the browser, the
// CSRF token on every change, and problem+json errors turned into ApiError with their code and
// the server's sentence. What goes in and comes out is the API's contract
// (../../capacity-manager-contract.ts), imported as types only so no server code reaches the
// bundle; the names below are the page's words for the contract's types.
import type {
  AuditEventAnswer,
  AuditEventPageAnswer,
  AuditEventsQuery,
  AutoRegisterPreviewAnswer,
  CapacityAnswer,
  DeregistrationJobAnswer,
  DeregistrationJobListAnswer,
  DeregistrationRequestAnswer,
  DeregistrationSelectionRequest,
  ExpiringClaimsAnswer,
  PortalSettingsAnswer,
  RegistrationAnswer,
  RegistrationListQuery,
  RegistrationPageAnswer,
  ReleaseReasonAnswer,
  ReleaseSuggestionsAnswer,
  RenewalAnswer,
  SessionAnswer,
  SettingsChange,
  UndoAnswer,
} from '../../capacity-manager-contract.js';
import { MESSAGES, type Locale } from './i18n.js';

export type SessionInfo = SessionAnswer;
export type CapacityInfo = CapacityAnswer;
export type RegistrationView = RegistrationAnswer;
export type RegistrationPage = RegistrationPageAnswer;
export type AuditEventView = AuditEventAnswer;
export type AuditEventPage = AuditEventPageAnswer;
export type DeregistrationJobView = DeregistrationJobAnswer;
export type RequestDeregistrationResult = DeregistrationRequestAnswer;
export type UndoDeregistrationResult = UndoAnswer;
export type PortalSettings = PortalSettingsAnswer;
export type AutoRegisterPreview = AutoRegisterPreviewAnswer;
export type DeregistrationSelection = DeregistrationSelectionRequest;
export type ReleaseSuggestions = ReleaseSuggestionsAnswer;
export type ReleaseReasonView = ReleaseReasonAnswer;
export type ExpiringClaims = ExpiringClaimsAnswer;
export type RenewalResult = RenewalAnswer;

/** The list's query as the page keeps it: every field set (an empty search is no search), but a cursor only when paging from an answer and a date only when filtering by one. */
export type RegistrationQuery = Required<Omit<RegistrationListQuery, 'status' | 'cursor' | 'registeredBefore'>> &
  Pick<RegistrationListQuery, 'cursor' | 'registeredBefore'> & { status: 'active' | 'deregistered' };
export type SortField = RegistrationQuery['sortBy'];
/** The audit trail's filter (every field optional; an empty one is no filter). */
export type AuditFilter = Partial<Omit<AuditEventsQuery, 'page' | 'pageSize'>>;
export type SortDirection = RegistrationQuery['sortDirection'];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';
let locale: Locale = 'en';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The page's language, for the failures this module words itself (the app never answered). */
export function setApiLocale(next: Locale): void {
  locale = next;
}

/** Codes of failures where the app gave no answer of its own. */
export const NO_ANSWER_CODES = { network: 'NETWORK_ERROR', notJson: 'UNEXPECTED_ANSWER' } as const;

/**
 * The answer's JSON body, or null when it is not JSON. Aborted while the body was still arriving
 * (the view closed, or asked again), it stays an abort, as one before the answer does: taken for
 * an empty answer, it had set a list to undefined and crashed the page (measured: Undo, then
 * History, at once).
 */
export async function answerBody(response: Response, signal: AbortSignal | undefined): Promise<Record<string, unknown> | null> {
  try {
    return (await response.json()) as Record<string, unknown> | null;
  } catch (failure) {
    if (signal?.aborted) throw failure;
    return null;
  }
}

export async function call<T>(path: string, init: { method?: 'GET' | 'POST' | 'PATCH'; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      signal: init.signal,
      headers: {
        Accept: 'application/json',
        ...(method !== 'GET' ? { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (failure) {
    // An abort is the caller's own doing and stays one; anything else means no answer came
    // (the browser says "Failed to fetch"/"Load failed", in its own language): say it in ours.
    if (init.signal?.aborted) throw failure;
    throw new ApiError(0, NO_ANSWER_CODES.network, MESSAGES[locale].errors.network);
  }
  if (response.status === 204) return undefined as T;
  const body = await answerBody(response, init.signal);
  if (!response.ok) {
    // Not our problem+json (a proxy's error page): the server's words are not there to show.
    if (body === null) throw new ApiError(response.status, NO_ANSWER_CODES.notJson, MESSAGES[locale].errors.server);
    const detail = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : MESSAGES[locale].errors.server;
    throw new ApiError(response.status, typeof body.code === 'string' ? body.code : 'HTTP_ERROR', detail, body);
  }
  return (body ?? {}) as T;
}

/** A query string of the fields set (an empty string is no filter). */
export function registrationParams(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return params.toString();
}

export const api = {
  session: () => call<SessionInfo>('/api/session'),
  capacity: () => call<CapacityInfo>('/api/capacity'),
  registrations: (query: RegistrationQuery, signal?: AbortSignal) => call<RegistrationPage>(`/api/registrations?${registrationParams(query)}`, { signal }),
  exportUrl: (query: Omit<RegistrationQuery, 'page' | 'pageSize'>) => `/api/registrations/export.csv?${registrationParams(query)}`,
  auditEvents: (filter: AuditFilter, page: number, signal?: AbortSignal) =>
    call<AuditEventPage>(`/api/audit-events?${registrationParams({ ...filter, page, pageSize: 50 })}`, { signal }),
  auditExportUrl: (filter: AuditFilter) => `/api/audit-events/export.csv?${registrationParams(filter)}`,
  requestDeregistration: (selection: DeregistrationSelection) => call<RequestDeregistrationResult>('/api/deregistrations', { method: 'POST', body: { selection } }),
  recentDeregistrationJobs: (limit: number, signal?: AbortSignal) => call<DeregistrationJobListAnswer>(`/api/deregistrations?limit=${limit}`, { signal }),
  deregistrationJob: (id: string) => call<DeregistrationJobView>(`/api/deregistrations/${encodeURIComponent(id)}`),
  undoDeregistration: (id: string) => call<UndoDeregistrationResult>(`/api/deregistrations/${encodeURIComponent(id)}/undo`, { method: 'POST', body: {} }),
  releaseSuggestions: (limit: number, signal?: AbortSignal) => call<ReleaseSuggestions>(`/api/release-suggestions?limit=${limit}`, { signal }),
  expiringClaims: (limit: number, signal?: AbortSignal) => call<ExpiringClaims>(`/api/expiring-claims?limit=${limit}`, { signal }),
  renew: (registrationId: string) => call<RenewalResult>(`/api/registrations/${encodeURIComponent(registrationId)}/renewal`, { method: 'POST', body: {} }),
  settings: () => call<PortalSettings>('/api/settings'),
  autoRegisterPreview: () => call<AutoRegisterPreviewAnswer>('/api/settings/auto-register-preview'),
  changeSettings: (settings: SettingsChange) => call<PortalSettings>('/api/settings', { method: 'PATCH', body: settings }),
  demoSignIn: (locale: Locale) => call<void>('/api/demo-sign-in', { method: 'POST', body: { locale } }),
  signOut: () => call<void>('/api/sign-out', { method: 'POST', body: {} }),
};
