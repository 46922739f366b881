-- Finding registrations at a million rows (docs/decisions/0005-finding-registrations.md).
-- Plain SQL: Prisma's schema cannot declare collations, expression indexes or extended
-- statistics (prisma/schema-matches-migrations.test.ts leaves expression indexes aside).

-- Counting a search within one portal and status reads the search text from the index alone.
CREATE INDEX "registrations_portal_status_search_idx" ON "registrations"("portal_id", "status", "search_text");

-- The partner's language orders names: ICU collations, created here rather than taken from the
-- server's predefined list (sv-x-icu, und-x-icu) so that every PostgreSQL with ICU, the
-- embedded demo one included, has them under the same names. "und" is the Unicode root order
-- (É with E, case after letters), and "sv" adds Swedish (å, ä, ö after z).
CREATE COLLATION IF NOT EXISTS "registrations_en" (provider = icu, locale = 'und');
CREATE COLLATION IF NOT EXISTS "registrations_sv" (provider = icu, locale = 'sv');

-- One index per sort the page offers, in the order it asks for, with the id as tie-breaker, so
-- a page is read in order and stops after its rows (no sort of a portal's whole history).
-- Missing names sort as empty text, so that the keyset comparison never meets a NULL.
CREATE INDEX "registrations_sort_domain_idx" ON "registrations"("portal_id", "status", "domain", "id");
CREATE INDEX "registrations_sort_company_en_idx" ON "registrations"("portal_id", "status", (coalesce("company_name", '') COLLATE "registrations_en"), "id");
CREATE INDEX "registrations_sort_company_sv_idx" ON "registrations"("portal_id", "status", (coalesce("company_name", '') COLLATE "registrations_sv"), "id");
CREATE INDEX "registrations_sort_contact_en_idx" ON "registrations"("portal_id", "status", (coalesce("contact_name", '') COLLATE "registrations_en"), "id");
CREATE INDEX "registrations_sort_contact_sv_idx" ON "registrations"("portal_id", "status", (coalesce("contact_name", '') COLLATE "registrations_sv"), "id");
CREATE INDEX "registrations_sort_country_en_idx" ON "registrations"("portal_id", "status", (coalesce("country", '') COLLATE "registrations_en"), "id");
CREATE INDEX "registrations_sort_country_sv_idx" ON "registrations"("portal_id", "status", (coalesce("country", '') COLLATE "registrations_sv"), "id");

-- A portal's rows are not spread like the table's (the biggest portal's are 98% history): the
-- planner's estimate of a portal and status together, which the list shows as "about N" past
-- its exact-count limit, needs their joint statistics.
CREATE STATISTICS IF NOT EXISTS "registrations_portal_status_stats" (mcv) ON "portal_id", "status" FROM "registrations";
