// Everything the fake HubSpot knows, in memory: accounts (portals) with their contacts and
// contact properties, registered apps with their webhook subscriptions, installs, and the OAuth
// codes and tokens issued. It stands in for HubSpot's own storage, so it lives in the process
// (unlike the app's state, which lives in PostgreSQL and Redis).
//
// Ids are realistic in kind: contact ids start above 2^31 (HubSpot's do) so that an app that
// squeezes them into 32-bit integers fails here, not in production.
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeControlError } from './errors.js';
import { builtInContactGroups, builtInContactProperties, type PropertyDefinition, type PropertyGroup } from './property-definitions.js';
import type { FakeSettings } from './settings.js';

export interface ContactRecord {
  id: string;
  /** Only set values are stored; a cleared value is absent. Values are strings, as HubSpot's. */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** Set when this contact was merged into another: reads and writes follow it. */
  mergedInto?: string;
  /** What search sees (it lags writes when `searchIndexLagMs` > 0); absent = not indexed yet. */
  indexed?: { properties: Record<string, string>; archived: boolean };
}

export interface Account {
  portalId: number;
  name: string;
  /** The customer's website domain: `hub_domain` in token introspection. */
  domain: string;
  /** Where the account's data lives; EU accounts use HubSpot's interface on app-eu1.hubspot.com. */
  dataHostingLocation: 'na1' | 'eu1';
  installingUserId: number;
  installingUserEmail: string;
  contacts: Map<string, ContactRecord>;
  properties: Map<string, PropertyDefinition>;
  groups: Map<string, PropertyGroup>;
  /** The account's users as the owners API lists them; the installing user is the first. */
  owners: Owner[];
  /** Tasks created through the tasks API (owners-and-tasks in tasks-api.ts). */
  tasks: Map<string, TaskRecord>;
  createdAt: number;
}

export interface Owner {
  /** The owner id (what `hubspot_owner_id` takes), distinct from the user id. */
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  archived: boolean;
  createdAt: number;
}

export interface TaskRecord {
  id: string;
  properties: Record<string, string>;
  /** Contact ids the task is associated with (type 204, task → contact). */
  contactIds: string[];
  createdAt: number;
}

export const CONTACT_SUBSCRIPTION_TYPES = [
  'contact.creation',
  'contact.deletion',
  'contact.privacyDeletion',
  'contact.propertyChange',
  'contact.merge',
  'contact.restore',
] as const;
export type ContactSubscriptionType = (typeof CONTACT_SUBSCRIPTION_TYPES)[number];

export interface WebhookSubscription {
  id: number;
  subscriptionType: ContactSubscriptionType;
  /** Required for `contact.propertyChange`: one subscription per property. */
  propertyName?: string;
  active: boolean;
}

export interface App {
  appId: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  requiredScopes: string[];
  optionalScopes: string[];
  webhookTargetUrl?: string;
  /** Overrides settings.webhooks.maxConcurrentRequests for this app. */
  maxConcurrentRequests?: number;
  subscriptions: WebhookSubscription[];
}

export interface Install {
  appId: number;
  portalId: number;
  scopes: string[];
  active: boolean;
  installedAt: number;
}

export interface AuthorizationCode {
  code: string;
  appId: number;
  portalId: number;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface AccessToken {
  token: string;
  /** `oauth`: issued through /oauth/2026-03/token; `private`: a private-app style token from the control API. */
  kind: 'oauth' | 'private';
  portalId: number;
  appId: number;
  scopes: string[];
  issuedAt: number;
  /** null: never expires (private-app tokens). */
  expiresAt: number | null;
  revoked: boolean;
}

export interface RefreshToken {
  token: string;
  appId: number;
  portalId: number;
  scopes: string[];
  revoked: boolean;
}

export interface NewApp {
  appId?: number;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  redirectUris?: string[];
  scopes?: string[];
  optionalScopes?: string[];
  webhookUrl?: string;
  maxConcurrentRequests?: number;
  subscriptions?: Array<{ subscriptionType: ContactSubscriptionType; propertyName?: string; active?: boolean }>;
}

export const ALL_CONTACT_SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write'];

const FIRST_PORTAL_ID = 1_000_001;
const FIRST_APP_ID = 3_000_001;
const FIRST_SUBSCRIPTION_ID = 2_000_001;
const FIRST_CONTACT_ID = 150_000_000_001;
const FIRST_USER_ID = 5_000_001;
const FIRST_EVENT_ID = 1_000;
const FIRST_OWNER_ID = 41_000_001;
const FIRST_TASK_ID = 90_000_000_001;

export class FakeState {
  accounts = new Map<number, Account>();
  apps = new Map<number, App>();
  installs = new Map<string, Install>();
  authorizationCodes = new Map<string, AuthorizationCode>();
  accessTokens = new Map<string, AccessToken>();
  refreshTokens = new Map<string, RefreshToken>();
  /** Which account /oauth/authorize installs into when the request does not say. */
  authorizingPortalId: number | null = null;

