// The control API, programmatic side: what tests and the demo do to the fake HubSpot that is not
// part of HubSpot's API — create accounts, seed contacts, act as a user in HubSpot's UI (edits,
// deletes, merges and restores produce webhook events), register apps, install and uninstall
// them, mint and expire tokens, read back what the app wrote and what it sent, inject faults.
// control-api.ts exposes the same operations over HTTP under /_fake for other processes.
import { FakeControlError } from './errors.js';
import type { ContactStore, IncomingValue } from './contact-store.js';
import { userOrigin } from './contact-store.js';
import type { FaultInjector, FaultOptions } from './faults.js';
import { type TokenResponse, installWithTokens } from './oauth.js';
import { type PropertyDefinition, customTextProperty, toPublicProperty } from './property-definitions.js';
import type { RollingWindowLimiter } from './rate-limit.js';
import type { RecordedRequest, RequestKind, RequestLog } from './request-log.js';
import { ALL_CONTACT_SCOPES, type Account, type App, type ContactRecord, type ContactSubscriptionType, type FakeState, type NewApp } from './state.js';
import { type FakeSettings, type SettingsUpdate, applySettings } from './settings.js';
import type { ContactEventForm, DeliveryAttempt, EventOrder, PendingEvent, WebhookSender } from './webhook-sender.js';

/** A contact as the control API shows it: every stored value, plus where a merge sent it. */
export interface ContactSnapshot {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  mergedInto?: string;
}

export interface AccountInfo {
  portalId: number;
  name: string;
  domain: string;
  userId: number;
  userEmail: string;
}

export interface AppInfo {
  appId: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string[];
  optionalScopes: string[];
  webhookUrl?: string;
  maxConcurrentRequests?: number;
  subscriptions: Array<{ id: number; subscriptionType: ContactSubscriptionType; propertyName?: string; active: boolean }>;
}

export type PropertyValues = Record<string, IncomingValue>;

export interface ControlDeps {
  state: FakeState;
  contacts: ContactStore;
  sender: WebhookSender;
  faults: FaultInjector;
  requestLog: RequestLog;
  limiter: RollingWindowLimiter;
  /** The settings the fake started with: reset() goes back to them. */
  initialSettings: () => FakeSettings;
}

