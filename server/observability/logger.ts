// Structured logs (pino, JSON lines): one logger per process, children per request or job.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger({ level, name }: { level: string; name: string }): Logger {
  return pino({
    name,
    level,
    // Never log secrets even if a caller passes a whole request or config object.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-hubspot-signature-v3"]', '*.password', '*.accessToken', '*.refreshToken'],
      censor: '[redacted]',
    },
  });
}
