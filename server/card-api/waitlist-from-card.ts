// Joining and leaving the waitlist from the card. Joining reads the contact from HubSpot at the
// moment of the click (as Register does), so the partner waits for the domain its website names
// now; leaving names the domain the card showed. Either way the card gets its new state in the
// same answer.
import type { AppQueues } from '../queue/queues.js';
import { registrableDomainOf } from '../domain/registrable-domain.js';
import { readContact } from '../hubspot/read-contact.js';
import { joinWaitlist } from '../waitlist/join-waitlist.js';
import { leaveWaitlist } from '../waitlist/leave-waitlist.js';
import type { WaitlistAnswer } from '../../extensions/src/app/cards/card-api-contract.js';
import { cardActor } from './card-caller.js';
import { getCardState, type CardStateDeps, type CardUnavailable, type GetCardStateInput } from './get-card-state.js';

export type WaitlistFromCardResult = { ok: true; answer: Extract<WaitlistAnswer, { state: unknown }> } | { ok: false; code: CardUnavailable };

type CardInput = Omit<GetCardStateInput, 'contact'>;

async function connected(deps: CardStateDeps, portalId: number): Promise<boolean> {
  const portal = await deps.db.portal.findUnique({ where: { id: BigInt(portalId) }, select: { installState: true } });
  return Boolean(portal && portal.installState !== 'disconnected');
}

export async function joinWaitlistFromCard(deps: CardStateDeps & { queues: Pick<AppQueues, 'prefix'> }, input: CardInput): Promise<WaitlistFromCardResult> {
  const { portalId } = input.caller;
  if (!(await connected(deps, portalId))) return { ok: false, code: 'APP_NOT_CONNECTED' };
  // HubSpotDisconnectedError / HubSpotUnavailableError go to the route, which answers for them.
  const contact = await readContact(deps.hubspot.api.forPortal(portalId, 'interactive'), input.contactId);
  if (!contact) return { ok: false, code: 'CONTACT_NOT_FOUND' };
  const domain = registrableDomainOf(contact.website);
  const joined = domain.ok
    ? await joinWaitlist(deps.db, { portalId, domain: domain.domain, contactId: contact.contactId, joinedBy: cardActor(input.caller), queuePrefix: deps.queues.prefix })
    : ({ ok: false, refusal: { code: 'NO_DOMAIN', message: `This contact's website cannot be registered (${domain.reason}), so there is no domain to wait for.` } } as const);
  const state = await getCardState(deps, { ...input, contact });
  if (!state.ok) return state;
  return { ok: true, answer: joined.ok ? { status: 'waiting', state: state.state } : { status: 'refused', refusal: joined.refusal, state: state.state } };
}

export async function leaveWaitlistFromCard(deps: CardStateDeps, input: CardInput & { domain: string }): Promise<WaitlistFromCardResult> {
  const { portalId } = input.caller;
  if (!(await connected(deps, portalId))) return { ok: false, code: 'APP_NOT_CONNECTED' };
  await leaveWaitlist(deps.db, { portalId, domain: input.domain, leftBy: cardActor(input.caller) });
  const state = await getCardState(deps, input);
  if (!state.ok) return state;
  return { ok: true, answer: { status: 'left', state: state.state } };
}
