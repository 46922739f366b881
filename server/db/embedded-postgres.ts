// PostgreSQL for the demo, with nothing to install: PGlite (PostgreSQL compiled to WASM)
// served on a local port through pglite-socket, so the app connects to it with the same `pg`
// driver it uses for a real server. Data lives in a folder, so a restart keeps it.
//
// PGlite runs one query at a time; pglite-socket multiplexes several client connections onto
// it. That is plenty for a demo and never meant for production (set DATABASE_URL there).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  host?: string;
  maxConnections?: number;
}

export async function startEmbeddedPostgres({ dataDir, port, host = '127.0.0.1', maxConnections = 20 }: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const absoluteDir = path.resolve(dataDir);
  await mkdir(absoluteDir, { recursive: true });
  const db = await PGlite.create(absoluteDir);
  const server = new PGLiteSocketServer({ db, port, host, maxConnections });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${port} is taken, so the embedded PostgreSQL cannot start. Stop the other demo, or set EMBEDDED_POSTGRES_PORT to a free port.`);
    }
    throw error;
  }
  return {
    url: `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
