// `npm run admin -- portals disconnect <portalId>` as a process, against the HubSpot fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../../test/support/admin-cli.js';
import { newPortalId, testDatabase } from '../../test/support/database.js';
import { hubspotProcess, installedPortal, startHubSpotRig, type HubSpotTestRig } from '../../test/support/hubspot.js';

const db = testDatabase(2);
let rig: HubSpotTestRig;
let app: ReturnType<typeof hubspotProcess>;
beforeAll(async () => {
  rig = await startHubSpotRig();
  app = hubspotProcess(rig, db);
});
afterAll(async () => {
  await app.close();
  await rig.stop();
  await db.$disconnect();
});

const admin = (...args: string[]) => runAdminCli({ ...rig.env, USER: 'tester' }, args);

describe('npm run admin -- portals disconnect', () => {
  it("revokes the portal's refresh token at HubSpot and marks the portal disconnected", async () => {
    const portalId = await installedPortal(rig, db, app.hubspot, { withAppProperties: false });
    rig.fake.requests.clear();
    expect(await admin('portals', 'disconnect', String(portalId))).toMatchObject({ code: 0, stdout: expect.stringContaining(`Portal ${portalId} disconnected`) });
    expect((await db.portal.findUniqueOrThrow({ where: { id: BigInt(portalId) } })).installState).toBe('disconnected');
    expect(rig.fake.requests.all({ kind: 'oauth' }).map((request) => [request.path, request.status])).toEqual([['/oauth/2026-03/token/revoke', 200]]);
  });

  it('says so when the portal is unknown', async () => {
    expect(await admin('portals', 'disconnect', String(newPortalId()))).toMatchObject({ code: 1, stderr: expect.stringContaining('No portal') });
  });
});
