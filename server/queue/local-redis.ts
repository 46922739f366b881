// Redis for `npm start` without configuration: the one at REDIS_URL if it answers; otherwise,
// for the default local URL, a `redis-server` started for this process when one is on the PATH.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisAnswers } from './redis.js';

export interface LocalRedis {
  url: string;
  /** The redis-server this process started, if it had to. */
  started: ChildProcess | null;
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function ensureRedis(url: string): Promise<LocalRedis> {
  if (await redisAnswers(url)) return { url, started: null, stop: async () => {} };

  const parsed = new URL(url);
  const isLocalDefault = ['127.0.0.1', 'localhost'].includes(parsed.hostname) && !parsed.password;
  if (!isLocalDefault) {
    throw new RedisUnavailableError(`Redis at ${url} does not answer. Start it, or point REDIS_URL at a Redis that runs.`);
  }
  if (!redisServerOnPath()) {
    throw new RedisUnavailableError(
      `No Redis answers at ${url} and redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis.`,
    );
  }
  const port = parsed.port || '6379';
  // A demo Redis keeps nothing on disk: queues are rebuilt from PostgreSQL, which keeps everything.
  const child = spawn('redis-server', ['--port', port, '--bind', parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname, '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await redisAnswers(url, 200)) {
      return {
        url,
        started: child,
        async stop() {
          child.kill('SIGTERM');
        },
      };
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`redis-server was started on port ${port} but did not answer. Is the port taken by something else?`);
}
