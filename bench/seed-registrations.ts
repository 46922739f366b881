// The benchmark dataset: 1,000,000 registrations over 5,000 portals, the biggest with 1,000
// active and 50,000 deregistered; the others ~190 each, about two thirds active. Written by
// PostgreSQL itself (generate_series) so that seeding takes seconds, with company, contact and
// country values varied enough for search and sort to do real work.
import pg from 'pg';

export const BIGGEST_PORTAL_ID = 1;
export const PORTAL_COUNT = 5000;
export const TOTAL_REGISTRATIONS = 1_000_000;

const WORDS = [
  'nordic',
  'blue',
  'arctic',
  'summit',
  'harbor',
  'pine',
  'copper',
  'falcon',
  'granite',
  'maple',
  'orbit',
  'pioneer',
  'quartz',
  'river',
  'solar',
  'tundra',
  'vertex',
  'willow',
  'zenith',
  'ember',
];
const KINDS = ['analytics', 'logistics', 'foods', 'studio', 'robotics', 'health', 'energy', 'ventures', 'labs', 'systems'];
const FIRST = ['asa', 'bjorn', 'chloe', 'diego', 'elif', 'farah', 'gustav', 'hanna', 'ingrid', 'jurgen', 'kofi', 'lena', 'mateo', 'noor', 'oskar', 'priya'];
const LAST = [
  'andersson',
  'berg',
  'castillo',
  'dubois',
  'eriksson',
  'fischer',
  'garcia',
  'hakansson',
  'ivanova',
  'johansson',
  'kowalski',
  'lindqvist',
  'muller',
  'nakamura',
  'oberg',
  'patel',
];
const COUNTRIES = ['Sweden', 'Germany', 'United Kingdom', 'United States', 'France', 'Finland', 'Spain', 'Australia', 'Japan', 'Norway', 'Brazil', 'Canada'];

function sqlArray(values: string[]): string {
  return `ARRAY[${values.map((value) => `'${value}'`).join(',')}]`;
}

// One row per n: company, person and country picked by different strides of n.
function rowsSql(portalExpression: string, statusExpression: string, seriesSql: string): string {
  return `
    INSERT INTO registrations (portal_id, domain, status, website, company_name, contact_name, country, contact_id,
                               search_text, registered_at, registered_by, channel, deregistered_at, deregistered_by)
    SELECT portal_id, domain, status::registration_status, 'https://www.' || domain, company, person, country, n::text,
           lower(domain || E'\\n' || company || E'\\n' || person || E'\\n' || country),
           now() - (n % 100000) * interval '1 minute', 'bench@agency.example', 'card',
           CASE WHEN status = 'deregistered' THEN now() ELSE NULL END,
           CASE WHEN status = 'deregistered' THEN 'bench@agency.example' ELSE NULL END
    FROM (
      SELECT n, ${portalExpression} AS portal_id, ${statusExpression} AS status,
             (w)[1 + n % 20] || '-' || (k)[1 + (n / 20) % 10] || '-' || n || '.com' AS domain,
             initcap((w)[1 + n % 20]) || ' ' || initcap((k)[1 + (n / 20) % 10]) || ' ' || (n % 997) AS company,
             initcap((f)[1 + (n / 7) % 16]) || ' ' || initcap((l)[1 + (n / 11) % 16]) AS person,
             (c)[1 + (n / 13) % 12] AS country
      FROM ${seriesSql},
           (SELECT ${sqlArray(WORDS)} AS w, ${sqlArray(KINDS)} AS k, ${sqlArray(FIRST)} AS f, ${sqlArray(LAST)} AS l, ${sqlArray(COUNTRIES)} AS c) AS words
    ) AS generated`;
}

export async function seedRegistrations(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO portals (id, name, tier)
      SELECT g, 'Bench portal ' || g, (ARRAY['untiered','silver','gold','platinum','diamond'])[1 + g % 5]::partner_tier
      FROM generate_series(1, ${PORTAL_COUNT}) AS g`);
    await client.query(`UPDATE portals SET tier = 'diamond' WHERE id = ${BIGGEST_PORTAL_ID}`);
    // The biggest portal: 1,000 active, 50,000 deregistered.
    await client.query(rowsSql(`${BIGGEST_PORTAL_ID}`, `CASE WHEN n <= 1000 THEN 'active' ELSE 'deregistered' END`, 'generate_series(1, 51000) AS n'));
    // The rest: 949,000 rows over 4,999 portals; about two thirds active, and untiered portals
    // (every fifth) kept within their 50.
    const rest = TOTAL_REGISTRATIONS - 51_000;
    const others = PORTAL_COUNT - 1;
    await client.query(
      rowsSql(
        `2 + (n % ${others})`,
        `CASE WHEN (n / ${others}) % 3 = 0 OR ((2 + n % ${others}) % 5 = 0 AND n / ${others} >= 60) THEN 'deregistered' ELSE 'active' END`,
        `generate_series(51001, ${51_000 + rest}) AS n`,
      ),
    );
    await client.query('VACUUM ANALYZE registrations');
    await client.query('ANALYZE portals');
  } finally {
    await client.end();
  }
}
