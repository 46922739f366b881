// Renews a claim: its expiry moves to one claim period from now (program settings, the portal's
// tier), up to the number of renewals the program allows (domain/claims.ts renewal()). From the
// card and the Capacity Manager. One transaction: the registration's row lock (a renewal and an
// expiry job's chunk never both win: the chunk ends only claims still expired when it takes the
// row), the new expiry, the reminders sent for the old expiry cleared (the new one gets its own),
// and the audit event `registration_renewed`.
import { withTransaction, type Database } from '../db/client.js';
import type { PartnerTier } from '../domain/capacity.js';
import { claimPeriodFor, renewal } from '../domain/claims.js';
import { AppError } from '../errors/app-error.js';
import { getProgramSettings } from '../program/program-settings.js';
import { registrationRowColumns, registrationView, type RegistrationRow, type RegistrationView } from './registration-view.js';

export interface RenewRegistrationInput {
  portalId: number;
  registrationId: string;
  /** Who renews: a HubSpot user's email, or the operator. */
  renewedBy: string;
}

export interface RenewRegistrationResult {
  registration: RegistrationView;
  /** Renewals still allowed after this one. */
  renewalsLeft: number;
}

export async function renewRegistration(db: Database, input: RenewRegistrationInput): Promise<RenewRegistrationResult> {
  if (!/^[1-9]\d{0,17}$/.test(input.registrationId)) throw notFound(input.registrationId);
  const settings = await getProgramSettings(db);
  return withTransaction(db, async (sql) => {
    const { rows } = await sql.query<{ status: string; renewals: number; expires_at: Date | null; tier: PartnerTier; domain: string }>(
      `SELECT r.status::text, r.renewals, r.expires_at, p.tier::text AS tier, r.domain
       FROM registrations r JOIN portals p ON p.id = r.portal_id
       WHERE r.portal_id = $1 AND r.id = $2 FOR UPDATE OF r`,
      [input.portalId, input.registrationId],
    );
    const claim = rows[0];
    if (!claim) throw notFound(input.registrationId);
    if (claim.status !== 'active') {
      throw new AppError({
        kind: 'conflict',
        code: 'NOT_ACTIVE',
        message: `${claim.domain} is no longer registered, so it cannot be renewed. Register it again if it is still free.`,
      });
    }
    const now = new Date();
    const check = renewal(claim, settings, claimPeriodFor(settings, claim.tier), now);
    if (!check.ok)
      throw new AppError({ kind: 'conflict', code: check.code, message: check.message, details: { renewals: claim.renewals, renewalsAllowed: settings.renewalsAllowed } });

    const { rows: renewed } = await sql.query<RegistrationRow>(
      `WITH renewed AS (
         UPDATE registrations SET expires_at = $3, renewals = renewals + 1, renewed_at = $4
         WHERE portal_id = $1 AND id = $2
         RETURNING *
       ), reminders AS (
         DELETE FROM expiry_reminders WHERE registration_id = $2
       ), audit AS (
         INSERT INTO audit_events (portal_id, action, actor, registration_id, domain, contact_id, details)
         SELECT portal_id, 'registration_renewed', $5, id, domain, contact_id,
                jsonb_build_object('expiresAtBefore', $6::timestamptz, 'expiresAt', expires_at, 'renewals', renewals, 'renewalsAllowed', $7::int)
         FROM renewed
       )
       SELECT ${registrationRowColumns('renewed')} FROM renewed`,
      [input.portalId, input.registrationId, check.expiresAt, now, input.renewedBy, claim.expires_at, settings.renewalsAllowed],
    );
    const registration = registrationView(renewed[0]!);
    return { registration, renewalsLeft: Math.max(0, settings.renewalsAllowed - registration.renewals) };
  });
}

function notFound(registrationId: string): AppError {
  return new AppError({ kind: 'not_found', code: 'REGISTRATION_NOT_FOUND', message: `No registration ${registrationId} in this portal. Refresh the list.` });
}
