// The card's data: its state for the open contact, fetched through hubspot.fetch and refreshed
// while the card is open; Register; joining and leaving the waitlist; renewing the claim. Every answer is parsed
// with the shared contract: an answer that does not fit (HubSpot's proxy wrapping an error, an
// older server) is a failure to show, never a half-rendered card. A slower answer for an older
// request never overwrites a newer one.
import { hubspot } from '@hubspot/ui-extensions';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { BACKEND_URL } from '../backend.js';
import {
  CARD_API_PATHS,
  CARD_PROBLEM_CODES,
  cardProblemSchema,
  cardStateAnswerSchema,
  registerAnswerSchema,
  renewalAnswerSchema,
  waitlistAnswerSchema,
  type CardStateAnswer,
  type Refusal,
  type RenewalRefusal,
  type WaitlistRefusal,
} from '../card-api-contract.js';

/** The state is fetched again this often while the card is open, so the link never goes stale. */
export const REFRESH_INTERVAL_MS = 4 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

/** Why a call gave no answer: the backend or HubSpot did not answer (HubSpot's read of the contact). */
export type CallFailure = 'unreachable' | 'hubspot-unavailable';

export type CardView = { status: 'loading' } | { status: 'failed'; failure: CallFailure } | CardStateAnswer;

/** What the last click did: Register, joining or leaving the waitlist, or Renew. */
export type RegisterOutcome =
  | { kind: 'registered' }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'failed'; failure: CallFailure }
  | { kind: 'joined'; domain: string }
  | { kind: 'left'; domain: string }
  | { kind: 'waitlist-refused'; refusal: WaitlistRefusal }
  | { kind: 'waitlist-failed'; failure: CallFailure }
  | { kind: 'renewed' }
  | { kind: 'renewal-refused'; refusal: RenewalRefusal }
  | { kind: 'renewal-failed'; failure: CallFailure }
  | null;

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

  const [waitlistBusy, setWaitlistBusy] = useState(false);
  /** Joins the waitlist for the contact's domain, or leaves the one for `leaving`. */
  const changeWaitlist = useCallback(
    async (leaving: string | null) => {
      setWaitlistBusy(true);
      setOutcome(null);
      const request = ++latest.current;
      const path = leaving ? CARD_API_PATHS.leaveWaitlist(contactId) : CARD_API_PATHS.joinWaitlist(contactId);
      const called = await callBackend(waitlistAnswerSchema, path, locale, { method: 'POST', body: leaving ? { domain: leaving } : {} });
      setWaitlistBusy(false);
      if (!called.ok) {
        setOutcome({ kind: 'waitlist-failed', failure: called.failure });
        return;
      }
      const { answer } = called;
      if (request === latest.current) setView('state' in answer ? { status: 'ready', state: answer.state } : answer);
      if (answer.status === 'waiting') setOutcome({ kind: 'joined', domain: answer.state.waitlist?.displayDomain ?? '' });
      if (answer.status === 'left') setOutcome({ kind: 'left', domain: leaving ?? '' });
      if (answer.status === 'refused') setOutcome({ kind: 'waitlist-refused', refusal: answer.refusal });
    },
    [contactId, locale],
  );
  const joinWaitlist = useCallback(() => changeWaitlist(null), [changeWaitlist]);
  const leaveWaitlist = useCallback((domain: string) => changeWaitlist(domain), [changeWaitlist]);

  const [renewing, setRenewing] = useState(false);
  /** Renews the registration the card shows (the server renews it only while it is still the contact's). */
  const renew = useCallback(
    async (registrationId: string) => {
      setRenewing(true);
      setOutcome(null);
      const request = ++latest.current;
      const called = await callBackend(renewalAnswerSchema, CARD_API_PATHS.renew(contactId), locale, { method: 'POST', body: { registrationId } });
      setRenewing(false);
      if (!called.ok) {
        setOutcome({ kind: 'renewal-failed', failure: called.failure });
        return;
      }
      const { answer } = called;
      if (request === latest.current) setView('state' in answer ? { status: 'ready', state: answer.state } : answer);
      if (answer.status === 'renewed') setOutcome({ kind: 'renewed' });
      if (answer.status === 'refused') setOutcome({ kind: 'renewal-refused', refusal: answer.refusal });
    },
    [contactId, locale],
  );

  return { view, outcome, registering, register, retry, refresh: load, waitlistBusy, joinWaitlist, leaveWaitlist, renewing, renew };
}
