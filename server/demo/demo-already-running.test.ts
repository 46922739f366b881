import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDemoPidFile, demoAlreadyRunning, type DemoPlace } from './demo-already-running.js';

const listeners: net.Server[] = [];
afterEach(() => Promise.all(listeners.splice(0).map((server) => new Promise((resolve) => server.close(resolve)))));

async function takenPort(): Promise<number> {
  const server = net.createServer();
  listeners.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function placeOn(port: number): DemoPlace {
  return { host: '127.0.0.1', port, publicUrl: `http://127.0.0.1:${port}`, dataDir: path.join(mkdtempSync(path.join(tmpdir(), 'pc-demo-')), 'pglite') };
}

describe('a second npm start', () => {
  it('starts when nothing answers on the demo port', async () => {
    const port = await takenPort();
    await new Promise((resolve) => listeners.pop()!.close(resolve));
    expect(await demoAlreadyRunning(placeOn(port))).toBeNull();
  });

  it('names the running demo and how to stop it', async () => {
    const place = placeOn(await takenPort());
    const release = claimDemoPidFile(place);
    try {
      expect(await demoAlreadyRunning(place)).toBe(
        `Partner Capacity's demo is already running at ${place.publicUrl}/ (process ${process.pid}). Use that one, or stop it first: Ctrl+C in its terminal, or \`kill ${process.pid}\`.`,
      );
    } finally {
      release();
    }
  });

  it('says the port is taken by something else when no demo claimed it', async () => {
    const place = placeOn(await takenPort());
    expect(await demoAlreadyRunning(place)).toMatch(/^Port \d+ is taken by another program.*PORT=3001 npm start\.$/);
  });
});
