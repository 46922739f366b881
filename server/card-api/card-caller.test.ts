// Who the card's request is from: only the names HubSpot put in the signed URL, each once; in the
// development mode, also a call HubSpot's local dev proxy signed over the localhost URL.
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { signRequest } from '../../test/hubspot-fake/signing.js';
import { loadConfig } from '../config/config.js';
import { problemHandler } from '../http/problem.js';
import { cardCallerFrom, cardCallerOf, verifyCardRequest } from './card-caller.js';

const APP_ID = 3_999_001;
const from = (query: string) => cardCallerFrom(new URL(`https://app.example.com/api/card/contacts/1?${query}`), APP_ID);

test('the portal and user HubSpot named', () => {
  expect(from(`locale=sv&portalId=123&userId=9&userEmail=ann%40agency.example&appId=${APP_ID}`)).toEqual({
    ok: true,
    caller: { portalId: 123, userId: '9', userEmail: 'ann@agency.example' },
  });
  expect(from('portalId=123&userId=9')).toEqual({ ok: true, caller: { portalId: 123, userId: '9', userEmail: null } });
});

test('refused: a name given twice, a missing portal or user, another app', () => {
  expect(from('portalId=1&portalId=2&userId=9').ok).toBe(false);
  expect(from('portalId=1&userId=9&userId=10').ok).toBe(false);
  expect(from('userId=9').ok).toBe(false);
  expect(from('portalId=abc&userId=9').ok).toBe(false);
  expect(from('portalId=1').ok).toBe(false);
  expect(from('portalId=1&userId=9&appId=42').ok).toBe(false);
});

describe('verifyCardRequest', () => {
  const PUBLIC_URL = 'https://partner-capacity.test';
  const SECRET = 'card-caller-test-secret';
  let server: Server;
  let localUrl: string;
  const logs: Array<Record<string, unknown>> = [];

  async function start(env: Record<string, string> = {}) {
    const config = loadConfig({ PUBLIC_URL, HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: String(APP_ID), ...env });
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write: (line, _encoding, done) => {
          logs.push(JSON.parse(String(line)));
          done();
        },
      }),
    );
    const app = express();
    app.get('/api/card/who', verifyCardRequest({ config, logger }), (_req, res) => void res.json(cardCallerOf(res)));
    app.use(problemHandler);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Calls `path` on the local server, signed over `signedUrl` (what HubSpot or its dev proxy called). */
  async function call(signedUrl: string, path = new URL(signedUrl).pathname + new URL(signedUrl).search) {
    const headers = signRequest({ method: 'GET', url: signedUrl, body: '', clientSecret: SECRET });
    const answer = await fetch(`${localUrl}${path}`, { headers: { ...headers } });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  }

  const checks = () => logs.filter((record) => record.msg === 'card request signature checked').map(({ verifiedUrl, outcome, level }) => ({ verifiedUrl, outcome, level }));

  afterEach(async () => {
    logs.length = 0;
    await new Promise((resolve) => server.close(resolve));
  });

  test('logs at debug level the URL it verified and the outcome', async () => {
    await start();
    const signed = `${PUBLIC_URL}/api/card/who?portalId=123&userId=9`;
    expect(await call(signed)).toEqual({ status: 200, body: { portalId: 123, userId: '9', userEmail: null } });
    expect(await call(`${PUBLIC_URL}/api/card/who?portalId=999&userId=9`, '/api/card/who?portalId=123&userId=9')).toMatchObject({
      status: 401,
      body: { code: 'SIGNATURE_INVALID' },
    });
    expect(checks()).toEqual([
      { verifiedUrl: signed, outcome: 'valid', level: 20 },
      { verifiedUrl: signed, outcome: expect.stringMatching(/signature/), level: 20 },
    ]);
  });

  test("outside the development mode, the localhost URL HubSpot's dev proxy signs is not accepted", async () => {
    await start();
    expect(await call(`${localUrl}/api/card/who`)).toMatchObject({ status: 401, body: { code: 'SIGNATURE_INVALID' } });
    expect(checks().map(({ verifiedUrl }) => verifiedUrl)).toEqual([`${PUBLIC_URL}/api/card/who`]);
  });

  test('in the development mode, a signed localhost call naming nobody acts for the configured portal and user', async () => {
    await start({ HUBSPOT_DEV_PORTAL_ID: '4242', HUBSPOT_DEV_USER_ID: '77', HUBSPOT_DEV_USER_EMAIL: 'dev@agency.example' });
    expect(await call(`${localUrl}/api/card/who`)).toEqual({ status: 200, body: { portalId: 4242, userId: '77', userEmail: 'dev@agency.example' } });
    expect(checks()).toEqual([
      { verifiedUrl: `${PUBLIC_URL}/api/card/who`, outcome: expect.stringMatching(/signature/), level: 20 },
      { verifiedUrl: `${localUrl}/api/card/who`, outcome: 'valid', level: 20 },
    ]);
    // A call that names its caller is still taken at its word only when signed; the dev caller is not forced on it.
    expect(await call(`${PUBLIC_URL}/api/card/who?portalId=5&userId=6`)).toEqual({ status: 200, body: { portalId: 5, userId: '6', userEmail: null } });
    // Unsigned is refused in the development mode too.
    expect((await fetch(`${localUrl}/api/card/who`)).status).toBe(401);
  });
});
