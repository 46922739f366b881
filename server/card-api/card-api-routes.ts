// The endpoints the Lead Registration card calls through hubspot.fetch, signed by HubSpot.
//
// Every request must carry HubSpot's v3 signature over the public URL and the raw body; the
// portal and user come from what the signature covers (card-caller.ts), never from anything
// else the request says. An unsigned or wrongly signed call is refused before it reads or
// changes anything. Answers follow the card's contract (extensions/src/app/cards/
// card-api-contract.ts): every state the card expects — not connected, contact not found,
// refused — is a 2xx answer with an explicit status; only real failures are HTTP errors.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../runtime/dependencies.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import { HubSpotDisconnectedError, HubSpotUnavailableError } from '../hubspot/hubspot-errors.js';
import { localeFrom } from '../capacity-manager/locale.js';
import { CARD_PROBLEM_CODES, type CardStateAnswer, type RegisterAnswer, type RenewalAnswer, type WaitlistAnswer } from '../../extensions/src/app/cards/card-api-contract.js';
import { cardCallerOf, verifyCardRequest } from './card-caller.js';
import { getCardState, type CardUnavailable } from './get-card-state.js';
import { registerFromCard } from './register-from-card.js';
import { renewFromCard } from './renew-from-card.js';
import { joinWaitlistFromCard, leaveWaitlistFromCard } from './waitlist-from-card.js';

const contactParams = z.object({ contactId: z.string().regex(/^\d{1,20}$/, { error: 'expected a HubSpot contact id' }) });
const cardQuery = z.looseObject({ locale: z.string().max(20).optional() });
/** The domain the card showed the waitlist for (a registrable domain, as registrations store it). */
const leaveBody = z.looseObject({
  domain: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9.-]+$/, { error: 'expected a registrable domain' }),
});

/** The registration the card showed (a registration id, as the card state gives it). */
const renewBody = z.looseObject({ registrationId: z.string().regex(/^[1-9]\d{0,17}$/, { error: 'expected the id of the registration the card shows' }) });

/**
 * What the card expects and shows (not connected, contact not found): an answer, not an error.
 * `satisfies` keeps it inside every answer of the contract.
 */
function unavailable(deps: AppDependencies, code: CardUnavailable, contactId: string) {
  return code === 'APP_NOT_CONNECTED'
    ? ({ status: 'not-connected', installUrl: `${deps.config.publicUrl}/oauth/install` } satisfies CardStateAnswer & RegisterAnswer & WaitlistAnswer & RenewalAnswer)
    : ({ status: 'contact-not-found', contactId } satisfies CardStateAnswer & RegisterAnswer & WaitlistAnswer & RenewalAnswer);
}

/** HubSpot's own failures: a revoked install is an expected state; HubSpot not answering is a real failure. */
function answerForHubSpotFailure(deps: AppDependencies, contactId: string) {
  return (error: unknown): ReturnType<typeof unavailable> => {
    if (error instanceof HubSpotDisconnectedError) return unavailable(deps, 'APP_NOT_CONNECTED', contactId);
    if (error instanceof HubSpotUnavailableError) {
      throw new Problem({
        status: 503,
        code: CARD_PROBLEM_CODES.hubspotUnavailable,
        title: 'HubSpot did not answer',
        detail: 'Reading the contact from HubSpot failed for now. Try again in a moment.',
      });
    }
    throw error;
  };
}

function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
}

export function cardApiRoutes(deps: AppDependencies): Router {
  const router = Router();
  router.use('/api/card', verifyCardRequest(deps));

  router.get('/api/card/contacts/:contactId', async (req, res) => {
    const { contactId } = parseInput(contactParams, req, 'params');
    const { locale } = parseInput(cardQuery, req, 'query');
    const answer: CardStateAnswer = await getCardState(deps, { caller: cardCallerOf(res), contactId, locale: localeFrom(locale) }).then(
      (result) => (result.ok ? { status: 'ready' as const, state: result.state } : unavailable(deps, result.code, contactId)),
      answerForHubSpotFailure(deps, contactId),
    );
    noStore(res);
    res.json(answer);
  });

  router.post('/api/card/contacts/:contactId/registration', async (req, res) => {
    const { contactId } = parseInput(contactParams, req, 'params');
    const { locale } = parseInput(cardQuery, req, 'query');
    const answer: RegisterAnswer = await registerFromCard(deps, { caller: cardCallerOf(res), contactId, locale: localeFrom(locale) }).then(
      (result) => (result.ok ? result.answer : unavailable(deps, result.code, contactId)),
      answerForHubSpotFailure(deps, contactId),
    );
    noStore(res);
    res.status(answer.status === 'registered' ? 201 : 200).json(answer);
  });

  router.post('/api/card/contacts/:contactId/waitlist', async (req, res) => {
    const { contactId } = parseInput(contactParams, req, 'params');
    const { locale } = parseInput(cardQuery, req, 'query');
    const answer: WaitlistAnswer = await joinWaitlistFromCard(deps, { caller: cardCallerOf(res), contactId, locale: localeFrom(locale) }).then(
      (result) => (result.ok ? result.answer : unavailable(deps, result.code, contactId)),
      answerForHubSpotFailure(deps, contactId),
    );
    noStore(res);
    res.json(answer);
  });

  router.post('/api/card/contacts/:contactId/waitlist/leave', async (req, res) => {
    const { contactId } = parseInput(contactParams, req, 'params');
    const { locale } = parseInput(cardQuery, req, 'query');
    const { domain } = parseInput(leaveBody, req, 'body');
    const answer: WaitlistAnswer = await leaveWaitlistFromCard(deps, { caller: cardCallerOf(res), contactId, locale: localeFrom(locale), domain }).then(
      (result) => (result.ok ? result.answer : unavailable(deps, result.code, contactId)),
      answerForHubSpotFailure(deps, contactId),
    );
    noStore(res);
    res.json(answer);
  });

  router.post('/api/card/contacts/:contactId/renewal', async (req, res) => {
    const { contactId } = parseInput(contactParams, req, 'params');
    const { locale } = parseInput(cardQuery, req, 'query');
    const { registrationId } = parseInput(renewBody, req, 'body');
    const answer: RenewalAnswer = await renewFromCard(deps, { caller: cardCallerOf(res), contactId, locale: localeFrom(locale), registrationId }).then(
      (result) => (result.ok ? result.answer : unavailable(deps, result.code, contactId)),
      answerForHubSpotFailure(deps, contactId),
    );
    noStore(res);
    res.json(answer);
  });

  return router;
}
