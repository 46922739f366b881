// The contacts of one fake account and every way they change: created, properties changed,
// archived (deleted), privacy-deleted (GDPR), restored, merged. Both the CRM API (an app writing)
// and the control API (a user in HubSpot's UI) change contacts through here, so both produce the
// same change notifications, which change-events.ts turns into webhook events.
//
// Merges: the merged-away contact keeps existing as a pointer to the primary, and reads and
// writes of its id land on the primary (a third-party integration test observed HubSpot answer a
// batch update of a merged id with the primary's record; the read side is assumed to match).
import type { Account, ContactRecord, FakeState } from './state.js';
import { ALWAYS_RETURNED_PROPERTIES, DEFAULT_CONTACT_PROPERTIES } from './property-definitions.js';

/** Who made a change, as webhook events report it (`changeSource`, `sourceId`). */
export interface ChangeOrigin {
  changeSource: string;
  sourceId?: string;
}

/** A person in HubSpot's UI. */
export function userOrigin(account: Account): ChangeOrigin {
  return { changeSource: 'CRM_UI', sourceId: `userId:${account.installingUserId}` };
}

/** An app through the API. HubSpot reports `INTEGRATION`; the `sourceId` format is unconfirmed. */
export function appOrigin(appId: number): ChangeOrigin {
  return { changeSource: 'INTEGRATION', sourceId: String(appId) };
}

export interface PropertyChange {
  propertyName: string;
  /** The new value; "" when it was cleared. */
  value: string;
}

export type ContactChange =
  | { kind: 'created'; contactId: string; properties: PropertyChange[] }
  | { kind: 'propertiesChanged'; contactId: string; properties: PropertyChange[] }
  | { kind: 'deleted'; contactId: string }
  | { kind: 'privacyDeleted'; contactId: string }
  | { kind: 'restored'; contactId: string }
  | { kind: 'merged'; primaryObjectId: string; mergedObjectIds: string[]; newObjectId: string; numberOfPropertiesMoved: number };

export interface ContactChangeNotice {
  portalId: number;
  occurredAt: number;
  origin: ChangeOrigin;
  change: ContactChange;
}

/** A value as a request may send it: HubSpot stores strings and treats null/"" as "clear". */
export type IncomingValue = string | number | boolean | null;

const SYSTEM_PROPERTIES = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_merged_object_ids']);

