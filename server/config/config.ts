// The app's configuration: every environment variable it reads, validated once at start.
//
// A wrong or missing value stops the process with the variable's name and what is expected,
// instead of failing later somewhere else. With nothing set, the defaults run the demo
// (embedded PostgreSQL, the local Redis). README.md's configuration table lists the same
// variables; a test keeps the two in step.
import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }).transform((value) => ['true', '1', 'yes'].includes(value));

const port = z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65535);

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, { error: 'expected a postgresql:// connection URL' });

/** The scopes the app asks for at install; also the app's required scopes in extensions/src/app/app-hsmeta.json (npm run hubspot:configure writes them there). */
export const DEFAULT_HUBSPOT_SCOPES = 'oauth crm.objects.contacts.read crm.objects.contacts.write crm.schemas.contacts.read crm.schemas.contacts.write';

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url({ error: 'expected the URL the app is reached at, like https://capacity.example.com' }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number({ error: 'expected a number of connections' }).int().min(1).max(200).default(10),
  EMBEDDED_POSTGRES_DIR: z.string().min(1).default('.data/pglite'),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'expected a redis:// URL' })
    .default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER: booleanFlag.default(false),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^(\{[\w:.-]+\})?[\w:.-]*$/, { error: 'expected letters, digits, ":", "." or "-", optionally starting with a hash tag like {pc}' })
    .min(1)
    .default('pc'),
  MIGRATE_ON_START: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(0).default(10_000),
  DEMO_MODE: booleanFlag.default(false),
  DEMO_HUBSPOT_PORT: port.default(4010),

  HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: z.string().min(8, { error: "expected the app's client secret" }).optional(),
  HUBSPOT_APP_ID: z.coerce.number({ error: "expected the app's numeric id" }).int().positive().optional(),
  HUBSPOT_API_BASE_URL: z.url({ error: 'expected a URL' }).default('https://api.hubapi.com'),
  HUBSPOT_AUTHORIZE_URL: z.url({ error: 'expected a URL' }).default('https://app.hubspot.com/oauth/authorize'),
  HUBSPOT_SCOPES: z
    .string()
    .regex(/^[\w.-]+( [\w.-]+)*$/, { error: 'expected scopes separated by spaces' })
    .default(DEFAULT_HUBSPOT_SCOPES),
  HUBSPOT_REQUESTS_PER_10S: z.coerce.number({ error: 'expected a number of requests' }).int().min(1).max(190).default(100),
  // Development only, refused in production: `hs project dev` proxies the card's calls to this
  // server signed over the localhost URL and naming no portal or user; these say whom such a call
  // acts for (server/card-api/card-caller.ts).
  HUBSPOT_DEV_PORTAL_ID: z.coerce.number({ error: "expected the HubSpot test account's numeric id" }).int().positive().optional(),
  HUBSPOT_DEV_USER_ID: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, { error: "expected the HubSpot user's numeric id" })
    .optional(),
  HUBSPOT_DEV_USER_EMAIL: z.email({ error: 'expected an email address' }).optional(),
  TOKEN_ENCRYPTION_KEYS: z
    .string()
    .regex(/^[\w-]+:[A-Za-z0-9+/]{43}=(,[\w-]+:[A-Za-z0-9+/]{43}=)*$/, {
      error: 'expected keyId:base64key pairs separated by commas, each key 32 bytes (openssl rand -base64 32); the first encrypts',
    })
    .optional(),
  SESSION_SECRET: z.string().min(32, { error: 'expected at least 32 random characters (openssl rand -base64 48)' }).optional(),
  OPERATOR_TOKEN: z.string().min(24, { error: 'expected at least 24 random characters' }).optional(),
  // The people who may sign in to the program console (server/console/), by the email of their
  // HubSpot user. Empty: nobody can, except the demo operator in demo mode.
  OPERATOR_EMAILS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((email) => email.trim().toLowerCase())
        .filter((email) => email !== ''),
    )
    .pipe(z.array(z.email({ error: 'expected email addresses separated by commas' })))
    .default([]),
  WEBHOOK_SWEEP_AFTER_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(1000).default(60_000),
  JOB_LOCK_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(1000).default(30_000),
  WORKER_CONCURRENCY: z.coerce.number({ error: 'expected a number of jobs' }).int().min(1).max(64).default(8),
  DEREGISTRATION_SWEEP_AFTER_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(200).default(60_000),
  // How often the workers' scheduled run ends expired claims and sends expiry reminders (workers/claim-expiry.ts).
  CLAIM_EXPIRY_EVERY_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(200).default(300_000),
  // GET /metrics (server/observability/metrics-endpoint.ts). Unset: the server answers it on its
  // own port and a worker on HOST:WORKER_METRICS_PORT (when set), both behind OPERATOR_TOKEN.
  // METRICS_BIND: every process answers it there instead, without a token (a private address).
  METRICS_BIND: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$/, { error: 'expected host:port, like 10.0.0.5:9464 or 127.0.0.1:0' })
    .transform((value) => {
      const colon = value.lastIndexOf(':');
      return { host: value.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(colon + 1)) };
    })
    .pipe(z.object({ host: z.string(), port: z.number().int().min(0).max(65535, { error: 'expected a port number' }) }))
    .optional(),
  WORKER_METRICS_PORT: port.optional(),
});

