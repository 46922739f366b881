import { defineConfig } from 'vitest/config';

// One command runs everything: unit tests beside the code, whole-app flows in test/.
// Every run gets its own PostgreSQL database and Redis key prefix (test/global-setup.ts), so
// runs never see each other. A JSON report is written too: .ci/run reads its totals.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'workers/**/*.test.ts', 'extensions/**/*.test.{ts,tsx}', 'prisma/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
