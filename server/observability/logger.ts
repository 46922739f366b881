// Structured logs (pino, JSON lines): one logger per process, children per request or job.
// In a terminal during development (the demo), lines are printed readable instead (pino-pretty,
// a dev dependency: production, which runs without dev dependencies, always logs JSON).
import { createRequire } from 'node:module';
import { pino, type Logger, type TransportSingleOptions } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  name: string;
  /** Readable lines for a person at a terminal, when pino-pretty is installed. Off for JSON. */
  pretty?: boolean;
}

export function createLogger({ level, name, pretty = false }: LoggerOptions): Logger {
  return pino({
    name,
    level,
    // Never log secrets even if a caller passes a whole request or config object.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-hubspot-signature-v3"]', '*.password', '*.accessToken', '*.refreshToken'],
      censor: '[redacted]',
    },
    transport: pretty ? prettyTransport() : undefined,
  });
}

/** Whether this process talks to a person: stdout is a terminal and this is not production. */
export function wantsPrettyLogs(nodeEnv: string): boolean {
  return nodeEnv !== 'production' && process.stdout.isTTY === true;
}

function prettyTransport(): TransportSingleOptions | undefined {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname,req.headers,res.headers' } };
}
