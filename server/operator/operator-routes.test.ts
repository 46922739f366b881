import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../start-server.js';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { startTestServer } from '../../test/support/server.js';
import type { DeregistrationRequestAnswer } from '../capacity-manager/capacity-manager-contract.js';
import type { OperatorJobDetailsAnswer, OperatorJobListAnswer } from './operator-contract.js';
import { QUEUE_NAMES } from '../queue/queues.js';

const TOKEN = 'operator-token-for-the-tests-0123456789';
let rig: DeregistrationRig;
let server: RunningServer;

beforeAll(async () => {
  rig = await startDeregistrationRig({ env: { OPERATOR_TOKEN: TOKEN } });
  server = await startTestServer(rig.env);
  await rig.startWorkers();
});
afterAll(async () => {
  await server.close();
  await rig.stop();
});

// The answers' shapes are the contract's (operator-contract.test.ts proves the server keeps to it).
const json = async <Answer = Record<string, unknown>>(response: Response): Promise<Answer> => (await response.json()) as Answer;

function operatorFetch(path: string, init: RequestInit & { token?: string | null } = {}) {
  const { token = TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  if (rest.body) headers.set('content-type', 'application/json');
  return fetch(`${server.url}${path}`, { ...rest, headers });
}

describe('the operator API', () => {
  it.each([
    ['no token', null],
    ['a wrong token', 'operator-token-for-the-tests-0123456780'],
    ['a short token', 'x'],
  ])('refuses requests with %s, and changes nothing', async (_what, token) => {
    const { portalId } = await rig.portalWithRegistrations(3);
    for (const [method, path] of [
      ['GET', '/operator/deregistrations'],
      ['POST', '/operator/deregistrations'],
      ['GET', '/operator/queues'],
    ] as const) {
      const response = await operatorFetch(path, { method, token, ...(method === 'POST' ? { body: JSON.stringify({ portalId, selection: { kind: 'all' } }) } : {}) });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(response.headers.get('www-authenticate')).toMatch(path === '/operator/queues' ? /^Basic/ : /^Bearer/);
    }
    expect(await rig.db.deregistrationJob.count({ where: { portalId: BigInt(portalId) } })).toBe(0);
  });

  it('requests a job, answers at once with its id, and shows its progress and record', async () => {
    const { portalId, registrationIds } = await rig.portalWithRegistrations(150);
    const response = await operatorFetch('/operator/deregistrations', {
      method: 'POST',
      body: JSON.stringify({ portalId, selection: { kind: 'registrations', registrationIds: [...registrationIds, '999999999999', 'nonsense'] }, requestedBy: 'ops@example.com' }),
    });
    expect(response.status).toBe(202);
    const { job, notFound } = await json<DeregistrationRequestAnswer>(response);
    expect(job).toMatchObject({ portalId, total: 150, requestedBy: 'ops@example.com', channel: 'operator' });
    expect(notFound).toEqual(['999999999999', 'nonsense']);
    expect(response.headers.get('location')).toBe(`/operator/deregistrations/${job.id}`);

    await expect
      .poll(async () => (await json<OperatorJobDetailsAnswer>(await operatorFetch(`/operator/deregistrations/${job.id}`))).job.status, { timeout: 20_000 })
      .toBe('completed');
    const details = await json<OperatorJobDetailsAnswer>(await operatorFetch(`/operator/deregistrations/${job.id}`));
    expect(details).toMatchObject({
      job: { done: 150, total: 150, failed: 0 },
      chunks: { pending: 0, deregistered: 0, written: 2 },
      items: { deregistered: 150, skipped: 0, pending: 0 },
      contacts: { written: 150 },
      problems: [],
    });
    const list = await json<OperatorJobListAnswer>(await operatorFetch(`/operator/deregistrations?portalId=${portalId}`));
    expect(list.jobs.map((listed) => listed.id)).toEqual([job.id]);
  });

  it('answers a request that selects nothing active with a problem that says so', async () => {
    const { portalId } = await rig.portalWithRegistrations(1);
    const response = await operatorFetch('/operator/deregistrations', {
      method: 'POST',
      body: JSON.stringify({ portalId, selection: { kind: 'search', search: 'no-such-domain' } }),
    });
    expect(response.status).toBe(409);
    expect(await json(response)).toMatchObject({ code: 'NOTHING_TO_DEREGISTER', detail: expect.stringMatching(/No active registration matches "no-such-domain"/) });
    const invalid = await operatorFetch('/operator/deregistrations', { method: 'POST', body: JSON.stringify({ portalId, selection: { kind: 'everything' } }) });
    expect(invalid.status).toBe(400);
    expect(await json(invalid)).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('retries only failed jobs', async () => {
    const { portalId } = await rig.portalWithRegistrations(2);
    const { job } = await json<DeregistrationRequestAnswer>(
      await operatorFetch('/operator/deregistrations', { method: 'POST', body: JSON.stringify({ portalId, selection: { kind: 'all' } }) }),
    );
    await expect
      .poll(async () => (await json<OperatorJobDetailsAnswer>(await operatorFetch(`/operator/deregistrations/${job.id}`))).job.status, { timeout: 20_000 })
      .toBe('completed');
    const response = await operatorFetch(`/operator/deregistrations/${job.id}/retry`, { method: 'POST' });
    expect(response.status).toBe(409);
    expect(await json(response)).toMatchObject({ code: 'NOT_RETRYABLE' });
  });

  it('serves the queue dashboard for every queue to the operator, in a browser too', async () => {
    const basic = `Basic ${Buffer.from(`anyone:${TOKEN}`).toString('base64')}`;
    const page = await fetch(`${server.url}/operator/queues`, { headers: { authorization: basic } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await operatorFetch('/operator/queues/api/queues?activeQueue=deregistrations&page=1&jobsPerPage=10');
    expect(api.status).toBe(200);
    const names = (await json<{ queues: Array<{ name: string }> }>(api)).queues.map((queue) => queue.name).sort();
    expect(names).toEqual(Object.values(QUEUE_NAMES).sort());
  });
});
