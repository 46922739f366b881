// `npm run bench`: every benchmark, each against a baseline measured in the same run.
//
// Runs on its own fresh database (bench/bench-database.ts), dropped at the end. The machines
// are shared and noisy: read the ratios, and compare medians of several runs.
import { createDatabase } from '../server/db/client.js';
import { createBenchDatabase } from './bench-database.js';
import { benchCapacityManagerApi, capacityManagerApiRows } from './capacity-manager-api.bench.js';
import { benchDeregistrations, deregistrationRows } from './deregistrations.bench.js';
import { benchFindRegistrations, findRows } from './find-registrations.bench.js';
import { benchRegisterContact, registerRows } from './register-contact.bench.js';
import { seedRegistrations, TOTAL_REGISTRATIONS } from './seed-registrations.js';
import { benchWebhookIngest, ingestRows } from './webhook-ingest.bench.js';
import { automaticRegistrationRows, benchAutomaticRegistration } from './automatic-registration.bench.js';
import { elapsedMs, fixed, printTable } from './stats.js';

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

const database = await createBenchDatabase();
const db = createDatabase({ url: database.url, poolSize: 16 });
try {
  if (wanted('find') || wanted('capacity-manager')) {
    const start = process.hrtime.bigint();
    await seedRegistrations(database.url);
    console.log(`Seeded ${TOTAL_REGISTRATIONS.toLocaleString('en-US')} registrations over 5,000 portals in ${fixed(elapsedMs(start) / 1000, 1)} s.`);
  }
  if (wanted('find')) {
    printTable(
      'Find registrations, biggest portal, every search and sort + page of 100 (target: use case p95 <= 10 ms, page 200 <= 15 ms, <= 1.2x the best hand-written SQL)',
      findRows(await benchFindRegistrations(db, database.url)),
    );
  }
  if (wanted('capacity-manager')) {
    printTable(
      'Capacity Manager list API over HTTP, biggest portal, search + sort + page of 100 (target: HTTP p95 <= 1.3x the best hand-written SQL)',
      capacityManagerApiRows(await benchCapacityManagerApi(db, database.url)),
    );
  }
  if (wanted('register')) {
    printTable('Registration throughput, 16 concurrent callers (target: >= 1,500/s)', registerRows(await benchRegisterContact(db, database.url)));
  }
  if (wanted('webhooks')) {
    const env = { DATABASE_URL: database.url, REDIS_KEY_PREFIX: `pc-bench-${Date.now()}` };
    printTable('Webhook ingest, signed 100-event batches over keep-alive connections (target: >= 20,000 events/s, p99 < 25 ms)', ingestRows(await benchWebhookIngest(env)));
    printTable(
      'Automatic registration end to end: contact created in HubSpot (fake) -> webhook -> worker -> registered -> written back (target: >= 1,000/s)',
      automaticRegistrationRows(await benchAutomaticRegistration(database.url)),
    );
  }
  if (wanted('deregistrations')) {
    printTable(
      'Bulk deregistration jobs end to end on a worker process, HubSpot fake (targets: <= 1.3x the rate-limit floor; >= 5,000 domains/s)',
      deregistrationRows(await benchDeregistrations(database.url)),
    );
  }
} finally {
  await db.$disconnect();
  await database.drop();
}
