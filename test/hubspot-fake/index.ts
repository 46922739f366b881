// The HubSpot fake's public surface. Import from here, not from the modules behind it.
export { startHubSpotFake, type HubSpotFake } from './start-hubspot-fake.js';
export type { HubSpotFakeOptions, FakeSettings, RateLimitPolicy, SearchLimits, WebhookDeliverySettings, SettingsUpdate } from './settings.js';
export type { HubSpotFakeControl, ContactSnapshot, AccountInfo, AppInfo, PropertyValues } from './control.js';
export type { ContactSubscriptionType, NewApp } from './state.js';
export type { TokenResponse } from './oauth.js';
export type { RecordedRequest, RequestKind } from './request-log.js';
export type { DeliveryAttempt, DeliveryOutcome, EventOrder, PendingEvent, WebhookEvent } from './webhook-sender.js';
export { signRequest, signatureV1, signatureV2, signatureV3, decodeUriForSignature, type SignRequestInput, type V3SignatureHeaders } from './signing.js';
