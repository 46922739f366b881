-- A rare search in a long history read every entry the portal has in the covering search index
-- (50,000 for the biggest portal: 7 to 15 ms) to find its few matches, and a common one whose
-- matches sit late in that index ("nordic") passed 20,000 entries before its first 1,001.
-- A GIN index of the three-character substrings of the history finds the rows that hold every
-- substring of the term (LIKE then checks each): its cost follows the matches, not the history.
--
-- The key of each substring is mixed with the bucket of its portal (portal id mod 128), so the
-- posting lists of a portal hold its own rows and those of the few portals sharing its bucket,
-- not those of every portal (a global trigram index read 5,000 rows over the table to keep 250,
-- decision 0005). A hash, not the text: a collision only adds rows that LIKE then drops.
--
-- Partial on the history: registering (inserting active rows) pays nothing, deregistering pays
-- the keys (about 50 per row) on the update it already makes. The active list is bounded by the
-- capacity of the portal and keeps the covering search index.
CREATE FUNCTION registration_search_grams(portal_id bigint, search_text text) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT coalesce(array_agg(hashtext(substr(search_text, i, 3)) # ((portal_id % 128)::integer << 24)), '{}')
  FROM generate_series(1, length(search_text) - 2) AS i
$$;
CREATE INDEX "registrations_history_grams_idx" ON "registrations" USING gin (registration_search_grams("portal_id", "search_text")) WHERE status = 'deregistered';
