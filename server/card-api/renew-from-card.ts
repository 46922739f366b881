// Renewing a claim from the card, through the one renewal use case the Capacity Manager uses too
// (registrations/renew-registration.ts: one period from now, up to the program's count, audited).
//
// The card names the registration it showed. Only that one is renewed, and only while it is still
// the open contact's registration: when the contact's registration ended or is another one by
// now, nothing is renewed and the card is told so. Every refusal comes back with the card's new
// state, so the card shows the expiry as it really is.
import { AppError } from '../errors/app-error.js';
import { renewRegistration } from '../registrations/renew-registration.js';
import type { RenewalAnswer, RenewalRefusal } from '../../extensions/src/app/cards/card-api-contract.js';
import { cardActor } from './card-caller.js';
import { getCardState, type CardStateDeps, type CardUnavailable, type GetCardStateInput } from './get-card-state.js';

export type RenewFromCardResult = { ok: true; answer: Extract<RenewalAnswer, { state: unknown }> } | { ok: false; code: CardUnavailable };

export interface RenewFromCardInput extends Omit<GetCardStateInput, 'contact'> {
  /** The registration the card showed for the contact. */
  registrationId: string;
}

const notRegistered = (): RenewalRefusal => ({
  code: 'NOT_REGISTERED',
  message: "This contact's registration has ended or changed since the card showed it, so nothing was renewed. The card now shows it as it is.",
});

/** The renewal use case's refusals as the card's; anything else is a real failure. */
function renewalRefusalOf(error: unknown): RenewalRefusal | null {
  if (!(error instanceof AppError)) return null;
  switch (error.code) {
    case 'NO_RENEWALS_LEFT':
    case 'NOT_EXPIRING':
      return { code: error.code, message: error.message };
    // Ended between the card's read and the click (expired, deregistered elsewhere).
    case 'NOT_ACTIVE':
    case 'REGISTRATION_NOT_FOUND':
      return notRegistered();
    default:
      return null;
  }
}

export async function renewFromCard(deps: CardStateDeps, input: RenewFromCardInput): Promise<RenewFromCardResult> {
  const { registrationId, ...cardInput } = input;
  const shown = await getCardState(deps, cardInput);
  if (!shown.ok) return shown;
  if (shown.state.registration?.id !== registrationId) return { ok: true, answer: { status: 'refused', refusal: notRegistered(), state: shown.state } };

  let refusal: RenewalRefusal | null = null;
  try {
    await renewRegistration(deps.db, { portalId: input.caller.portalId, registrationId, renewedBy: cardActor(input.caller) });
  } catch (error) {
    refusal = renewalRefusalOf(error);
    if (!refusal) throw error;
  }
  const state = await getCardState(deps, cardInput);
  if (!state.ok) return state;
  return { ok: true, answer: refusal ? { status: 'refused', refusal, state: state.state } : { status: 'renewed', state: state.state } };
}
