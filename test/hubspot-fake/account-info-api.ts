// The Account Information API: `GET /account-info/v3/details` (scope `oauth`), the account
// behind the token. The app reads `uiDomain` from it to link to records in HubSpot's interface.
// Shape from developers.hubspot.com/docs/api-reference/account-account-info-v3/details/get-account-info-v3-details
// (example: `"dataHostingLocation": "eu1"`, `"uiDomain": "app-eu1.hubspot.com"`).
import { Router, type Request, type Response } from 'express';
import { authOf, requireToken } from './auth.js';
import type { FakeState } from './state.js';

const UI_DOMAINS = { na1: 'app.hubspot.com', eu1: 'app-eu1.hubspot.com' } as const;

export function accountInfoRouter(state: FakeState): Router {
  const router = Router();
  router.get('/details', requireToken(state, 'oauth'), (_req: Request, res: Response) => {
    const account = state.requireAccount(authOf(res).portalId);
    res.json({
      portalId: account.portalId,
      accountType: 'STANDARD',
      timeZone: 'Europe/Stockholm',
      companyCurrency: 'SEK',
      additionalCurrencies: [],
      utcOffset: '+01:00',
      utcOffsetMilliseconds: 3_600_000,
      uiDomain: UI_DOMAINS[account.dataHostingLocation],
      dataHostingLocation: account.dataHostingLocation,
    });
  });
  return router;
}
