// Who the card's request is from: only the names HubSpot put in the signed URL, each once.
import { expect, test } from 'vitest';
import { cardCallerFrom } from './card-caller.js';

const APP_ID = 3_999_001;
const from = (query: string) => cardCallerFrom(new URL(`https://app.example.com/api/card/contacts/1?${query}`), APP_ID);

test('the portal and user HubSpot named', () => {
  expect(from(`locale=sv&portalId=123&userId=9&userEmail=ann%40agency.example&appId=${APP_ID}`)).toEqual({ ok: true, caller: { portalId: 123, userId: '9', userEmail: 'ann@agency.example' } });
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
