// `npm run admin -- <command> [arguments]`: the operator's command line (commands in
// admin-commands.ts). Bad arguments print the usage and exit 2; an unknown portal or a refused
// value exits 1 with the reason.
import { loadConfig } from '../config/config.js';
import { createDatabase } from '../db/client.js';
import { resolveDatabase } from '../db/resolve-database.js';
import { InvalidLimitError, PortalNotFoundError } from '../portals/change-portal.js';
import { exitOnStartupError } from '../process-lifecycle.js';
import { runAdminCommand, USAGE, UsageError } from './admin-commands.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await resolveDatabase(config);
  const db = createDatabase({ url: database.url, poolSize: 2 });
  try {
    await runAdminCommand(db, process.argv.slice(2), (line) => console.log(line));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof PortalNotFoundError || error instanceof InvalidLimitError) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      throw error;
    }
  } finally {
    await db.$disconnect();
    await database.embedded?.stop();
  }
}

await main().catch(exitOnStartupError);
