// Register from the card: the contact is read from HubSpot at the moment of the click (never
// only the mirror), so the snapshot is what HubSpot holds then; the outcome is written back to
// the contact through the write-back queue, and the card gets its new state in the same answer.
import type { AppQueues } from '../queue/queues.js';
import { readContact } from '../hubspot/read-contact.js';
import { queueContactWriteBack, refusedProperties, registeredProperties } from '../hubspot/write-back.js';
import { countRegistrationOutcomes } from '../observability/metrics.js';
import { registerContact } from '../registrations/register-contact.js';
import type { RegisterAnswer } from '../../extensions/src/app/cards/card-api-contract.js';
import { cardActor } from './card-caller.js';
import { getCardState, type CardStateDeps, type CardUnavailable, type GetCardStateInput } from './get-card-state.js';

export type RegisterFromCardResult = { ok: true; answer: Extract<RegisterAnswer, { state: unknown }> } | { ok: false; code: CardUnavailable };

export async function registerFromCard(deps: CardStateDeps & { queues: AppQueues }, input: Omit<GetCardStateInput, 'contact'>): Promise<RegisterFromCardResult> {
  const { portalId } = input.caller;
  const portal = await deps.db.portal.findUnique({ where: { id: BigInt(portalId) }, select: { installState: true } });
  if (!portal || portal.installState === 'disconnected') return { ok: false, code: 'APP_NOT_CONNECTED' };

  // HubSpotDisconnectedError / HubSpotUnavailableError go to the route, which answers for them.
  const contact = await readContact(deps.hubspot.api.forPortal(portalId, 'interactive'), input.contactId);
  if (!contact) return { ok: false, code: 'CONTACT_NOT_FOUND' };

  const result = await registerContact(deps.db, { portalId, contact, registeredBy: cardActor(input.caller), channel: 'card' });
  countRegistrationOutcomes('card', [result]);
  const refusal = result.ok ? null : result.refusal;
  const properties = result.ok
    ? registeredProperties(result.registration.domain, result.registration.registeredAt)
    : refusal?.code === 'ALREADY_REGISTERED' && refusal.details.sameContact
      ? registeredProperties(refusal.details.domain, refusal.details.registeredAt)
      : refusedProperties(result.refusal.message);
  if (!(refusal?.code === 'PORTAL_NOT_FOUND')) {
    await queueContactWriteBack(deps, { portalId, contactId: contact.contactId, properties });
  }

  const state = await getCardState(deps, { ...input, contact });
  if (!state.ok) return state;
  return { ok: true, answer: refusal ? { status: 'refused', refusal, state: state.state } : { status: 'registered', state: state.state } };
}
