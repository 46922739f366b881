import { expect, test } from 'vitest';
import { planAutoRegisterPreview } from './preview-auto-register.js';

test('the rule registers new domains in arrival order until the capacity is full, then refuses them', () => {
  const plan = planAutoRegisterPreview({
    websites: ['https://one.se', 'www.one.se/contact', 'https://two.se', 'https://gmail.com', 'not a website', 'https://held.se', 'https://three.se'],
    activeDomains: new Set(['held.se']),
    remaining: 2,
  });
  expect(plan).toEqual({ contacts: 7, wouldRegister: 2, refusedForCapacity: 1, alreadyRegistered: 2, notRegistrable: 2, remainingNow: 2, remainingAfter: 0 });
});

test('a free-mail domain the program allows is registered like any other', () => {
  expect(planAutoRegisterPreview({ websites: ['https://gmail.com'], activeDomains: new Set(), remaining: 5, allowedFreeMailDomains: new Set(['gmail.com']) })).toMatchObject({
    wouldRegister: 1,
    remainingAfter: 4,
  });
});
