import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// One command runs everything (`npm test`): unit tests beside the code, whole-app flows in test/.
// Two projects:
// - **unit**: tests that need no database and no Redis — pure modules, the HubSpot fake on its
//   own, HubSpot's project parser. `npm run test:unit` runs them alone, in seconds.
// - **integration**: tests that use the run's PostgreSQL and Redis. They get them through
//   vitest's `inject` (directly, or through test/support/ or a module's testing/ helpers), and
//   that is how they are told apart here. Every run gets its own Redis key prefix and migrated
//   template database (test/global-setup.ts), and every file a copy of that database of its own
//   (test/support/file-database.ts): runs and files never see each other's data.
// A JSON report is written too: .ci/run reads its totals.
const TEST_FOLDERS = ['server', 'workers', 'extensions', 'prisma', 'scripts', 'test'];
const USES_DATABASE_OR_REDIS = /\binject\(|from '[^']*\/(support|testing)\/[^']*'/;

const testFiles = TEST_FOLDERS.flatMap((folder) =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.test\.tsx?$/.test(name) && !name.split(path.sep).includes('node_modules'))
    .map((name) => path.join(folder, name)),
);
const integrationFiles = testFiles.filter((file) => USES_DATABASE_OR_REDIS.test(readFileSync(file, 'utf8')));
const unitFiles = testFiles.filter((file) => !integrationFiles.includes(file));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      { extends: true, test: { name: 'unit', include: unitFiles } },
      { extends: true, test: { name: 'integration', include: integrationFiles, globalSetup: ['test/global-setup.ts'], setupFiles: ['test/support/file-database-setup.ts'] } },
    ],
  },
});
