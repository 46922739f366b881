// What the Lead Registration card and the app's backend say to each other over hubspot.fetch.
//
// One contract, two readers: the server builds its answers as these types (type-checked), and
// card-api-contract.test.ts parses the real server's answers in every state with these schemas,
// so the card and the backend cannot drift apart silently (objects are strict: a field the card
// does not know about fails the test too). The card parses every answer with these schemas too:
// whatever does not fit is shown as a failure, never half-rendered.
import { z } from 'zod';

export const CARD_API_PATHS = {
  /** GET: the card's state for the open contact. */
  state: (contactId: string) => `/api/card/contacts/${encodeURIComponent(contactId)}`,
  /** POST: register the open contact (read from HubSpot at that moment). */
  register: (contactId: string) => `/api/card/contacts/${encodeURIComponent(contactId)}/registration`,
  /** POST: join the waitlist for the open contact's domain, held by another partner. */
  joinWaitlist: (contactId: string) => `/api/card/contacts/${encodeURIComponent(contactId)}/waitlist`,
  /** POST { domain }: leave the waitlist for that domain. */
  leaveWaitlist: (contactId: string) => `/api/card/contacts/${encodeURIComponent(contactId)}/waitlist/leave`,
  /** POST { registrationId }: renew the claim the card shows for the open contact. */
  renew: (contactId: string) => `/api/card/contacts/${encodeURIComponent(contactId)}/renewal`,
} as const;

export const tierSchema = z.enum(['untiered', 'silver', 'gold', 'platinum', 'diamond']);

export const capacitySchema = z.strictObject({
  used: z.number().int().nonnegative(),
  limit: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  tier: tierSchema,
  /** 80, 90 or 100 (% of the limit in use) when an alert is due, else null. */
  alertLevel: z.union([z.literal(80), z.literal(90), z.literal(100)]).nullable(),
});

const noWebsiteRefusal = z.strictObject({ code: z.literal('NO_WEBSITE'), message: z.string(), details: z.strictObject({ contactId: z.string() }) });
const invalidWebsiteRefusal = z.strictObject({
  code: z.literal('INVALID_WEBSITE'),
  message: z.string(),
  details: z.strictObject({ contactId: z.string(), website: z.string(), reason: z.string() }),
});
const freeMailDomainRefusal = z.strictObject({ code: z.literal('FREE_MAIL_DOMAIN'), message: z.string(), details: z.strictObject({ contactId: z.string(), domain: z.string() }) });
const capacityFullRefusal = z.strictObject({
  code: z.literal('CAPACITY_FULL'),
  message: z.string(),
  details: z.strictObject({ used: z.number(), limit: z.number(), tier: tierSchema }),
});

export const refusalSchema = z.discriminatedUnion('code', [
  noWebsiteRefusal,
  invalidWebsiteRefusal,
  freeMailDomainRefusal,
  z.strictObject({
    code: z.literal('ALREADY_REGISTERED'),
    message: z.string(),
    details: z.strictObject({
      domain: z.string(),
      registrationId: z.string(),
      registeredAt: z.string(),
      contactId: z.string(),
      contactName: z.string().nullable(),
      sameContact: z.boolean(),
    }),
  }),
  capacityFullRefusal,
  z.strictObject({ code: z.literal('PORTAL_NOT_FOUND'), message: z.string(), details: z.strictObject({ portalId: z.number() }) }),
  // Exclusive claims: another partner holds the domain — never which one.
  z.strictObject({
    code: z.literal('DOMAIN_HELD'),
    message: z.string(),
    details: z.strictObject({ contactId: z.string(), domain: z.string(), heldSince: z.string(), heldUntil: z.string().nullable(), canJoinWaitlist: z.literal(true) }),
  }),
]);

/**
 * Why Register would be refused right now, decided by the server with the same rules a click
 * runs (no usable website, a free-mail domain, capacity full): the card disables Register up
 * front with this reason instead of offering a click that can only be refused.
 */
