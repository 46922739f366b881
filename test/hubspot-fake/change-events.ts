// Turns a contact change into the webhook events HubSpot would send: one event per matching
// active subscription of every app installed (and not uninstalled) in the account that has a
// target URL. Changes made by apps produce events too (`changeSource: "INTEGRATION"`), the app's
// own changes included, so a receiver must not loop on what it wrote itself.
//
// Unconfirmed, and kept in this one table so they are easy to change: the `changeFlag` values
// (only CREATED is seen in a published example), and that creating a contact also sends a
// `contact.propertyChange` for each subscribed property it was created with.
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
    const events = eventsFor(state, notice, app.appId, app.subscriptions.filter((subscription) => subscription.active));
    sender.enqueue(app.appId, notice.portalId, events);
  }
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
