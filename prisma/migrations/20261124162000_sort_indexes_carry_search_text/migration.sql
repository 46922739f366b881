-- A common search read in sort order filtered every row it passed in the table: 15 to 25 ms
-- when the matches sit together late in the order ("nordic" sorted by company). With the
-- search text in each sort index the read is index-only (the collated ones also carry their
-- column: PostgreSQL reads an expression index alone only when the column is in it too).
-- Partial on the text's size like registrations_search_idx: an over-long text is found
-- through registrations_long_search_idx.
DROP INDEX "registrations_sort_domain_idx";
CREATE INDEX "registrations_sort_domain_idx" ON "registrations"("portal_id", "status", "domain", "id", "search_text") WHERE octet_length(search_text) <= 2000;
CREATE INDEX "registrations_sort_registered_at_idx" ON "registrations"("portal_id", "status", "registered_at", "id", "search_text") WHERE octet_length(search_text) <= 2000;
DROP INDEX "registrations_sort_company_en_idx";
CREATE INDEX "registrations_sort_company_en_idx" ON "registrations"("portal_id", "status", (coalesce("company_name", '') COLLATE "registrations_en"), "id", "search_text", "company_name") WHERE octet_length(search_text) <= 2000;
DROP INDEX "registrations_sort_company_sv_idx";
CREATE INDEX "registrations_sort_company_sv_idx" ON "registrations"("portal_id", "status", (coalesce("company_name", '') COLLATE "registrations_sv"), "id", "search_text", "company_name") WHERE octet_length(search_text) <= 2000;
DROP INDEX "registrations_sort_contact_en_idx";
CREATE INDEX "registrations_sort_contact_en_idx" ON "registrations"("portal_id", "status", (coalesce("contact_name", '') COLLATE "registrations_en"), "id", "search_text", "contact_name") WHERE octet_length(search_text) <= 2000;
DROP INDEX "registrations_sort_contact_sv_idx";
CREATE INDEX "registrations_sort_contact_sv_idx" ON "registrations"("portal_id", "status", (coalesce("contact_name", '') COLLATE "registrations_sv"), "id", "search_text", "contact_name") WHERE octet_length(search_text) <= 2000;
DROP INDEX "registrations_sort_country_en_idx";
CREATE INDEX "registrations_sort_country_en_idx" ON "registrations"("portal_id", "status", (coalesce("country", '') COLLATE "registrations_en"), "id", "search_text", "country") WHERE octet_length(search_text) <= 2000;
DROP INDEX "registrations_sort_country_sv_idx";
CREATE INDEX "registrations_sort_country_sv_idx" ON "registrations"("portal_id", "status", (coalesce("country", '') COLLATE "registrations_sv"), "id", "search_text", "country") WHERE octet_length(search_text) <= 2000;
-- The planner must know that over-long search texts are (next to) none, or it reads a portal's
-- whole history looking for them in the long-text branch.
CREATE STATISTICS IF NOT EXISTS "registrations_search_text_size_stats" ON (octet_length("search_text")) FROM "registrations";
