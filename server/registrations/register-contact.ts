// Registers one contact's domain (the card, the operator): a batch of one, so that every
// registration goes through the same rules, lock and limit (register-contacts.ts).
import type { ContactAtRegistration } from '../domain/registration-snapshot.js';
import type { Database } from '../db/client.js';
import type { RegistrationChannel } from '../db/generated/client.js';
import { registerContacts, type RegisterContactResult } from './register-contacts.js';

export type { RegisterContactResult };

export interface RegisterContactInput {
  portalId: number;
  /** The contact as it is now (for the card: read from HubSpot at the moment of the click). */
  contact: ContactAtRegistration;
  /** Who registers: a HubSpot user's email, an automatic rule's name, or the operator. */
  registeredBy: string;
  channel: RegistrationChannel;
}

export async function registerContact(db: Pick<Database, 'pool'>, input: RegisterContactInput): Promise<RegisterContactResult> {
  const [result] = await registerContacts(db, { portalId: input.portalId, contacts: [{ contact: input.contact, registeredBy: input.registeredBy, channel: input.channel }] });
  return result!;
}
