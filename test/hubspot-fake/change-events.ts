// Turns a contact change into the webhook events HubSpot would send: one event per matching
// active subscription of every app installed (and not uninstalled) in the account that has a
// target URL. Changes made by apps produce events too (`changeSource: "INTEGRATION"`), the app's
// own changes included, so a receiver must not loop on what it wrote itself.
//
// Unconfirmed, and kept in this one table so they are easy to change: the `changeFlag` values
// (only CREATED is seen in a published example), and that creating a contact also sends a
// `contact.propertyChange` for each subscribed property it was created with.
//
// The generic form (the sender's `setContactEventForm('generic')`): an app whose webhooks-hsmeta.json
// declares its contact subscriptions under `crmObjects` gets `object.creation`,
// `object.propertyChange`, `object.deletion`, `object.merge` and `object.restore` with
// `objectTypeId` "0-1" instead of `contact.*`; `contact.privacyDeletion` is a `hubEvents`
// subscription and has no generic form. Sources: developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions,
// developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks. Unconfirmed:
// that the other fields are those of the contact twin, and where HubSpot puts `objectTypeId`
// among them.
import type { ContactChangeNotice } from './contact-store.js';
import type { ContactSubscriptionType, FakeState, WebhookSubscription } from './state.js';
import type { PendingEvent, WebhookSender } from './webhook-sender.js';

const CHANGE_FLAGS: Record<ContactSubscriptionType, string> = {
  'contact.creation': 'CREATED',
  'contact.deletion': 'DELETED',
  'contact.privacyDeletion': 'DELETED',
  'contact.propertyChange': 'PROPERTY_CHANGE',
  'contact.merge': 'MERGED',
  'contact.restore': 'RESTORED',
};

export function publishContactChange(state: FakeState, sender: WebhookSender, notice: ContactChangeNotice): void {
  for (const install of state.activeInstallsIn(notice.portalId)) {
    const app = state.apps.get(install.appId);
    if (!app?.webhookTargetUrl) continue;
    const events = eventsFor(
      state,
      notice,
      app.appId,
      app.subscriptions.filter((subscription) => subscription.active),
    );
    sender.enqueue(app.appId, notice.portalId, sender.contactEventForm === 'generic' ? events.map(inGenericForm) : events);
  }
}

/** The object type id of contacts in generic events. */
export const CONTACTS_OBJECT_TYPE_ID = '0-1';

const GENERIC_ACTIONS = new Set(['creation', 'propertyChange', 'deletion', 'merge', 'restore']);

/** A contact event as a `crmObjects` subscription sends it; privacy deletions have no generic form. */
export function inGenericForm(event: PendingEvent): PendingEvent {
  const action = event.subscriptionType.replace(/^contact\./, '');
  if (!event.subscriptionType.startsWith('contact.') || !GENERIC_ACTIONS.has(action)) return event;
  const { objectId, ...rest } = event;
  return { ...rest, subscriptionType: `object.${action}`, objectTypeId: CONTACTS_OBJECT_TYPE_ID, objectId };
}

function eventsFor(state: FakeState, notice: ContactChangeNotice, appId: number, subscriptions: WebhookSubscription[]): PendingEvent[] {
  const { change } = notice;
  const events: PendingEvent[] = [];
  const subscribed = (type: ContactSubscriptionType) => subscriptions.filter((subscription) => subscription.subscriptionType === type);
  const event = (subscription: WebhookSubscription, objectId: string, extra: Partial<PendingEvent> = {}): PendingEvent => ({
    eventId: state.nextEventId(),
    subscriptionId: subscription.id,
    portalId: notice.portalId,
    appId,
    occurredAt: notice.occurredAt,
    subscriptionType: subscription.subscriptionType,
    objectId: Number(objectId),
    changeSource: notice.origin.changeSource,
    ...(notice.origin.sourceId ? { sourceId: notice.origin.sourceId } : {}),
    changeFlag: CHANGE_FLAGS[subscription.subscriptionType],
    ...extra,
  });
  const propertyChanges = (contactId: string, properties: Array<{ propertyName: string; value: string }>) => {
    for (const property of properties) {
      for (const subscription of subscribed('contact.propertyChange')) {
        if (subscription.propertyName !== property.propertyName) continue;
        events.push(event(subscription, contactId, { propertyName: property.propertyName, propertyValue: property.value }));
      }
    }
  };

  switch (change.kind) {
    case 'created':
      for (const subscription of subscribed('contact.creation')) events.push(event(subscription, change.contactId));
      propertyChanges(change.contactId, change.properties);
      break;
    case 'propertiesChanged':
      propertyChanges(change.contactId, change.properties);
      break;
    case 'deleted':
      for (const subscription of subscribed('contact.deletion')) events.push(event(subscription, change.contactId));
      break;
    case 'privacyDeleted':
      for (const subscription of subscribed('contact.privacyDeletion')) events.push(event(subscription, change.contactId));
      break;
    case 'restored':
      for (const subscription of subscribed('contact.restore')) events.push(event(subscription, change.contactId));
      break;
    case 'merged':
      for (const subscription of subscribed('contact.merge')) {
        events.push(
          event(subscription, change.newObjectId, {
            primaryObjectId: Number(change.primaryObjectId),
            mergedObjectIds: change.mergedObjectIds.map(Number),
            newObjectId: Number(change.newObjectId),
            numberOfPropertiesMoved: change.numberOfPropertiesMoved,
          }),
        );
      }
      break;
  }
  return events;
}
