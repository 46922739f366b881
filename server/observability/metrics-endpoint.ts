// GET /metrics: this process's metrics (metrics.ts) in Prometheus' text format, never open to
// anyone who can reach the app. Two ways to protect it (README, "Metrics"):
//
// - by default the server answers it on its own port, and a worker (when WORKER_METRICS_PORT is
//   set) on a small listener of its own at HOST:WORKER_METRICS_PORT; both ask for the operator's
//   bearer token (OPERATOR_TOKEN), like the operator API;
// - with METRICS_BIND (`host:port`, typically a private interface) every process answers it on a
//   listener of its own at that address, without a token: the address is the protection. The
//   server's public port then does not serve it at all.
import type { AddressInfo } from 'node:net';
import express, { Router, type RequestHandler } from 'express';
import type { AppConfig } from '../config/config.js';
import { notFound, problemHandler } from '../http/problem.js';
import { requireOperator } from '../operator/operator-auth.js';
import type { ProcessRole } from '../runtime/dependencies.js';
import { renderMetrics, type ProgramStateSource } from './metrics.js';

export const METRICS_PATH = '/metrics';

function serveMetrics(source: ProgramStateSource): RequestHandler {
  return async (_req, res) => {
    const { contentType, body } = await renderMetrics(source);
    res.setHeader('Cache-Control', 'no-store');
    res.type(contentType).send(body);
  };
}

/** The route on the server's own port: behind the operator token, and absent when METRICS_BIND moves metrics elsewhere. */
export function metricsRoutes(deps: ProgramStateSource & { config: Pick<AppConfig, 'OPERATOR_TOKEN' | 'METRICS_BIND'> }): Router {
  const router = Router();
  if (!deps.config.METRICS_BIND) router.get(METRICS_PATH, requireOperator(deps.config.OPERATOR_TOKEN), serveMetrics(deps));
  return router;
}

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * The separate listener a process opens for its metrics, if any: METRICS_BIND for every role
 * (no token), else HOST:WORKER_METRICS_PORT for a worker (with the token).
 */
export async function startMetricsListener(
  role: ProcessRole,
  source: ProgramStateSource & { config: Pick<AppConfig, 'HOST' | 'OPERATOR_TOKEN' | 'METRICS_BIND' | 'WORKER_METRICS_PORT'> },
): Promise<MetricsListener | null> {
  const { config } = source;
  const bind = config.METRICS_BIND ?? (role === 'worker' && config.WORKER_METRICS_PORT !== undefined ? { host: config.HOST, port: config.WORKER_METRICS_PORT } : null);
  if (!bind) return null;
  const app = express();
  app.disable('x-powered-by');
  const guard: RequestHandler[] = config.METRICS_BIND ? [] : [requireOperator(config.OPERATOR_TOKEN)];
  app.get(METRICS_PATH, ...guard, serveMetrics(source));
  app.use(notFound);
  app.use(problemHandler);
  const server = app.listen(bind.port, bind.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`The metrics address ${bind.host}:${bind.port} is taken. Give each process its own (METRICS_BIND, WORKER_METRICS_PORT), or 0 for any free port.`)
          : error,
      ),
    );
  });
  const { port } = server.address() as AddressInfo;
  const host = bind.host === '0.0.0.0' ? '127.0.0.1' : bind.host.includes(':') ? `[${bind.host}]` : bind.host;
  return {
    url: `http://${host}:${port}${METRICS_PATH}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
