-- Finding registrations, measured (docs/decisions/0005-finding-registrations.md): a pg_trgm
-- index reads every portal's matches of a term (a benchmark term's 5,000 rows over the table
-- for 250 in the portal), 30 to 40 ms, where reading one portal's search texts from a
-- covering index takes 5 ms. The search is matched from the covering index (and pg_trgm is
-- not in the embedded demo database, PGlite, either).
DROP INDEX "registrations_portal_status_search_idx";

-- The search text and id of every registration, by portal and status: a search is counted and
-- its ids found without reading the table. Index rows have a size limit (2,704 bytes): a text
-- longer than 2,000 bytes goes to the second, tiny index instead of failing the registration.
CREATE INDEX "registrations_search_idx" ON "registrations"("portal_id", "status", "search_text", "id") WHERE octet_length(search_text) <= 2000;
CREATE INDEX "registrations_long_search_idx" ON "registrations"("portal_id", "status", "id") WHERE octet_length(search_text) > 2000;
