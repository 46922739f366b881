-- A partner's active claims by expiry: the console counts each listed partner's claims expiring
-- soon, and the Capacity Manager lists a portal's expiring claims, with one index range each.
-- The (expires_at, portal_id) index stays for the expiry run, which looks across all portals.
CREATE INDEX "registrations_portal_expiry_idx" ON "registrations"("portal_id", "expires_at") WHERE (status = 'active' AND expires_at IS NOT NULL);
