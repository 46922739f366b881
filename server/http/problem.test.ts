// Errors thrown by routes become problem documents; an application error's kind decides the status.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { HubSpotDisconnectedError, HubSpotRequestError, HubSpotUnavailableError } from '../hubspot/hubspot-errors.js';
import { Problem, problemHandler } from './problem.js';

const thrown: Record<string, () => Error> = {
  disconnected: () => new HubSpotDisconnectedError(42, 'the install was revoked'),
  unavailable: () => new HubSpotUnavailableError('HubSpot did not complete the contact read.'),
  refused: () => new HubSpotRequestError(400, 'HubSpot refused the contact update: Property values were not valid.'),
  conflict: () => new AppError({ kind: 'conflict', code: 'JOB_RUNNING', message: 'The job is still running. Wait for it to finish.' }),
  problem: () => new Problem({ status: 418, code: 'TEAPOT', title: 'A teapot', detail: 'Brew coffee elsewhere.' }),
};

let baseUrl: string;
let server: ReturnType<express.Express['listen']>;
beforeAll(async () => {
  const app = express();
  app.get('/:name', (req) => {
    throw thrown[req.params.name]!();
  });
  app.use(problemHandler);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('problemHandler', () => {
  it.each([
    ['disconnected', 403, 'HUBSPOT_DISCONNECTED', /HubSpot account 42 no longer accepts the app's tokens/],
    ['unavailable', 503, 'HUBSPOT_UNAVAILABLE', /Try again in a moment\./],
    ['refused', 400, 'HUBSPOT_REFUSED', /Property values were not valid/],
    ['conflict', 409, 'JOB_RUNNING', /Wait for it to finish/],
    ['problem', 418, 'TEAPOT', /Brew coffee elsewhere/],
  ])('answers %s with %i and its code and sentence', async (name, status, code, detail) => {
    const response = await fetch(`${baseUrl}/${name}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status, code, detail: expect.stringMatching(detail) });
    expect(response.headers.get('retry-after')).toBe(status === 503 ? '30' : null);
  });
});