export class ContactStore {
  private indexTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: FakeState,
    private readonly notify: (notice: ContactChangeNotice) => void,
  ) {}

  /** Cancels pending search-index updates (reset, stop). */
  clearTimers(): void {
    for (const timer of this.indexTimers) clearTimeout(timer);
    this.indexTimers.clear();
  }

  /** Follows merges; undefined for unknown ids and privacy-deleted contacts. */
  resolve(account: Account, id: string): ContactRecord | undefined {
    let contact = account.contacts.get(id);
    const seen = new Set<string>();
    while (contact?.mergedInto && !seen.has(contact.id)) {
      seen.add(contact.id);
      contact = account.contacts.get(contact.mergedInto);
    }
    return contact;
  }

  /** Live (not archived, not merged away) contacts, ordered by id. */
  live(account: Account): ContactRecord[] {
    return this.all(account).filter((contact) => !contact.archived);
  }

  /** Every contact that is its own record (archived ones included, merged-away ones not). */
  all(account: Account): ContactRecord[] {
    return [...account.contacts.values()].filter((contact) => !contact.mergedInto).sort((a, b) => compareIds(a.id, b.id));
  }

  findByEmail(account: Account, email: string): ContactRecord | undefined {
    const wanted = email.toLowerCase();
    return this.live(account).find((contact) => contact.properties.email?.toLowerCase() === wanted);
  }

  create(account: Account, values: Record<string, IncomingValue>, origin: ChangeOrigin, options: { notify?: boolean } = {}): ContactRecord {
    const now = this.state.now();
    const id = this.state.nextContactId();
    const iso = new Date(now).toISOString();
    const contact: ContactRecord = {
      id,
      properties: { hs_object_id: id, createdate: iso, lastmodifieddate: iso },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    const set: PropertyChange[] = [];
    for (const [name, raw] of Object.entries(values)) {
      const value = normalise(raw);
      if (name === 'createdate' && value) {
        // An import may back-date a contact; createdAt follows the property.
        contact.properties.createdate = value;
        contact.createdAt = Date.parse(value) || now;
        continue;
      }
      if (SYSTEM_PROPERTIES.has(name) || value === '') continue;
      contact.properties[name] = value;
      set.push({ propertyName: name, value });
    }
    account.contacts.set(id, contact);
    this.reindex(contact);
    if (options.notify ?? true) this.emit(account, origin, now, { kind: 'created', contactId: id, properties: set });
    return contact;
  }

  /** Sets values; only values that differ count as changes (and produce events). */
  update(account: Account, contact: ContactRecord, values: Record<string, IncomingValue>, origin: ChangeOrigin): PropertyChange[] {
    const now = this.state.now();
    const changes: PropertyChange[] = [];
    for (const [name, raw] of Object.entries(values)) {
      if (SYSTEM_PROPERTIES.has(name)) continue;
      const value = normalise(raw);
      const previous = contact.properties[name] ?? '';
      if (previous === value) continue;
      if (value === '') delete contact.properties[name];
      else contact.properties[name] = value;
      changes.push({ propertyName: name, value });
    }
    if (changes.length > 0) {
      contact.updatedAt = now;
      contact.properties.lastmodifieddate = new Date(now).toISOString();
      this.reindex(contact);
      this.emit(account, origin, now, { kind: 'propertiesChanged', contactId: contact.id, properties: changes });
    }
    return changes;
  }

  archive(account: Account, contact: ContactRecord, origin: ChangeOrigin): void {
    if (contact.archived) return;
    const now = this.state.now();
    contact.archived = true;
    contact.archivedAt = now;
    contact.updatedAt = now;
    this.reindex(contact);
    this.emit(account, origin, now, { kind: 'deleted', contactId: contact.id });
  }

  restore(account: Account, contact: ContactRecord, origin: ChangeOrigin): void {
    if (!contact.archived) return;
    const now = this.state.now();
    contact.archived = false;
    delete contact.archivedAt;
    contact.updatedAt = now;
    this.reindex(contact);
    this.emit(account, origin, now, { kind: 'restored', contactId: contact.id });
  }

  /** GDPR deletion: the record is gone for good, with whatever was merged into it. */
  privacyDelete(account: Account, contact: ContactRecord, origin: ChangeOrigin): void {
    const now = this.state.now();
    for (const other of [...account.contacts.values()]) {
      if (other.mergedInto === contact.id) account.contacts.delete(other.id);
    }
    account.contacts.delete(contact.id);
    this.emit(account, origin, now, { kind: 'privacyDeleted', contactId: contact.id });
  }

  /**
   * Merges `merged` into `primary`: the primary keeps its values and takes the merged contact's
   * values for properties it lacks; the merged email becomes an additional email.
   */
  merge(account: Account, primary: ContactRecord, merged: ContactRecord, origin: ChangeOrigin): { numberOfPropertiesMoved: number } {
    const now = this.state.now();
    let numberOfPropertiesMoved = 0;
    for (const [name, value] of Object.entries(merged.properties)) {
      if (SYSTEM_PROPERTIES.has(name) || name === 'hs_additional_emails') continue;
      if (name === 'email' && primary.properties.email && primary.properties.email !== value) {
        primary.properties.hs_additional_emails = joinList(primary.properties.hs_additional_emails, [value]);
        continue;
      }
      if (primary.properties[name] === undefined) {
        primary.properties[name] = value;
        numberOfPropertiesMoved++;
      }
    }
    const mergedIds = [merged.id, ...splitList(merged.properties.hs_merged_object_ids)];
    primary.properties.hs_merged_object_ids = joinList(primary.properties.hs_merged_object_ids, mergedIds);
    primary.updatedAt = now;
    primary.properties.lastmodifieddate = new Date(now).toISOString();
    merged.mergedInto = primary.id;
    this.reindex(primary);
    this.emit(account, origin, now, {
      kind: 'merged',
      primaryObjectId: primary.id,
      mergedObjectIds: [merged.id],
      newObjectId: primary.id,
      numberOfPropertiesMoved,
    });
    return { numberOfPropertiesMoved };
  }

  private emit(account: Account, origin: ChangeOrigin, occurredAt: number, change: ContactChange): void {
    this.notify({ portalId: account.portalId, occurredAt, origin, change });
  }

  /** Search sees a copy of the record, taken now or after the configured lag. */
  private reindex(contact: ContactRecord): void {
    const lag = this.state.settings.searchIndexLagMs;
    const snapshot = () => {
      contact.indexed = { properties: { ...contact.properties }, archived: contact.archived };
    };
    if (lag <= 0) {
      snapshot();
      return;
    }
    const timer = setTimeout(() => {
      this.indexTimers.delete(timer);
      snapshot();
    }, lag);
    timer.unref();
    this.indexTimers.add(timer);
  }
}

/** The v3 "SimplePublicObject" shape of a contact. */
export function toPublicContact(contact: ContactRecord, requested?: string[]): Record<string, unknown> {
  const names = new Set([...(requested && requested.length > 0 ? requested : DEFAULT_CONTACT_PROPERTIES), ...ALWAYS_RETURNED_PROPERTIES]);
  const properties: Record<string, string | null> = {};
  for (const name of [...names].sort()) properties[name] = contact.properties[name] ?? null;
  return {
    id: contact.id,
    properties,
    createdAt: new Date(contact.createdAt).toISOString(),
    updatedAt: new Date(contact.updatedAt).toISOString(),
    archived: contact.archived,
    ...(contact.archivedAt !== undefined ? { archivedAt: new Date(contact.archivedAt).toISOString() } : {}),
  };
}

export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function normalise(value: IncomingValue): string {
  if (value === null) return '';
  return String(value);
}

// HubSpot stores multi-valued properties as one string, values separated by semicolons.
function splitList(value: string | undefined): string[] {
  return value ? value.split(';').filter(Boolean) : [];
}

function joinList(existing: string | undefined, added: string[]): string {
  return [...new Set([...splitList(existing), ...added])].join(';');
}