export const cannotRegisterSchema = z.discriminatedUnion('code', [noWebsiteRefusal, invalidWebsiteRefusal, freeMailDomainRefusal, capacityFullRefusal]);

/**
 * Where the claim stands against its expiry, decided by the server from the program's settings:
 * the card shows the reminder and offers Renew from these, it computes no policy itself.
 */
export const claimExpirySchema = z.strictObject({
  expiresAt: z.string(),
  /** It ends within the program's first reminder window (14 days by default): the card reminds. */
  expiringSoon: z.boolean(),
  /** Renewals the program still allows for this claim; Renew is offered while above 0. */
  renewalsLeft: z.number().int().nonnegative(),
});

export const registrationSchema = z.strictObject({
  id: z.string(),
  domain: z.string(),
  /** The domain as people read it (IDN in Unicode). */
  displayDomain: z.string(),
  registeredAt: z.string(),
  /** A HubSpot user's email, or the name of the automatic rule, or the operator. */
  registeredBy: z.string(),
  channel: z.enum(['card', 'automatic', 'operator', 'waitlist']),
  contactId: z.string(),
  contactName: z.string().nullable(),
  /** The contact's record in HubSpot (the portal's HubSpot domain), opened in a new tab. */
  contactUrl: z.string(),
  /** False when the domain was registered through another contact of the same company. */
  throughThisContact: z.boolean(),
  /** When the claim ends unless renewed (the program's claim period); null when it never expires. */
  expiry: claimExpirySchema.nullable(),
});

export const contactSchema = z.strictObject({
  id: z.string(),
  website: z.string().nullable(),
  /** The registrable domain of the contact's current website, when it has a usable one. */
  currentDomain: z.string().nullable(),
  currentDisplayDomain: z.string().nullable(),
});

/** Another partner of the program holds the contact's domain (exclusive claims) — never which one. */
export const domainHeldSchema = z.strictObject({
  heldSince: z.string(),
  /** When the claim ends unless renewed; null when it never expires. */
  heldUntil: z.string().nullable(),
});

/** This portal waits for the contact's domain: its place in line, never who else waits. */
export const waitlistPlaceSchema = z.strictObject({
  domain: z.string(),
  displayDomain: z.string(),
  /** 1 for the first in line. */
  position: z.number().int().positive(),
  joinedAt: z.string(),
  /** Times the domain was released while the portal had no room (it kept its place). */
  skipCount: z.number().int().nonnegative(),
  skippedAt: z.string().nullable(),
});

export const cardStateSchema = z.strictObject({
  contact: contactSchema,
  registration: registrationSchema.nullable(),
  /** Set when the contact is not registered and another partner holds its domain. */
  domainHeld: domainHeldSchema.nullable(),
  /** Set when this portal waits for the contact's domain. */
  waitlist: waitlistPlaceSchema.nullable(),
  /** Registered through this contact, but its website now points to another domain (or none). */
  websiteChanged: z.boolean(),
  /** Set when the contact is not registered and Register would be refused now. */
  cannotRegister: cannotRegisterSchema.nullable(),
  capacity: capacitySchema,
  /**
   * "Manage your capacity": signed, short-lived, single-use; the card asks for a fresh one often.
   * It opens the Capacity Manager searching for this contact's registered domain (the whole
   * list when the contact is not registered: that is where capacity is freed).
   */
  manageLink: z.strictObject({ url: z.string(), expiresAt: z.string() }),
});

/**
 * States the card expects are answers (2xx) with an explicit status, never HTTP errors: how
 * hubspot.fetch hands a backend 4xx/5xx to the card is not documented, and HubSpot's local dev
 * proxy turns them into a 200 wrapping "BAD_GATEWAY" (docs/hubspot-platform.md).
 */
