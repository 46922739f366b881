import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HubSpotFake } from './index.js';
import { clientFor, startReceiver, useFreshFake } from './test-support.js';

let fake: HubSpotFake;
useFreshFake((started) => (fake = started));

async function control<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${fake.url}/_fake${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

describe('control API over HTTP (/_fake)', () => {
  it('sets up an account, contacts and a token that the real client can then use', async () => {
    const account = await control<{ portalId: number }>('POST', '/accounts', { portalId: 4242, name: 'Demo partner' });
    expect(account).toMatchObject({ status: 201, body: { portalId: 4242 } });
    const seeded = await control<Array<{ id: string }>>('POST', '/accounts/4242/contacts', { contacts: [{ email: 'demo@example.com', partner_tier: 'gold' }] });
    const token = await control<{ token: string }>('POST', '/tokens', { portalId: 4242 });
    const read = await clientFor(fake, token.body.token).crm.contacts.basicApi.getById(seeded.body[0]!.id, ['email', 'partner_tier']);
    expect(read.properties).toMatchObject({ email: 'demo@example.com', partner_tier: 'gold' });
  });

  it('acts as a user (edit, delete, restore, merge) and reads back the stored contacts', async () => {
    await control('POST', '/accounts', { portalId: 7 });
    const seeded = await control<Array<{ id: string }>>('POST', '/accounts/7/contacts', { contacts: [{ email: 'a@example.com' }, { email: 'b@example.com', company: 'B' }] });
    const [a, b] = seeded.body;
    expect((await control('PATCH', `/accounts/7/contacts/${a!.id}`, { properties: { firstname: 'Ann' } })).status).toBe(200);
    expect((await control('DELETE', `/accounts/7/contacts/${a!.id}`)).status).toBe(204);
    expect((await control<{ archived: boolean }>('GET', `/accounts/7/contacts/${a!.id}`)).body.archived).toBe(true);
    expect((await control<{ archived: boolean }>('POST', `/accounts/7/contacts/${a!.id}/restore`)).body.archived).toBe(false);
    const merged = await control<{ numberOfPropertiesMoved: number }>('POST', '/accounts/7/contacts/merge', { primaryId: a!.id, mergedId: b!.id });
    expect(merged.body.numberOfPropertiesMoved).toBe(1);
    const live = await control<Array<{ id: string; properties: Record<string, string> }>>('GET', '/accounts/7/contacts?live=true');
    expect(live.body).toHaveLength(1);
    expect(live.body[0]!.properties).toMatchObject({ firstname: 'Ann', company: 'B' });
  });

  it('registers an app, installs it, and drives webhooks, requests and faults', async () => {
    const receiver = await startReceiver();
    try {
      await control('POST', '/accounts', { portalId: 9 });
      const app = await control<{ appId: number; clientSecret: string; subscriptions: Array<{ id: number }> }>('POST', '/apps', {
        redirectUri: 'http://localhost/cb',
        webhookUrl: receiver.url,
        subscriptions: [{ subscriptionType: 'contact.propertyChange', propertyName: 'company' }],
      });
      const tokens = await control<{ access_token: string; hub_id: number }>('POST', `/apps/${app.body.appId}/installs/9`, {});
      expect(tokens.body.hub_id).toBe(9);

      const seeded = await control<Array<{ id: string }>>('POST', '/accounts/9/contacts', { contacts: [{ email: 'x@example.com' }] });
      await control('PATCH', `/accounts/9/contacts/${seeded.body[0]!.id}`, { properties: { company: 'Via HTTP' } });
      const event = {
        eventId: 1,
        subscriptionId: app.body.subscriptions[0]!.id,
        portalId: 9,
        appId: app.body.appId,
        occurredAt: 1,
        subscriptionType: 'contact.propertyChange',
        objectId: 5,
        propertyName: 'company',
        propertyValue: 'dup',
      };
      expect((await control('POST', '/webhooks/batches', { appId: app.body.appId, portalId: 9, events: [event], times: 2 })).status).toBe(202);
      expect(await control('POST', '/webhooks/idle')).toMatchObject({ status: 200, body: { idle: true } });
      expect(receiver.received).toHaveLength(3);
      const deliveries = await control<Array<{ status: number }>>('GET', `/webhooks/deliveries?appId=${app.body.appId}`);
      expect(deliveries.body.map((delivery) => delivery.status)).toEqual([204, 204, 204]);

      await control('POST', '/faults', { failNext: { count: 1, status: 502 } });
      const client = clientFor(fake, tokens.body.access_token);
      await expect(client.crm.contacts.basicApi.getPage()).rejects.toMatchObject({ code: 502 });
      await expect(client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
      const requests = await control<Array<{ status: number; portalId: number }>>('GET', '/requests?portalId=9');
      expect(requests.body.map((request) => request.status)).toEqual([502, 200]);
      const peak = await control<{ peak: number; timestamps: number[] }>('GET', '/requests/peak?portalId=9');
      expect(peak.body.timestamps).toHaveLength(2);

      await control('POST', '/tokens/expire', { token: tokens.body.access_token });
      await expect(client.crm.contacts.basicApi.getPage()).rejects.toMatchObject({ code: 401 });
    } finally {
      await receiver.stop();
    }
  });

  it('changes knobs and resets them', async () => {
    await control('POST', '/configure', { crmRateLimit: { max: 1 }, webhooks: { retryDelayMs: 5 }, batchUpdateMissing: 'batch-error' });
    expect(fake.settings.crmRateLimit).toEqual({ max: 1, windowMs: 10_000 });
    expect(fake.settings.webhooks.retryDelayMs(7)).toBe(5);
    expect(fake.settings.batchUpdateMissing).toBe('batch-error');
    await control('POST', '/reset');
    expect(fake.settings.crmRateLimit.max).toBe(110);
    expect(fake.settings.batchUpdateMissing).toBe('multi-status');
    expect((await control<unknown[]>('GET', '/accounts')).body).toEqual([]);
  });

  it('answers control mistakes with 4xx and a reason', async () => {
    expect(await control('POST', '/accounts/123/contacts', { contacts: [{ email: 'x' }] })).toMatchObject({ status: 404, body: { error: expect.stringContaining('123') } });
    expect(await control('POST', '/apps', { subscriptions: [{ subscriptionType: 'contact.propertyChange' }] })).toMatchObject({ status: 400 });
    expect((await control('GET', '/nope')).status).toBe(404);
  });
});

describe('standalone process (tsx test/hubspot-fake/main.ts)', () => {
  it('listens on HUBSPOT_FAKE_PORT (0 = any), prints its URL and stops on SIGTERM', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, HUBSPOT_FAKE_PORT: '0', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = output.match(/HUBSPOT_FAKE_URL=(\S+)/);
          if (match) resolve(match[1] as string);
        });
        child.once('exit', (code) => reject(new Error(`main.ts exited with ${code}: ${output}`)));
      });
      const created = await fetch(`${url}/_fake/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(created.status).toBe(201);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
