// The endpoints the Lead Registration card calls through hubspot.fetch, signed by HubSpot.
//
// Every request must carry HubSpot's v3 signature over the public URL and the raw body; the
// portal and user come from what the signature covers (card-caller.ts), never from anything
// else the request says. An unsigned or wrongly signed call is refused before it reads or
// changes anything. Answers follow extensions/card-api-contract.ts.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../app.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import { HubSpotDisconnectedError, HubSpotUnavailableError } from '../hubspot/hubspot-errors.js';
import { localeFrom } from '../capacity-manager/locale.js';
import { CARD_PROBLEM_CODES } from '../../extensions/card-api-contract.js';
import { cardCallerOf, verifyCardRequest } from './card-caller.js';
import { getCardState } from './get-card-state.js';
import { registerFromCard } from './register-from-card.js';

const contactParams = z.object({ contactId: z.string().regex(/^\d{1,20}$/, { error: 'expected a HubSpot contact id' }) });
const cardQuery = z.looseObject({ locale: z.string().max(20).optional() });

function notConnected(deps: AppDependencies): Problem {
  return new Problem({
    status: 409,
    code: CARD_PROBLEM_CODES.notConnected,
    title: 'Partner Capacity is not connected to this HubSpot account',
    detail: 'A Super Admin of this HubSpot account must install Partner Capacity again.',
    extensions: { installUrl: `${deps.config.publicUrl}/oauth/install` },
  });
}

function contactNotFound(contactId: string): Problem {
  return new Problem({ status: 404, code: CARD_PROBLEM_CODES.contactNotFound, title: 'HubSpot does not have this contact', detail: `Contact ${contactId} was not found in HubSpot; it may have been deleted or merged. Reload the record.` });
}

function hubspotUnavailable(): Problem {
  return new Problem({ status: 503, code: CARD_PROBLEM_CODES.hubspotUnavailable, title: 'HubSpot did not answer', detail: 'Reading the contact from HubSpot failed for now. Try again in a moment.' });
}

/** HubSpot's own failures, in the card's terms. */
function hubspotProblem(deps: AppDependencies, error: unknown): never {
  if (error instanceof HubSpotDisconnectedError) throw notConnected(deps);
  if (error instanceof HubSpotUnavailableError) throw hubspotUnavailable();
  throw error;
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
    const result = await getCardState(deps, { caller: cardCallerOf(res), contactId, locale: localeFrom(locale) }).catch((error) => hubspotProblem(deps, error));
    if (!result.ok) throw result.code === 'CONTACT_NOT_FOUND' ? contactNotFound(contactId) : notConnected(deps);
    noStore(res);
    res.json(result.state);
  });

  router.post('/api/card/contacts/:contactId/registration', async (req, res) => {
    const { contactId } = parseInput(contactParams, req, 'params');
    const { locale } = parseInput(cardQuery, req, 'query');
    const result = await registerFromCard(deps, { caller: cardCallerOf(res), contactId, locale: localeFrom(locale) }).catch((error) => hubspotProblem(deps, error));
    if (!result.ok) throw result.code === 'CONTACT_NOT_FOUND' ? contactNotFound(contactId) : notConnected(deps);
    noStore(res);
    res.status(result.answer.outcome === 'registered' ? 201 : 200).json(result.answer);
  });

  return router;
}
