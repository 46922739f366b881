// Export of a portal's registrations as CSV: every row the current search matches (all pages),
// in the order the page shows them, streamed.
//
// Rows come from a server-side cursor in one read-only transaction, a thousand at a time, so
// memory stays flat whatever the size and the file is one consistent snapshot. The stream
// honours backpressure: a slow download holds the cursor, not the process's memory. Cells that
// a spreadsheet would run as a formula (=, +, -, @ …) are escaped: names come from contacts.
import type { Writable } from 'node:stream';
import type { Database } from '../db/client.js';
import { cursorRows } from '../db/cursor-rows.js';
import { writeCsv } from '../http/csv.js';
import { findRegistrationsQuery, type FindRegistrationsInput } from '../registrations/find-registrations.js';
import { registrationView, type RegistrationRow } from '../registrations/registration-view.js';

export type ExportRegistrationsInput = Omit<FindRegistrationsInput, 'page' | 'pageSize'>;

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
  for await (const row of cursorRows<RegistrationRow>(db, findRegistrationsQuery(input))) {
    const view = registrationView(row);
    yield { ...view, domain: view.displayDomain };
  }
}

/** Writes the CSV to `output` (an HTTP response, a file); resolves when it is all written. */
export async function exportRegistrationsCsv(db: Database, input: ExportRegistrationsInput, output: Writable): Promise<void> {
  await writeCsv(registrationRows(db, input), CSV_COLUMNS, output);
}
