// `npm run admin -- <command> [arguments]`: the operator's command line (commands in
// admin-commands.ts). Bad arguments print the usage and exit 2; an unknown portal or a refused
// value exits 1 with the reason.
import { loadConfig } from '../config/config.js';
import { createDatabase } from '../db/client.js';
import { resolveDatabase } from '../db/resolve-database.js';
import { AppError } from '../errors/app-error.js';
import { exitOnStartupError } from '../process-lifecycle.js';
import { createQueues, type AppQueues } from '../queue/queues.js';
import { createRedis, type Redis } from '../queue/redis.js';
import { runAdminCommand, USAGE, UsageError } from './admin-commands.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await resolveDatabase(config);
  const db = createDatabase({ url: database.url, poolSize: 2 });
  // Redis only for the commands that queue work.
  let queues: (AppQueues & { connection: Redis }) | undefined;
  const openQueues = async () => {
    if (!queues) {
      const connection = createRedis({ url: config.REDIS_URL, cluster: config.REDIS_CLUSTER, forQueues: true, connectionName: 'partner-capacity:admin' });
      queues = Object.assign(createQueues({ connection, prefix: config.REDIS_KEY_PREFIX }), { connection });
    }
    return queues;
  };
  try {
    await runAdminCommand(db, process.argv.slice(2), (line) => console.log(line), { queues: openQueues });
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
    if (queues) {
      await queues.close();
      await queues.connection.quit();
    }
    await db.$disconnect();
    await database.embedded?.stop();
  }
}

await main().catch(exitOnStartupError);
