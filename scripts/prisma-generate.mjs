// Runs `prisma generate` offline.
//
// The Prisma CLI tries to download its native schema engine before generating, although
// generating the client never runs it; on machines without internet that download fails.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips the download
// (see docs/development-environment.md). The client itself is Rust-free (driver adapter).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], {
  cwd: projectRoot,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
