import { describe, expect, it } from 'vitest';
import { isFreeMailDomain, refusedAsFreeMail } from './free-mail-domains.js';
import { registrableDomainOf } from './registrable-domain.js';

describe('free-mail and internet-provider domains', () => {
  it.each([
    'gmail.com',
    'googlemail.com',
    'outlook.com',
    'hotmail.com',
    'live.com',
    'yahoo.com',
    'icloud.com',
    'gmx.de',
    'web.de',
    't-online.de',
    'telia.com',
    'comcast.net',
    'orange.fr',
  ])('%s is one', (domain) => {
    expect(isFreeMailDomain(domain)).toBe(true);
  });

  it.each(['northwind.example', 'volvo.se', 'hubspot.com', 'example.co.uk', 'acme.github.io'])('%s is not', (domain) => {
    expect(isFreeMailDomain(domain)).toBe(false);
  });

  it('is decided on the registrable domain a website gives', () => {
    const domain = registrableDomainOf('https://mail.Yahoo.com/') as { ok: true; domain: string };
    expect(domain).toEqual({ ok: true, domain: 'yahoo.com' });
    expect(isFreeMailDomain(domain.domain)).toBe(true);
  });

  it('refuses a listed domain unless the operator allowed it', () => {
    expect(refusedAsFreeMail('telia.com', new Set())).toBe(true);
    expect(refusedAsFreeMail('telia.com', new Set(['telia.com']))).toBe(false);
    expect(refusedAsFreeMail('volvo.se', new Set())).toBe(false);
  });
});
