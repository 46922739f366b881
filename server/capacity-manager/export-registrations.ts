// Export of a portal's registrations as CSV: every row the current search matches (all pages),
// in the order the page shows them, streamed.
//
// Rows come from a server-side cursor in one read-only transaction, a thousand at a time, so
// memory stays flat whatever the size and the file is one consistent snapshot. The stream
// honours backpressure: a slow download holds the cursor, not the process's memory. Cells that
// a spreadsheet would run as a formula (=, +, -, @ …) are escaped: names come from contacts.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Database } from '../db/client.js';
import { findRegistrationsQuery, type FindRegistrationsInput } from '../registrations/find-registrations.js';
import { registrationView, type RegistrationRow } from '../registrations/registration-view.js';

export type ExportRegistrationsInput = Omit<FindRegistrationsInput, 'page' | 'pageSize'>;

const FETCH_SIZE = 1000;

export const CSV_COLUMNS = [
  { key: 'domain', header: 'Domain' },
  { key: 'companyName', header: 'Company' },
  { key: 'contactName', header: 'Contact name' },
  { key: 'country', header: 'Country' },
  { key: 'registeredAt', header: 'Registered at' },
  { key: 'registeredBy', header: 'Registered by' },
  { key: 'channel', header: 'Channel' },
  // Empty when the program's claims do not expire (program settings' claim period).
  { key: 'expiresAt', header: 'Expires at' },
  { key: 'renewals', header: 'Renewals' },
  { key: 'status', header: 'Status' },
  { key: 'deregisteredAt', header: 'Deregistered at' },
  { key: 'deregisteredBy', header: 'Deregistered by' },
  { key: 'deregistrationJobId', header: 'Deregistration job' },
  { key: 'contactId', header: 'HubSpot contact id' },
  { key: 'website', header: 'Website at registration' },
] as const;

async function* registrationRows(db: Database, input: ExportRegistrationsInput) {
  // The list's own query (same filter, same order), unpaged.
  const query = findRegistrationsQuery(input);
  const client = await db.pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query({ text: `DECLARE registrations_export NO SCROLL CURSOR FOR ${query.text}`, values: query.values as unknown[] });
    for (;;) {
      const { rows } = await client.query<RegistrationRow>(`FETCH ${FETCH_SIZE} FROM registrations_export`);
      for (const row of rows) {
        const view = registrationView(row);
        yield { ...view, domain: view.displayDomain };
      }
      if (rows.length < FETCH_SIZE) break;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // Also reached when the download is abandoned (the pipeline returns the generator early).
    await client.query(failed ? 'ROLLBACK' : 'COMMIT').catch(() => {});
    client.release();
  }
}

/** Writes the CSV to `output` (an HTTP response, a file); resolves when it is all written. */
export async function exportRegistrationsCsv(db: Database, input: ExportRegistrationsInput, output: Writable): Promise<void> {
  await pipeline(registrationRows(db, input), stringify({ header: true, columns: CSV_COLUMNS.map(({ key, header }) => ({ key, header })), escape_formulas: true }), output);
}
