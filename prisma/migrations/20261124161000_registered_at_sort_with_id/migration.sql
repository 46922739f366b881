-- The list's date sort pages by (registered_at, id): with the id in the index, a page (or a
-- skip to page 200) is read in order from the index alone instead of sorting the history.
DROP INDEX "registrations_portal_status_registered_at_idx";
CREATE INDEX "registrations_portal_status_registered_at_idx" ON "registrations"("portal_id", "status", "registered_at", "id");
