// `npm run bench`: every benchmark, each against a baseline measured in the same run.
//
//   npm run bench                          every benchmark
//   npm run bench -- find ingest           only those named (find, capacity-manager, console, register,
//                                          ingest, automatic-registration, deregistrations, expiry;
//                                          webhooks = ingest + automatic-registration)
//   npm run bench -- --json                also write the results as JSON to bench-results.json
//   npm run bench -- --json=path/out.json  … to that file
//   npm run bench -- --compiled            build first (npm run build), and start the worker from
//                                          the build as production does (its memory is what counts)
//
// The JSON holds the date, the machine (CPU model and count, memory, Node and PostgreSQL
// versions), and every table as printed plus the raw numbers behind it (bench/README.md).
// Runs on its own fresh database (bench/bench-database.ts), dropped at the end. The machines
// are shared and noisy: read the ratios, and compare medians of several runs.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createDatabase } from '../server/db/client.js';
import { automaticRegistrationRows, benchAutomaticRegistration } from './automatic-registration.bench.js';
import { createBenchDatabase } from './bench-database.js';
import { benchCapacityManagerApi, capacityManagerApiRows } from './capacity-manager-api.bench.js';
import { benchClaimExpiry, claimExpiryRows } from './claim-expiry.bench.js';
import { benchConsolePartners, consolePartnersRows } from './console-partners.bench.js';
import { benchDeregistrations, deregistrationRows } from './deregistrations.bench.js';
import { benchFindRegistrations, findRows } from './find-registrations.bench.js';
import { benchRegisterContact, registerRows } from './register-contact.bench.js';
import { seedRegistrations, TOTAL_REGISTRATIONS } from './seed-registrations.js';
import { elapsedMs, fixed, printTable } from './stats.js';
import { benchWebhookIngest, ingestRows } from './webhook-ingest.bench.js';
import { dropRedisPrefix } from './bench-redis.js';

const args = process.argv.slice(2);
const jsonArgument = args.find((arg) => arg === '--json' || arg.startsWith('--json='));
const jsonPath = jsonArgument === undefined ? undefined : jsonArgument === '--json' ? 'bench-results.json' : jsonArgument.slice('--json='.length);
const only = args.filter((arg) => !arg.startsWith('--'));
const compiled = args.includes('--compiled');
const wanted = (...names: string[]) => only.length === 0 || names.some((name) => only.includes(name));

interface BenchmarkReport {
  name: string;
  title: string;
  rows: Array<Record<string, string | number>>;
  results: unknown;
}
const reports: BenchmarkReport[] = [];
function report(name: string, title: string, rows: Array<Record<string, string | number>>, results: unknown): void {
  printTable(title, rows);
  reports.push({ name, title, rows, results });
}

if (compiled) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });

const startedAt = new Date();
const database = await createBenchDatabase();
const db = createDatabase({ url: database.url, poolSize: 16 });
let postgresVersion = '';
try {
  postgresVersion = (await db.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  if (wanted('find', 'capacity-manager', 'console')) {
    const start = process.hrtime.bigint();
    await seedRegistrations(database.url);
    console.log(`Seeded ${TOTAL_REGISTRATIONS.toLocaleString('en-US')} registrations over 5,000 portals in ${fixed(elapsedMs(start) / 1000, 1)} s.`);
  }
  if (wanted('find')) {
    const results = await benchFindRegistrations(db, database.url);
    report(
      'find',
      'Find registrations, biggest portal, every search and sort + page of 100 (target: use case p95 <= 10 ms, page 200 <= 15 ms, <= 1.2x the best hand-written SQL)',
      findRows(results),
      results,
    );
  }
  if (wanted('capacity-manager')) {
    const results = await benchCapacityManagerApi(db, database.url);
    report(
      'capacity-manager',
      'Capacity Manager list API over HTTP, biggest portal, search + sort + page of 100 (target: HTTP p95 <= 1.3x the best hand-written SQL)',
      capacityManagerApiRows(results),
      results,
    );
  }
  if (wanted('console')) {
    const results = await benchConsolePartners(database.url);
    report(
      'console',
      'Program console partners list over HTTP, 5,000 partners / 1,000,000 registrations / 500,000 inbox events, page of 25 or 100 (target: server p95 <= 20 ms)',
      consolePartnersRows(results),
      results,
    );
  }
  if (wanted('register')) {
    const results = await benchRegisterContact(db, database.url);
    report('register', 'Registration throughput, 16 concurrent callers (targets: 64 portals >= 3,000/s and >= 0.3x the bare INSERT)', registerRows(results), results);
  }
  if (wanted('webhooks', 'ingest')) {
    const prefix = `pc-bench-${Date.now()}`;
    const results = await benchWebhookIngest({ DATABASE_URL: database.url, REDIS_KEY_PREFIX: prefix }).finally(() => dropRedisPrefix(prefix));
    report(
      'ingest',
      'Webhook ingest, signed 100-event batches, 10 in flight over keep-alive connections (targets: p99 <= 25 ms at 20,000 events/s; flat out >= 50,000 events/s and >= 0.5x the raw INSERT; peak RSS <= 250 MB)',
      ingestRows(results),
      results,
    );
  }
  if (wanted('webhooks', 'automatic-registration')) {
    const results = await benchAutomaticRegistration(database.url);
    report(
      'automatic-registration',
      'Automatic registration end to end: contact created in HubSpot (fake) -> webhook -> worker -> registered -> written back (target: >= 2,500/s)',
      automaticRegistrationRows(results),
      results,
    );
  }
  if (wanted('deregistrations')) {
    const results = await benchDeregistrations(database.url, { compiled });
    report(
      'deregistrations',
      'Bulk deregistration jobs end to end on a worker process, HubSpot fake (targets: <= 1.3x the rate-limit floor; >= 5,000 domains/s; worker peak RSS <= 250 MB)',
      deregistrationRows(results),
      results,
    );
  }
  if (wanted('expiry')) {
    const results = await benchClaimExpiry(database.url);
    report(
      'expiry',
      'Claim expiry: 100,000 expired claims over 5,000 portals (targets: database side <= 60 s; write-back within each portal rate limit)',
      claimExpiryRows(results),
      results,
    );
  }
} finally {
  await db.$disconnect();
  await database.drop();
}

if (jsonPath) {
  const cpus = os.cpus();
  const machine = {
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtEnd: os.loadavg(),
    node: process.version,
    postgres: postgresVersion,
  };
  const document = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), arguments: args, machine, benchmarks: reports };
  writeFileSync(jsonPath, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`\nResults written to ${jsonPath}.`);
}
