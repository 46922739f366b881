// A redis-server of the test's own, on its own port, that the test can stop and start again
// (by pid) to prove that a Redis restart loses nothing. It keeps nothing on disk, like ours.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisAnswers } from '../../server/queue/redis.js';
import { freePort } from './server.js';

export interface OwnRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  async function start() {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (await redisAnswers(url, 100)) return;
      await sleep(50);
    }
    throw new Error(`redis-server on port ${port} did not start`);
  }

  async function stop() {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    child = null;
  }

  await start();
  return { url, stop, start };
}
