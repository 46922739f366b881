// Which PostgreSQL this process uses: DATABASE_URL when set; otherwise the embedded demo
// database, either the one another process of this app already serves on
// EMBEDDED_POSTGRES_PORT, or one started here.
import net from 'node:net';
import type { AppConfig } from '../config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

export interface ResolvedDatabase {
  url: string;
  /** Set when this process started the embedded database and must stop it. */
  embedded: EmbeddedPostgres | null;
}

function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function resolveDatabase(config: AppConfig): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  const port = config.EMBEDDED_POSTGRES_PORT;
  if (await portAnswers(port)) return { url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`, embedded: null };
  const embedded = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_POSTGRES_DIR, port });
  return { url: embedded.url, embedded };
}
