// Runs before every integration test file (vitest.config.ts setupFiles): its own database.
import { createFileDatabase } from './file-database.js';

await createFileDatabase();