// Secrets that have a built-in value for the demo and for development, so that a fresh clone
// runs with no configuration. In production each must be set: the process refuses to start.
const DEVELOPMENT_SECRETS = {
  HUBSPOT_CLIENT_ID: 'demo-client-id',
  HUBSPOT_CLIENT_SECRET: 'demo-client-secret-not-for-production',
  HUBSPOT_APP_ID: 1000001,
  TOKEN_ENCRYPTION_KEYS: 'demo:ZGVtby1rZXktbm90LWZvci1wcm9kdWN0aW9uLXVzZSE=',
  SESSION_SECRET: 'demo-session-secret-not-for-production-use-only',
  OPERATOR_TOKEN: 'demo-operator-token-not-for-production',
} as const;

/** Whom card calls from `hs project dev` act for; development only. */
const DEV_CALLER_VARIABLES = ['HUBSPOT_DEV_PORTAL_ID', 'HUBSPOT_DEV_USER_ID', 'HUBSPOT_DEV_USER_EMAIL'] as const;

type ParsedConfig = z.infer<typeof configSchema>;
type SecretName = keyof typeof DEVELOPMENT_SECRETS;
export type AppConfig = Omit<ParsedConfig, SecretName> & { [K in SecretName]: NonNullable<ParsedConfig[K]> } & { publicUrl: string };

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
  const missingSecrets = (Object.keys(DEVELOPMENT_SECRETS) as SecretName[]).filter((name) => config[name] === undefined);
  if (config.NODE_ENV === 'production' && missingSecrets.length > 0) {
    throw new ConfigError(missingSecrets.map((name) => `${name}: must be set in production (it has a demo value only for development)`));
  }
  if (config.NODE_ENV === 'production' && !config.DATABASE_URL) {
    throw new ConfigError(['DATABASE_URL: must be set in production (without it the app would start the embedded demo database)']);
  }
  const devCallerSet = DEV_CALLER_VARIABLES.filter((name) => config[name] !== undefined);
  if (config.NODE_ENV === 'production' && devCallerSet.length > 0) {
    throw new ConfigError(devCallerSet.map((name) => `${name}: development only, unset it in production (there every card call names its portal and user, signed by HubSpot)`));
  }
  if ((config.HUBSPOT_DEV_PORTAL_ID === undefined) !== (config.HUBSPOT_DEV_USER_ID === undefined)) {
    throw new ConfigError(['HUBSPOT_DEV_PORTAL_ID, HUBSPOT_DEV_USER_ID: set both (the test account and your user in it, for hs project dev) or neither']);
  }
  if (config.REDIS_CLUSTER && !config.REDIS_KEY_PREFIX.startsWith('{')) {
    throw new ConfigError([
      `REDIS_KEY_PREFIX: on a Redis Cluster (REDIS_CLUSTER=true) it must start with a hash tag, like {${config.REDIS_KEY_PREFIX}}, so that each queue's keys share one slot (got "${config.REDIS_KEY_PREFIX}")`,
    ]);
  }
  const publicUrl = (config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`).replace(/\/$/, '');
  return { ...DEVELOPMENT_SECRETS, ...Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)), publicUrl } as AppConfig;
}

export const configVariableNames = Object.keys(configSchema.shape);

/** The variables that must be set in production (each has a demo value only for development). */
export const productionSecretNames = Object.keys(DEVELOPMENT_SECRETS);
