// Every answer of the operator API, from the real server and real deregistration workers, parses
// with its schema in operator-contract.ts (strict), in the states an operator meets: a job that
// failed (HubSpot refused its contact updates until its one attempt ran out), retried, finished,
// listed and undone.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STEP_JOB_NAME, stepJobId } from '../deregistrations/deregistration-queue.js';
import type { RunningServer } from '../start-server.js';
import { startDeregistrationRig, type DeregistrationRig } from '../../test/support/deregistration-rig.js';
import { startTestServer } from '../../test/support/server.js';
import { parseAnswer, parseProblem } from '../api-docs/testing/parse-answer.js';
import {
  operatorDeregistrationAnswerSchema,
  operatorJobDetailsAnswerSchema,
  operatorJobListAnswerSchema,
  operatorRetryAnswerSchema,
  operatorUndoAnswerSchema,
} from './operator-contract.js';

const TOKEN = 'operator-token-for-the-contract-tests-0123';
let rig: DeregistrationRig;
let server: RunningServer;

beforeAll(async () => {
  rig = await startDeregistrationRig({ env: { OPERATOR_TOKEN: TOKEN } });
  server = await startTestServer(rig.env);
});
afterAll(async () => {
  await server?.close();
  await rig?.stop();
});

function operatorFetch(path: string, { method = 'GET', body }: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const details = async (jobId: string) => parseAnswer(await operatorFetch(`/operator/deregistrations/${jobId}`), 200, operatorJobDetailsAnswerSchema);

describe('the operator API answers as its contract says', () => {
  test('request, fail, details, retry, list, undo', async () => {
    const { portalId, registrationIds } = await rig.portalWithRegistrations(3);
    rig.hubspotRig.fake.faults.failNext(10_000, { status: 503, pathPrefix: '/crm/v3/objects/contacts/batch/update' });
    const requested = await parseAnswer(
      await operatorFetch('/operator/deregistrations', {
        method: 'POST',
        body: { portalId, selection: { kind: 'registrations', registrationIds: [...registrationIds, 'nonsense'] } },
      }),
      202,
      operatorDeregistrationAnswerSchema,
    );
    expect(requested).toMatchObject({ job: { total: 3, channel: 'operator' }, notFound: ['nonsense'] });
    // Arrangement: the job's step gets a single attempt (the queue's default is eight, with
    // backoff), before any worker runs, so that it fails while HubSpot refuses.
    const jobId = requested.job.id;
    await (await rig.queues.deregistrations.getJob(stepJobId(jobId, 0)))!.remove();
    await rig.queues.deregistrations.add(STEP_JOB_NAME, { deregistrationJobId: jobId, portalId }, { jobId: stepJobId(jobId, 0), attempts: 1 });
    await rig.startWorkers();

    await expect.poll(async () => (await details(jobId)).job.status, { timeout: 30_000 }).toBe('failed');
    expect((await details(jobId)).job.error).toEqual(expect.any(String));

    rig.hubspotRig.fake.faults.clear();
    const retried = await parseAnswer(await operatorFetch(`/operator/deregistrations/${jobId}/retry`, { method: 'POST' }), 200, operatorRetryAnswerSchema);
    expect(retried.job.status).toBe('queued');
    await expect.poll(async () => (await details(jobId)).job.status, { timeout: 30_000 }).toBe('completed');
    expect(await details(jobId)).toMatchObject({ items: { deregistered: 3 }, contacts: { written: 3 }, problems: [] });

    const listed = await parseAnswer(await operatorFetch(`/operator/deregistrations?portalId=${portalId}&status=completed&limit=10`), 200, operatorJobListAnswerSchema);
    expect(listed.jobs.map((job) => job.id)).toEqual([jobId]);

    const undone = await parseAnswer(
      await operatorFetch(`/operator/deregistrations/${jobId}/undo`, { method: 'POST', body: { requestedBy: 'ops@example.com' } }),
      200,
      operatorUndoAnswerSchema,
    );
    expect(undone.reregistered).toHaveLength(3);
  });

  test('errors are problem documents: invalid input, unknown job, not retryable, no token', async () => {
    await parseProblem(await operatorFetch('/operator/deregistrations', { method: 'POST', body: { portalId: 'x', selection: { kind: 'all' } } }), 400, 'INVALID_REQUEST');
    await parseProblem(await operatorFetch('/operator/deregistrations?limit=501'), 400, 'INVALID_REQUEST');
    await parseProblem(await operatorFetch('/operator/deregistrations/no-such-job'), 404, 'JOB_NOT_FOUND');
    await parseProblem(await operatorFetch('/operator/deregistrations/no-such-job/retry', { method: 'POST' }), 404, 'JOB_NOT_FOUND');
    const anonymous = await fetch(`${server.url}/operator/deregistrations`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
