// What every process of the app does at start and on SIGTERM/SIGINT: a configuration error is
// one clear message and exit code 78 (EX_CONFIG); a signal runs the graceful shutdown once.
import { ConfigError } from './config/config.js';
import type { Logger } from './observability/logger.js';

export function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

export function onShutdownSignal(logger: Logger, shutdown: () => Promise<void>): void {
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (signalled) return;
      signalled = true;
      logger.info({ signal }, 'shutting down');
      shutdown().then(
        () => {
          logger.info('shut down');
          process.exit(0);
        },
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