  private nextPortalId = FIRST_PORTAL_ID;
  private nextAppId = FIRST_APP_ID;
  private nextSubscriptionId = FIRST_SUBSCRIPTION_ID;
  private nextContactNumber = FIRST_CONTACT_ID;
  private nextUserId = FIRST_USER_ID;
  private nextEventNumber = FIRST_EVENT_ID;
  private nextOwnerNumber = FIRST_OWNER_ID;
  private nextTaskNumber = FIRST_TASK_ID;

  constructor(readonly settings: FakeSettings) {}

  now(): number {
    return this.settings.clock();
  }

  reset(): void {
    this.accounts.clear();
    this.apps.clear();
    this.installs.clear();
    this.authorizationCodes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.authorizingPortalId = null;
    this.nextPortalId = FIRST_PORTAL_ID;
    this.nextAppId = FIRST_APP_ID;
    this.nextSubscriptionId = FIRST_SUBSCRIPTION_ID;
    this.nextContactNumber = FIRST_CONTACT_ID;
    this.nextUserId = FIRST_USER_ID;
    this.nextEventNumber = FIRST_EVENT_ID;
    this.nextOwnerNumber = FIRST_OWNER_ID;
    this.nextTaskNumber = FIRST_TASK_ID;
  }

  addOwner(account: Account, input: { email: string; firstName?: string; lastName?: string; userId?: number }): Owner {
    const owner: Owner = {
      id: String(this.nextOwnerNumber++),
      userId: input.userId ?? this.nextUserId++,
      email: input.email,
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      archived: false,
      createdAt: this.now(),
    };
    account.owners.push(owner);
    return owner;
  }

  nextTaskId(): string {
    return String(this.nextTaskNumber++);
  }

  // ── Accounts ──────────────────────────────────────────────────────────────

  createAccount(input: { portalId?: number; name?: string; domain?: string; dataHostingLocation?: 'na1' | 'eu1' } = {}): Account {
    const portalId = input.portalId ?? this.nextFreePortalId();
    if (this.accounts.has(portalId)) throw new FakeControlError(409, `Account ${portalId} already exists`);
    const now = this.now();
    const domain = input.domain ?? `portal-${portalId}.example.com`;
    const account: Account = {
      portalId,
      name: input.name ?? `Test portal ${portalId}`,
      domain,
      dataHostingLocation: input.dataHostingLocation ?? 'na1',
      installingUserId: this.nextUserId++,
      installingUserEmail: `admin@${domain}`,
      contacts: new Map(),
      properties: new Map(builtInContactProperties(now).map((definition) => [definition.name, definition])),
      groups: new Map(builtInContactGroups().map((group) => [group.name, group])),
      owners: [],
      tasks: new Map(),
      createdAt: now,
    };
    this.addOwner(account, { email: account.installingUserEmail, firstName: 'Account', lastName: 'Admin', userId: account.installingUserId });
    this.accounts.set(portalId, account);
    return account;
  }

  requireAccount(portalId: number): Account {
    const account = this.accounts.get(portalId);
    if (!account) throw new FakeControlError(404, `No account ${portalId}: create it first (accounts.create)`);
    return account;
  }

  private nextFreePortalId(): number {
    while (this.accounts.has(this.nextPortalId)) this.nextPortalId++;
    return this.nextPortalId++;
  }

  // ── Apps and installs ─────────────────────────────────────────────────────

  registerApp(input: NewApp): App {
    const appId = input.appId ?? this.nextAppId++;
    if (this.apps.has(appId)) throw new FakeControlError(409, `App ${appId} already exists`);
    const clientId = input.clientId ?? randomUUID();
    if (this.appByClientId(clientId)) throw new FakeControlError(409, `An app with client id ${clientId} already exists`);
    const redirectUris = input.redirectUris ?? (input.redirectUri ? [input.redirectUri] : []);
    const app: App = {
      appId,
      clientId,
      clientSecret: input.clientSecret ?? randomUUID(),
      redirectUris,
      requiredScopes: input.scopes ?? ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'],
      optionalScopes: input.optionalScopes ?? [],
      ...(input.webhookUrl ? { webhookTargetUrl: input.webhookUrl } : {}),
      ...(input.maxConcurrentRequests ? { maxConcurrentRequests: input.maxConcurrentRequests } : {}),
      subscriptions: [],
    };
    this.setSubscriptions(app, input.subscriptions ?? []);
    this.apps.set(appId, app);
    return app;
  }

