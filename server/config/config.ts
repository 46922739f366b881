// The app's configuration: every environment variable it reads, validated once at start.
//
// A wrong or missing value stops the process with the variable's name and what is expected,
// instead of failing later somewhere else. With nothing set, the defaults run the demo
// (embedded PostgreSQL, the local Redis). README.md's configuration table lists the same
// variables; a test keeps the two in step.
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

const port = z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65535);

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { error: 'expected a postgresql:// connection URL' });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url({ error: 'expected the URL the app is reached at, like https://capacity.example.com' }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number({ error: 'expected a number of connections' }).int().min(1).max(200).default(10),
  EMBEDDED_POSTGRES_DIR: z.string().min(1).default('.data/pglite'),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, { error: 'expected a redis:// URL' }).default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]+$/, { error: 'expected letters, digits, ":", "." or "-"' }).default('pc'),
  MIGRATE_ON_START: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(0).default(10_000),
});

export type AppConfig = z.infer<typeof configSchema> & { publicUrl: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable means "not set": `FOO= npm start` should not be an error.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = present[name];
        return `${name}: ${issue.message}${value === undefined ? ' (it is not set)' : ` (got "${value}")`}`;
      }),
    );
  }
  const config = parsed.data;
  const publicUrl = (config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`).replace(/\/$/, '');
  return { ...config, publicUrl };
}

export const configVariableNames = Object.keys(configSchema.shape);
