import { describe, expect, it } from 'vitest';
import type { HubSpotFake } from './index.js';
import { accountWithToken, clientFor, useFreshFake } from './test-support.js';

let fake: HubSpotFake;
useFreshFake((started) => (fake = started));

describe('GET /account-info/v3/details', () => {
  it("answers the token's account, with HubSpot's interface host (app.hubspot.com by default)", async () => {
    const { portalId, client } = accountWithToken(fake, ['oauth']);
    const answer = await client.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ portalId, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1', accountType: 'STANDARD' });
  });

  it('an EU-hosted account is on app-eu1.hubspot.com', async () => {
    const { portalId } = fake.accounts.create({ dataHostingLocation: 'eu1' });
    const token = fake.tokens.createPrivateAppToken(portalId, { scopes: ['oauth'] });
    const answer = await clientFor(fake, token).apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    expect(await answer.json()).toMatchObject({ portalId, uiDomain: 'app-eu1.hubspot.com', dataHostingLocation: 'eu1' });
  });

  it('refuses a request without a valid token (401)', async () => {
    const answer = await clientFor(fake, 'not-a-token').apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    expect(answer.status).toBe(401);
  });
});
