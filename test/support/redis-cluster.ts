// A Redis Cluster of the test's own: three master nodes (no replicas) on free ports, slots
// assigned by `redis-cli --cluster create`, nothing kept on disk. Stopped by pid at the end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisAnswers } from '../../server/queue/redis.js';
import { freePort } from './server.js';

export interface OwnRedisCluster {
  /** One node's URL: the client learns the others from it. */
  url: string;
  stop(): Promise<void>;
}

export async function startOwnRedisCluster(nodeCount = 3): Promise<OwnRedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pc-redis-cluster-'));
  const ports: number[] = [];
  const nodes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(async (node) => {
        if (node.exitCode !== null) return;
        const exited = once(node, 'exit');
        node.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < nodeCount; index += 1) {
      const port = await freePort();
      ports.push(port);
      nodes.push(
        spawn(
          'redis-server',
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            path.join(dir, `nodes-${port}.conf`),
            '--dir',
            dir,
            '--save',
            '',
            '--appendonly',
            'no',
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    for (const port of ports) {
      for (let attempt = 0; !(await redisAnswers(`redis://127.0.0.1:${port}`, 100)); attempt += 1) {
        if (attempt > 100) throw new Error(`redis-server on port ${port} did not start`);
        await sleep(50);
      }
    }
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    // Every node must agree the cluster is whole before clients use it.
    for (const port of ports) {
      for (let attempt = 0; !spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout.includes('cluster_state:ok'); attempt += 1) {
        if (attempt > 200) throw new Error(`the cluster node on port ${port} never reported cluster_state:ok`);
        await sleep(50);
      }
    }
    return { url: `redis://127.0.0.1:${ports[0]}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
