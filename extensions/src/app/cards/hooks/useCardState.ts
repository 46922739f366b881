// The card's data: its state for the open contact, fetched through hubspot.fetch and refreshed
// while the card is open, and Register. Every answer is parsed with the shared contract: an answer
// that does not fit (HubSpot's proxy wrapping an error, an older server) is a failure to show,
// never a half-rendered card. A slower answer for an older request never overwrites a newer one.
import { hubspot } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { BACKEND_URL } from '../backend.js';
import { CARD_API_PATHS, CARD_PROBLEM_CODES, cardProblemSchema, cardStateAnswerSchema, registerAnswerSchema, type CardStateAnswer, type Refusal } from '../card-api-contract.js';

/** The state is fetched again this often while the card is open, so the link never goes stale. */
export const REFRESH_INTERVAL_MS = 4 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

/** Why a call gave no answer: the backend or HubSpot did not answer (HubSpot's read of the contact). */
export type CallFailure = 'unreachable' | 'hubspot-unavailable';

export type CardView = { status: 'loading' } | { status: 'failed'; failure: CallFailure } | CardStateAnswer;

export type RegisterOutcome = { kind: 'registered' } | { kind: 'refused'; refusal: Refusal } | { kind: 'failed'; failure: CallFailure } | null;

type Called<T> = { ok: true; answer: T } | { ok: false; failure: CallFailure };

async function callBackend<Schema extends z.ZodType>(
  schema: Schema,
  path: string,
  locale: string,
  options: { method?: 'GET' | 'POST'; body?: Record<string, unknown> } = {},
): Promise<Called<z.infer<Schema>>> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_URL}${path}?locale=${encodeURIComponent(locale)}`, {
      method: options.method ?? 'GET',
      body: options.body,
      timeout: FETCH_TIMEOUT_MS,
    });
  } catch {
    return { ok: false, failure: 'unreachable' };
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (response.ok) {
    const answer = schema.safeParse(body);
    return answer.success ? { ok: true, answer: answer.data } : { ok: false, failure: 'unreachable' };
  }
  const problem = cardProblemSchema.safeParse(body);
  return { ok: false, failure: problem.success && problem.data.code === CARD_PROBLEM_CODES.hubspotUnavailable ? 'hubspot-unavailable' : 'unreachable' };
}

export function useCardState(contactId: string, locale: string) {
  const [view, setView] = useState<CardView>({ status: 'loading' });
  const [outcome, setOutcome] = useState<RegisterOutcome>(null);
  const [registering, setRegistering] = useState(false);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latest.current;
    const called = await callBackend(cardStateAnswerSchema, CARD_API_PATHS.state(contactId), locale);
    if (request !== latest.current) return;
    setView(called.ok ? called.answer : { status: 'failed', failure: called.failure });
  }, [contactId, locale]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const retry = useCallback(() => {
    setView({ status: 'loading' });
    void load();
  }, [load]);

  const register = useCallback(async () => {
    setRegistering(true);
    setOutcome(null);
    const request = ++latest.current;
    const called = await callBackend(registerAnswerSchema, CARD_API_PATHS.register(contactId), locale, { method: 'POST', body: {} });
    setRegistering(false);
    if (!called.ok) {
      setOutcome({ kind: 'failed', failure: called.failure });
      return;
    }
    const { answer } = called;
    if (request === latest.current) setView(answer.status === 'registered' || answer.status === 'refused' ? { status: 'ready', state: answer.state } : answer);
    if (answer.status === 'registered') setOutcome({ kind: 'registered' });
    if (answer.status === 'refused') setOutcome({ kind: 'refused', refusal: answer.refusal });
  }, [contactId, locale]);

  return { view, outcome, registering, register, retry, refresh: load };
}
