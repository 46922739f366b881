// `npm run admin -- <command> [arguments]`: the operator's command line (commands in
// admin-commands.ts). Bad arguments print the usage and exit 2; an unknown portal or a refused
// value exits 1 with the reason.
import { AppError } from '../errors/app-error.js';
import { exitOnStartupError } from '../process-lifecycle.js';
import { openDependencies } from '../runtime/dependencies.js';
import { prepareProcess } from '../runtime/run-process.js';
import { runAdminCommand, USAGE, UsageError } from './admin-commands.js';

async function main(): Promise<void> {
  const { config, databaseUrl, logger, database } = await prepareProcess('admin', { commandLine: true });
  const deps = openDependencies({ config, databaseUrl, logger, role: 'cli' });
  try {
    await runAdminCommand(deps, process.argv.slice(2), (line) => console.log(line));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof AppError) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      throw error;
    }
  } finally {
    await deps.close();
    await database.embedded?.stop();
  }
}

await main().catch(exitOnStartupError);
