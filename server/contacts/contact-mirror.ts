// One contact in the mirror with what the registration rules need to remember about it.
//
// Besides the values (newest wins, mirror-merge.ts), a contact remembers:
// - `triggerFalseAt`: the latest moment the trigger ("Register as partner lead") is known to have
//   been unticked, from any event or record, whatever order they arrived in;
// - `triggerAnsweredAt`: the trigger value the rule answered (the moment it was set). The
//   trigger asks again only when it is ticked now and was unticked after that moment, so an
//   untick and a new tick is a new request, while a repeated or late event, or a record read
//   again, is not;
// - `creationAnsweredAt`: the new-contact rule answered the creation (once per contact);
// - `erasedAt`: a privacy deletion erased the contact; from then on the mirror keeps none of
//   the contact's details, whatever arrives later.
// Plain TypeScript: no database here (contact-mirror-store.ts reads and writes it).
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import { DELETED, EMPTY_MIRROR, mergeMirror, type MirroredProperty, type MirrorState, type MirrorUpdate } from './mirror-merge.js';

export interface ContactMirror {
  state: MirrorState;
  triggerFalseAt: number | null;
  triggerAnsweredAt: number | null;
  creationAnsweredAt: number | null;
  erasedAt: number | null;
  mergedInto: string | null;
  /** Nothing was ever applied to it (a row made for a contact heard of for the first time). */
  isNew: boolean;
}

export const NEW_CONTACT_MIRROR: ContactMirror = {
  state: EMPTY_MIRROR,
  triggerFalseAt: null,
  triggerAnsweredAt: null,
  creationAnsweredAt: null,
  erasedAt: null,
  mergedInto: null,
  isNew: true,
};

/** The contact's details: what a privacy deletion removes and an erased contact never takes again. */
export const CONTACT_DETAILS: MirroredProperty[] = ['email', 'firstname', 'lastname', 'company', 'website', 'country'];

export interface MirrorChange {
  update: MirrorUpdate;
  /** A merge: the contact this one was merged into. */
  mergedInto?: string;
  /** A privacy deletion. */
  erase?: boolean;
}

/** The mirror after `change`, and the properties whose value it took. */
export function applyMirrorChange(mirror: ContactMirror, change: MirrorChange): { mirror: ContactMirror; applied: string[] } {
  const { next, applied } = mergeMirror(mirror.state, change.update);
  const erasedAt = change.erase ? Math.min(mirror.erasedAt ?? Number.POSITIVE_INFINITY, change.update.changedAt) : mirror.erasedAt;
  const untickedAt =
    Object.hasOwn(change.update.properties, APP_PROPERTIES.trigger) && change.update.properties[APP_PROPERTIES.trigger] !== 'true' ? change.update.changedAt : null;
  return {
    mirror: {
      ...mirror,
      state: erasedAt === null ? next : withoutDetails(next),
      triggerFalseAt: untickedAt === null ? mirror.triggerFalseAt : Math.max(mirror.triggerFalseAt ?? untickedAt, untickedAt),
      erasedAt,
      mergedInto: change.mergedInto ?? mirror.mergedInto,
      isNew: false,
    },
    applied,
  };
}

function withoutDetails(state: MirrorState): MirrorState {
  const values = { ...state.values };
  for (const name of CONTACT_DETAILS) if (values[name] !== undefined) values[name] = null;
  return { values, changedAt: state.changedAt };
}

export function isTicked(mirror: ContactMirror): boolean {
  return mirror.state.values[APP_PROPERTIES.trigger] === 'true';
}

export function isDeleted(mirror: ContactMirror): boolean {
  return mirror.state.values[DELETED] === 'true';
}

/** The trigger is ticked and this tick has not been answered (the first, or one after an untick). */
export function triggerAsks(mirror: ContactMirror): boolean {
  if (!isTicked(mirror)) return false;
  if (mirror.triggerAnsweredAt === null) return true;
  return mirror.triggerFalseAt !== null && mirror.triggerFalseAt > mirror.triggerAnsweredAt;
}

/** The moment of the tick an answer answers. */
export function tickedAt(mirror: ContactMirror): number {
  return mirror.state.changedAt[APP_PROPERTIES.trigger] ?? 0;
}