export function createControl(deps: ControlDeps) {
  const { state, contacts, sender, faults, requestLog, limiter } = deps;

  const contactOf = (account: Account, id: string): ContactRecord => {
    const contact = contacts.resolve(account, id);
    if (!contact) throw new FakeControlError(404, `No contact ${id} in account ${account.portalId}`);
    return contact;
  };

  /** The control API may set properties the account lacks: it defines them, as an admin would. */
  const defineMissingProperties = (account: Account, values: PropertyValues) => {
    for (const name of Object.keys(values)) {
      if (!account.properties.has(name)) account.properties.set(name, customTextProperty(name, state.now()));
    }
  };

  return {
    accounts: {
      create(input: { portalId?: number; name?: string; domain?: string; dataHostingLocation?: 'na1' | 'eu1' } = {}): AccountInfo {
        return accountInfo(state.createAccount(input));
      },
      list(): AccountInfo[] {
        return [...state.accounts.values()].map(accountInfo);
      },
    },

    contacts: {
      /** Puts contacts in place without webhook events (unless `emitEvents`), as if they had always been there. */
      seed(portalId: number, seeded: PropertyValues[], options: { emitEvents?: boolean } = {}): ContactSnapshot[] {
        const account = state.requireAccount(portalId);
        return seeded.map((values) => {
          defineMissingProperties(account, values);
          return snapshot(contacts.create(account, values, userOrigin(account), { notify: options.emitEvents ?? false }));
        });
      },
      /** A user creates a contact in HubSpot: contact.creation (and subscribed propertyChange) events. */
      create(portalId: number, values: PropertyValues): ContactSnapshot {
        const account = state.requireAccount(portalId);
        defineMissingProperties(account, values);
        return snapshot(contacts.create(account, values, userOrigin(account)));
      },
      /** Every contact that is its own record, archived ones included unless `live`. */
      list(portalId: number, options: { live?: boolean } = {}): ContactSnapshot[] {
        const account = state.requireAccount(portalId);
        return (options.live ? contacts.live(account) : contacts.all(account)).map(snapshot);
      },
      /** The stored contact under this id (a merged-away id shows its `mergedInto`); undefined if none. */
      get(portalId: number, id: string): ContactSnapshot | undefined {
        const contact = state.requireAccount(portalId).contacts.get(id);
        return contact ? snapshot(contact) : undefined;
      },
      /** A user edits properties in HubSpot: propertyChange events for subscribed properties that changed. */
      update(portalId: number, id: string, values: PropertyValues): ContactSnapshot {
        const account = state.requireAccount(portalId);
        defineMissingProperties(account, values);
        const contact = contactOf(account, id);
        contacts.update(account, contact, values, userOrigin(account));
        return snapshot(contact);
      },
      /** A user deletes (archives) a contact: contact.deletion. */
      delete(portalId: number, id: string): void {
        const account = state.requireAccount(portalId);
        contacts.archive(account, contactOf(account, id), userOrigin(account));
      },
      /** A GDPR deletion: the contact is gone for good; contact.privacyDeletion. */
      privacyDelete(portalId: number, id: string): void {
        const account = state.requireAccount(portalId);
        contacts.privacyDelete(account, contactOf(account, id), userOrigin(account));
      },
      /** A user restores a deleted contact: contact.restore. */
      restore(portalId: number, id: string): ContactSnapshot {
        const account = state.requireAccount(portalId);
        const contact = contactOf(account, id);
        contacts.restore(account, contact, userOrigin(account));
        return snapshot(contact);
      },
      /** A user merges `mergedId` into `primaryId`: contact.merge. */
      merge(portalId: number, input: { primaryId: string; mergedId: string }): { numberOfPropertiesMoved: number; primary: ContactSnapshot } {
        const account = state.requireAccount(portalId);
        const primary = contactOf(account, input.primaryId);
        const merged = contactOf(account, input.mergedId);
        if (primary.id === merged.id) throw new FakeControlError(400, 'A contact cannot be merged into itself');
        if (primary.archived || merged.archived) throw new FakeControlError(400, 'Archived contacts cannot be merged');
        const result = contacts.merge(account, primary, merged, userOrigin(account));
        return { numberOfPropertiesMoved: result.numberOfPropertiesMoved, primary: snapshot(primary) };
      },
    },

    properties: {
      /** The account's contact property definitions, in the Properties API's shape. */
      list(portalId: number): Array<Record<string, unknown>> {
        return [...state.requireAccount(portalId).properties.values()].map(toPublicProperty);
      },
      get(portalId: number, name: string): PropertyDefinition | undefined {
        return state.requireAccount(portalId).properties.get(name);
      },
    },

    owners: {
      /** A user joins the account: the owners API lists them (the installing user is there from the start). */
      add(portalId: number, input: { email: string; firstName?: string; lastName?: string }): { id: string; userId: number; email: string } {
        const owner = state.addOwner(state.requireAccount(portalId), input);
        return { id: owner.id, userId: owner.userId, email: owner.email };
      },
      list(portalId: number): Array<{ id: string; userId: number; email: string }> {
        return state.requireAccount(portalId).owners.map((owner) => ({ id: owner.id, userId: owner.userId, email: owner.email }));
      },
    },

    tasks: {
      /** Tasks the app created in the account, oldest first, with the contacts each is associated with. */
      list(portalId: number): Array<{ id: string; properties: Record<string, string>; contactIds: string[] }> {
        return [...state.requireAccount(portalId).tasks.values()].map((task) => ({ id: task.id, properties: { ...task.properties }, contactIds: [...task.contactIds] }));
      },
    },

    apps: {
      register(input: NewApp): AppInfo {
        return appInfo(state.registerApp(input));
      },
      update(appId: number, update: Parameters<FakeState['updateApp']>[1]): AppInfo {
        return appInfo(state.updateApp(appId, update));
      },
      get(appId: number): AppInfo {
        return appInfo(state.requireApp(appId));
      },
    },

    installs: {
      /** Installs the app as a completed OAuth flow would, and returns the token response. */
      install(appId: number, portalId: number, options: { scopes?: string[] } = {}): TokenResponse {
        const app = state.requireApp(appId);
        return installWithTokens(state, app, state.requireAccount(portalId), options.scopes ?? [...app.requiredScopes, ...app.optionalScopes]);
      },
      /** Uninstalls: the app's tokens for the account stop working and no more webhooks are sent. */
      revoke(appId: number, portalId: number): void {
        state.revokeInstall(appId, portalId);
      },
    },

    tokens: {
      /**
       * A private-app style bearer token for the account (never expires), for tests that skip
       * OAuth. `appId` ties its writes to an app (`sourceId`) and its rate limit; default 0.
       */
      createPrivateAppToken(portalId: number, options: { scopes?: string[]; appId?: number } = {}): string {
        state.requireAccount(portalId);
        return state.issueAccessToken({ kind: 'private', portalId, appId: options.appId ?? 0, scopes: options.scopes ?? ALL_CONTACT_SCOPES, ttlSeconds: null }).token;
      },
      /** Expires one access token, or every OAuth access token, `agoMs` ago (default 1 s). */
      expire(token?: string, options: { agoMs?: number } = {}): void {
        const expiresAt = state.now() - (options.agoMs ?? 1000);
        if (token !== undefined) {
          const accessToken = state.accessTokens.get(token);
          if (!accessToken) throw new FakeControlError(404, 'No such access token');
          accessToken.expiresAt = expiresAt;
          return;
        }
        for (const accessToken of state.accessTokens.values()) if (accessToken.kind === 'oauth') accessToken.expiresAt = expiresAt;
      },
    },

    oauth: {
      /** The account /oauth/authorize installs into from now on (null: the first account). */
      setAuthorizingPortal(portalId: number | null): void {
        if (portalId !== null) state.requireAccount(portalId);
        state.authorizingPortalId = portalId;
      },
    },

    requests: {
      /** Every request received (control API excepted), oldest first. */
      all(filter: { portalId?: number; kind?: RequestKind } = {}): RecordedRequest[] {
        return requestLog.all(filter);
      },
      /** Arrival times of an account's requests of one kind (default `crm`: search excluded). */
      timestamps(portalId: number, kind: RequestKind = 'crm'): number[] {
        return requestLog.timestamps(portalId, kind);
      },
      /** Most requests of one kind in any rolling window (default: the CRM limit's window). */
      peakInWindow(portalId: number, options: { windowMs?: number; kind?: RequestKind } = {}): number {
        const kind = options.kind ?? 'crm';
        const windowMs = options.windowMs ?? (kind === 'search' ? state.settings.searchRateLimit.windowMs : state.settings.crmRateLimit.windowMs);
        return requestLog.peakInWindow(portalId, windowMs, kind);
      },
      clear(): void {
        requestLog.clear();
      },
    },

    webhooks: {
      /** Every delivery attempt with its answer (status, duration, outcome), oldest first. */
      deliveries(filter: { appId?: number; portalId?: number } = {}): DeliveryAttempt[] {
        return sender.deliveries(filter);
      },
      /** Sends a prepared batch `times` times (duplicates); returns the delivery ids. */
      sendBatch(input: { appId: number; portalId: number; events: PendingEvent[]; times?: number; url?: string }): number[] {
        return sender.sendBatch(input);
      },
      /**
       * An event as HubSpot would build it for the app (fresh eventId, the app's subscription id
       * for that type/property when it has one), to hand to sendBatch.
       */
      buildEvent(input: {
        appId: number;
        portalId: number;
        subscriptionType: ContactSubscriptionType;
        objectId: number | string;
        propertyName?: string;
        propertyValue?: string;
        changeSource?: string;
        sourceId?: string;
        occurredAt?: number;
        extra?: Partial<PendingEvent>;
      }): PendingEvent {
        const app = state.requireApp(input.appId);
        const subscription = app.subscriptions.find(
          (candidate) => candidate.subscriptionType === input.subscriptionType && (input.propertyName === undefined || candidate.propertyName === input.propertyName),
        );
        return {
          eventId: state.nextEventId(),
          subscriptionId: subscription?.id ?? 0,
          portalId: input.portalId,
          appId: input.appId,
          occurredAt: input.occurredAt ?? state.now(),
          subscriptionType: input.subscriptionType,
          objectId: Number(input.objectId),
          changeSource: input.changeSource ?? 'CRM_UI',
          ...(input.sourceId ? { sourceId: input.sourceId } : {}),
          ...(input.propertyName !== undefined ? { propertyName: input.propertyName } : {}),
          ...(input.propertyValue !== undefined ? { propertyValue: input.propertyValue } : {}),
          ...input.extra,
        };
      },
      /** Resolves once nothing is queued (unless paused), in flight or waiting for a retry. */
      idle(): Promise<void> {
        return sender.idle();
      },
      pause(): void {
        sender.pause();
      },
      resume(): void {
        sender.resume();
      },
      setOrder(order: EventOrder): void {
        sender.setOrder(order);
      },
      /** `generic`: contact changes go out as `object.*` events with objectTypeId "0-1" (change-events.ts). */
      setContactEventForm(form: ContactEventForm): void {
        sender.setContactEventForm(form);
      },
      /** The most requests that were in flight at once to one account's receiver. */
      peakInFlight(portalId: number): number {
        return sender.peakInFlight(portalId);
      },
    },

    faults: {
      setLatency(ms: number): void {
        faults.setLatency(ms);
      },
      failNext(count: number, options: FaultOptions & { status?: number } = {}): void {
        faults.failNext(count, options);
      },
      hangNext(count: number, options: FaultOptions = {}): void {
        faults.hangNext(count, options);
      },
      rateLimitStorm(durationMs: number): void {
        faults.rateLimitStorm(durationMs);
      },
      clear(): void {
        faults.reset();
      },
    },

    /** Changes knobs while running (rate limits, token lifetime, webhook delivery, search caps, clock). */
    configure(update: SettingsUpdate): void {
      applySettings(state.settings, update);
    },

    /** Forgets everything: accounts, apps, tokens, requests, deliveries, faults, knob changes. */
    reset(): void {
      sender.reset();
      contacts.clearTimers();
      faults.reset();
      requestLog.clear();
      limiter.reset();
      state.reset();
      Object.assign(state.settings, deps.initialSettings());
    },
  };
}

export type HubSpotFakeControl = ReturnType<typeof createControl>;

function snapshot(contact: ContactRecord): ContactSnapshot {
  return {
    id: contact.id,
    properties: { ...contact.properties },
    createdAt: new Date(contact.createdAt).toISOString(),
    updatedAt: new Date(contact.updatedAt).toISOString(),
    archived: contact.archived,
    ...(contact.mergedInto ? { mergedInto: contact.mergedInto } : {}),
  };
}

function accountInfo(account: Account): AccountInfo {
  return { portalId: account.portalId, name: account.name, domain: account.domain, userId: account.installingUserId, userEmail: account.installingUserEmail };
}

function appInfo(app: App): AppInfo {
  return {
    appId: app.appId,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUris: app.redirectUris,
    scopes: app.requiredScopes,
    optionalScopes: app.optionalScopes,
    ...(app.webhookTargetUrl ? { webhookUrl: app.webhookTargetUrl } : {}),
    ...(app.maxConcurrentRequests ? { maxConcurrentRequests: app.maxConcurrentRequests } : {}),
    subscriptions: app.subscriptions.map((subscription) => ({ ...subscription })),
  };
}
