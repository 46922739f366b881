import { describe, expect, it } from 'vitest';
import type { HubSpotFake } from './index.js';
import { accountWithToken, apiError, useFreshFake } from './test-support.js';

let fake: HubSpotFake;
useFreshFake((started) => (fake = started));

describe('the ten-secondly CRM rate limit', () => {
  it('answers the 111th request in the window with 429, HubSpot’s body and headers; headers on successes too', async () => {
    // The window is compressed; its size is HubSpot's.
    fake.configure({ crmRateLimit: { max: 110, windowMs: 3000 } });
    const { portalId, client } = accountWithToken(fake);
    const [contact] = fake.contacts.seed(portalId, [{ email: 'ada@example.com' }]);
    const started = Date.now();
    const remaining: string[] = [];
    for (let i = 0; i < 110; i++) {
      const answer = await client.crm.contacts.basicApi.getByIdWithHttpInfo(contact!.id);
      expect(answer.headers['x-hubspot-ratelimit-max']).toBe('110');
      expect(answer.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('3000');
      remaining.push(answer.headers['x-hubspot-ratelimit-remaining'] as string);
    }
    expect(remaining[0]).toBe('109');
    expect(remaining[109]).toBe('0');
    const refused = await apiError(client.crm.contacts.basicApi.getById(contact!.id));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(refused.code).toBe(429);
    expect(refused.body).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      correlationId: expect.any(String),
    });
    expect(refused.headers).toMatchObject({
      'x-hubspot-ratelimit-max': '110',
      'x-hubspot-ratelimit-remaining': '0',
      'x-hubspot-ratelimit-interval-milliseconds': '3000',
    });
    expect(fake.requests.peakInWindow(portalId)).toBe(111);
  });

  it('frees the allowance as the window rolls on', async () => {
    fake.configure({ crmRateLimit: { max: 3, windowMs: 300 } });
    const { client } = accountWithToken(fake);
    for (let i = 0; i < 3; i++) await client.crm.contacts.basicApi.getPage();
    expect((await apiError(client.crm.contacts.basicApi.getPage())).code).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });

  it('counts each account separately and records arrival times so a client’s pace can be checked', async () => {
    fake.configure({ crmRateLimit: { max: 2, windowMs: 10_000 } });
    const first = accountWithToken(fake);
    const second = accountWithToken(fake);
    await first.client.crm.contacts.basicApi.getPage();
    await first.client.crm.contacts.basicApi.getPage();
    await expect(second.client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
    expect((await apiError(first.client.crm.contacts.basicApi.getPage())).code).toBe(429);
    expect(fake.requests.timestamps(first.portalId)).toHaveLength(3);
    expect(fake.requests.timestamps(second.portalId)).toHaveLength(1);
    expect(fake.requests.all({ portalId: first.portalId }).map((request) => request.status)).toEqual([200, 200, 429]);
  });

  it('measures the busiest window of a paced client', async () => {
    const { portalId, client } = accountWithToken(fake);
    for (let i = 0; i < 6; i++) {
      await client.crm.contacts.basicApi.getPage();
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    // Six calls 40+ ms apart: never more than 3 in any 100 ms.
    expect(fake.requests.peakInWindow(portalId, { windowMs: 100 })).toBeLessThanOrEqual(3);
    expect(fake.requests.peakInWindow(portalId, { windowMs: 10_000 })).toBe(6);
  });

  it('refuses every CRM call during a 429 storm, then recovers', async () => {
    const { client } = accountWithToken(fake);
    fake.faults.rateLimitStorm(200);
    const refused = await apiError(client.crm.contacts.basicApi.getPage());
    expect(refused).toMatchObject({ code: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await expect(client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });
});

describe('injected faults', () => {
  it('answers the next N requests with the chosen 5xx, then normally', async () => {
    const { client } = accountWithToken(fake);
    fake.faults.failNext(2, { status: 503 });
    expect((await apiError(client.crm.contacts.basicApi.getPage())).code).toBe(503);
    const second = await apiError(client.crm.contacts.basicApi.getPage());
    expect(second).toMatchObject({ code: 503, body: { status: 'error', correlationId: expect.any(String) } });
    await expect(client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });

  it('never answers the next N requests, so a client must time out', async () => {
    const { token } = accountWithToken(fake);
    fake.faults.hangNext(1);
    const call = (timeoutMs: number) => fetch(`${fake.url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
    await expect(call(300)).rejects.toThrow(/aborted|timeout/i);
    expect((await call(2000)).status).toBe(200);
    expect(fake.requests.all().map((request) => request.fault ?? null)).toEqual(['hang', null]);
  });

  it('adds latency to every answer', async () => {
    const { client } = accountWithToken(fake);
    fake.faults.setLatency(150);
    const started = performance.now();
    await client.crm.contacts.basicApi.getPage();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('can aim a fault at one path', async () => {
    const { client } = accountWithToken(fake);
    fake.faults.failNext(1, { status: 500, pathPrefix: '/crm/v3/properties' });
    await expect(client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
    expect((await apiError(client.crm.properties.coreApi.getAll('contacts'))).code).toBe(500);
  });
});