const notConnectedSchema = z.strictObject({
  /** The app is not installed in the portal, or HubSpot revoked its access. */
  status: z.literal('not-connected'),
  /** Where a Super Admin installs the app again. */
  installUrl: z.string(),
});
const contactNotFoundSchema = z.strictObject({
  /** HubSpot does not have the contact (deleted or merged away). */
  status: z.literal('contact-not-found'),
  contactId: z.string(),
});

/** GET the card's state. */
export const cardStateAnswerSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('ready'), state: cardStateSchema }),
  notConnectedSchema,
  contactNotFoundSchema,
]);

/** POST a registration: registered, refused (with why), or the contact cannot be registered now. */
export const registerAnswerSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('registered'), state: cardStateSchema }),
  z.strictObject({ status: z.literal('refused'), refusal: refusalSchema, state: cardStateSchema }),
  notConnectedSchema,
  contactNotFoundSchema,
]);

/** Why joining the waitlist was refused: the domain is free (register it), already the portal's, claims are shared, or the contact has no usable domain. */
export const waitlistRefusalSchema = z.strictObject({
  code: z.enum(['DOMAIN_NOT_HELD', 'DOMAIN_OWN', 'CLAIMS_SHARED', 'NO_DOMAIN']),
  message: z.string(),
});

/** POST join or leave the waitlist: the new state with what happened. */
export const waitlistAnswerSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('waiting'), state: cardStateSchema }),
  /** Left (or was not waiting any more: served or left elsewhere). */
  z.strictObject({ status: z.literal('left'), state: cardStateSchema }),
  z.strictObject({ status: z.literal('refused'), refusal: waitlistRefusalSchema, state: cardStateSchema }),
  notConnectedSchema,
  contactNotFoundSchema,
]);

/**
 * Why a renewal was refused: no renewals left, the program's claims do not expire, or the contact
 * no longer has the registration the card showed (ended, or another one now).
 */
export const renewalRefusalSchema = z.strictObject({
  code: z.enum(['NO_RENEWALS_LEFT', 'NOT_EXPIRING', 'NOT_REGISTERED']),
  message: z.string(),
});

/** POST a renewal: renewed (the new expiry in the state) or refused, with the state either way. */
export const renewalAnswerSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('renewed'), state: cardStateSchema }),
  z.strictObject({ status: z.literal('refused'), refusal: renewalRefusalSchema, state: cardStateSchema }),
  notConnectedSchema,
  contactNotFoundSchema,
]);

/** Real failures only (application/problem+json, non-2xx). The card acts on these codes. */
export const CARD_PROBLEM_CODES = {
  /** HubSpot did not answer the contact read; retrying later helps. */
  hubspotUnavailable: 'HUBSPOT_UNAVAILABLE',
} as const;

export const cardProblemSchema = z.looseObject({
  status: z.number().int(),
  code: z.string(),
  title: z.string(),
  detail: z.string().optional(),
});

export type Capacity = z.infer<typeof capacitySchema>;
export type CardRegistration = z.infer<typeof registrationSchema>;
export type CardContact = z.infer<typeof contactSchema>;
export type CardState = z.infer<typeof cardStateSchema>;
export type Refusal = z.infer<typeof refusalSchema>;
export type CannotRegister = z.infer<typeof cannotRegisterSchema>;
export type CardStateAnswer = z.infer<typeof cardStateAnswerSchema>;
export type RegisterAnswer = z.infer<typeof registerAnswerSchema>;
export type DomainHeld = z.infer<typeof domainHeldSchema>;
export type WaitlistPlace = z.infer<typeof waitlistPlaceSchema>;
export type WaitlistRefusal = z.infer<typeof waitlistRefusalSchema>;
export type WaitlistAnswer = z.infer<typeof waitlistAnswerSchema>;
export type ClaimExpiry = z.infer<typeof claimExpirySchema>;
export type RenewalRefusal = z.infer<typeof renewalRefusalSchema>;
export type RenewalAnswer = z.infer<typeof renewalAnswerSchema>;
export type CardProblem = z.infer<typeof cardProblemSchema>;
