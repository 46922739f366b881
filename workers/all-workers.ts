// Every worker a worker process runs, one module per queue (plus periodic tasks).
import type { WorkerFactory } from './worker-context.js';

export const WORKERS: WorkerFactory[] = [];