  updateApp(appId: number, update: Pick<NewApp, 'webhookUrl' | 'subscriptions' | 'maxConcurrentRequests' | 'redirectUris' | 'scopes' | 'optionalScopes'>): App {
    const app = this.requireApp(appId);
    if (update.webhookUrl !== undefined) app.webhookTargetUrl = update.webhookUrl;
    if (update.maxConcurrentRequests !== undefined) app.maxConcurrentRequests = update.maxConcurrentRequests;
    if (update.redirectUris) app.redirectUris = update.redirectUris;
    if (update.scopes) app.requiredScopes = update.scopes;
    if (update.optionalScopes) app.optionalScopes = update.optionalScopes;
    if (update.subscriptions) this.setSubscriptions(app, update.subscriptions);
    return app;
  }

  private setSubscriptions(app: App, subscriptions: NonNullable<NewApp['subscriptions']>): void {
    app.subscriptions = subscriptions.map((subscription) => {
      if (subscription.subscriptionType === 'contact.propertyChange' && !subscription.propertyName) {
        throw new FakeControlError(400, 'A contact.propertyChange subscription needs a propertyName (one subscription per property)');
      }
      return {
        id: this.nextSubscriptionId++,
        subscriptionType: subscription.subscriptionType,
        ...(subscription.propertyName ? { propertyName: subscription.propertyName } : {}),
        active: subscription.active ?? true,
      };
    });
  }

  requireApp(appId: number): App {
    const app = this.apps.get(appId);
    if (!app) throw new FakeControlError(404, `No app ${appId}: register it first (apps.register)`);
    return app;
  }

  appByClientId(clientId: string): App | undefined {
    for (const app of this.apps.values()) if (app.clientId === clientId) return app;
    return undefined;
  }

  install(appId: number, portalId: number, scopes: string[]): Install {
    const key = installKey(appId, portalId);
    const install: Install = { appId, portalId, scopes, active: true, installedAt: this.now() };
    this.installs.set(key, install);
    return install;
  }

  activeInstall(appId: number, portalId: number): Install | undefined {
    const install = this.installs.get(installKey(appId, portalId));
    return install?.active ? install : undefined;
  }

  activeInstallsIn(portalId: number): Install[] {
    return [...this.installs.values()].filter((install) => install.portalId === portalId && install.active);
  }

  /** Uninstall: every token the app holds for the account stops working. */
  revokeInstall(appId: number, portalId: number): void {
    const install = this.installs.get(installKey(appId, portalId));
    if (!install) throw new FakeControlError(404, `App ${appId} is not installed in account ${portalId}`);
    install.active = false;
    for (const token of this.accessTokens.values()) if (token.appId === appId && token.portalId === portalId) token.revoked = true;
    for (const token of this.refreshTokens.values()) if (token.appId === appId && token.portalId === portalId) token.revoked = true;
  }

  // ── Tokens ────────────────────────────────────────────────────────────────

  issueAccessToken(input: { kind: AccessToken['kind']; portalId: number; appId: number; scopes: string[]; ttlSeconds: number | null }): AccessToken {
    const issuedAt = this.now();
    // HubSpot's tokens are opaque; these only look different enough to tell apart in a log.
    const token = input.kind === 'private' ? `pat-na1-${randomUUID()}` : `CO${randomBytes(48).toString('base64url')}`;
    const accessToken: AccessToken = {
      token,
      kind: input.kind,
      portalId: input.portalId,
      appId: input.appId,
      scopes: [...input.scopes],
      issuedAt,
      expiresAt: input.ttlSeconds === null ? null : issuedAt + input.ttlSeconds * 1000,
      revoked: false,
    };
    this.accessTokens.set(token, accessToken);
    return accessToken;
  }

  issueRefreshToken(appId: number, portalId: number, scopes: string[]): RefreshToken {
    const refreshToken: RefreshToken = { token: `na1-${randomUUID()}`, appId, portalId, scopes: [...scopes], revoked: false };
    this.refreshTokens.set(refreshToken.token, refreshToken);
    return refreshToken;
  }

  // ── Ids ───────────────────────────────────────────────────────────────────

  nextContactId(): string {
    return String(this.nextContactNumber++);
  }

  nextEventId(): number {
    return this.nextEventNumber++;
  }
}

export function installKey(appId: number, portalId: number): string {
  return `${appId}:${portalId}`;
}
