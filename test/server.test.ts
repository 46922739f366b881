import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server/start-server.js';
import { freePort, startTestServer, testEnvironment } from './support/server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the HTTP server', () => {
  it('is alive and ready when PostgreSQL and Redis answer', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'database', ok: true },
        { name: 'redis', ok: true },
      ],
    });
  });

  it('is not ready when Redis does not answer', async () => {
    const deadRedis = await startTestServer({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const ready = await fetch(`${deadRedis.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'not ready',
        checks: [
          { name: 'database', ok: true },
          { name: 'redis', ok: false },
        ],
      });
    } finally {
      await deadRedis.close();
    }
  });

  it('answers unknown paths with a problem document', async () => {
    const response = await fetch(`${server.url}/no/such/thing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'Nothing is served at GET /no/such/thing.' });
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await fetch(`${server.url}/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken": ' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'MALFORMED_JSON' });
  });

  it('refuses a body over 1 MB with 413', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(1024 * 1024) });
    const response = await fetch(`${server.url}/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('tags every answer with a request id, keeping a sane one the caller sent', async () => {
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'lb-1234' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-1234');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });
});

describe('the server process', () => {
  function runServer(env: Record<string, string>) {
    return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  it('stops at start with the name of a bad variable and what it expects', async () => {
    const child = runServer(testEnvironment({ PORT: 'eighty', DATABASE_POOL_SIZE: '0' }));
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(78);
    expect(stderr).toMatch(/PORT: expected a port number \(got "eighty"\)/);
    expect(stderr).toMatch(/DATABASE_POOL_SIZE: .*\(got "0"\)/);
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const port = await freePort();
    const child = runServer(testEnvironment({ PORT: String(port), LOG_LEVEL: 'info' }));
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await expect.poll(() => stdout.includes('"msg":"listening"'), { timeout: 20_000 }).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stdout).toMatch(/"msg":"shut down"/);
  });
});
