import fc from 'fast-check';
import { getPublicSuffix } from 'tldts';
import { describe, expect, it } from 'vitest';
import { displayDomain, registrableDomainOf } from './registrable-domain.js';

describe('registrableDomainOf', () => {
  it.each([
    ['https://WWW.Shop.Example.co.uk/about', 'example.co.uk'],
    ['example.com', 'example.com'],
    ['www.example.com', 'example.com'],
    ['http://example.com:8080/path?q=1#top', 'example.com'],
    ['example.com:8080', 'example.com'],
    ['//example.com/x', 'example.com'],
    ['  https://example.com  ', 'example.com'],
    ['HTTPS://EXAMPLE.COM', 'example.com'],
    ['https://example.com.', 'example.com'],
    ['https://a.b.c.d.example.com.au/', 'example.com.au'],
    ['https://user:secret@example.org/', 'example.org'],
    ['https://bücher.de', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['https://BÜCHER.de/shop', 'xn--bcher-kva.de'],
    ['https://www.例え.jp', 'xn--r8jz45g.jp'],
    ['acme.github.io', 'acme.github.io'],
    ['https://docs.acme.github.io', 'acme.github.io'],
    ['shop.myshopify.com', 'shop.myshopify.com'],
  ])('%s → %s', (website, domain) => {
    expect(registrableDomainOf(website)).toEqual({ ok: true, domain });
  });

  it.each([
    [null, 'NO_WEBSITE'],
    [undefined, 'NO_WEBSITE'],
    ['', 'NO_WEBSITE'],
    ['   ', 'NO_WEBSITE'],
  ])('refuses a missing website (%j)', (website, code) => {
    expect(registrableDomainOf(website)).toMatchObject({ ok: false, code });
  });

  it.each([
    ['http://192.168.0.1', /IP address/],
    ['10.0.0.1:8080', /IP address/],
    ['http://[::1]/', /IP address/],
    ['localhost', /not a public domain name/],
    ['http://localhost:3000', /not a public domain name/],
    ['co.uk', /public suffix/],
    ['https://kommune.no', /public suffix/],
    ['github.io', /public suffix/],
    ['com', /not a public domain name/],
    ['acme.notarealtld', /not a known top-level domain/],
    ['not a website', /spaces/],
    ['mailto:jane@example.com', /mailto: address/],
    ['ftp://example.com', /ftp: address/],
    ['javascript:alert(1)', /javascript: address/],
    ['https://', /not a web address|no host/],
    ['http://exa mple.com', /spaces/],
    ['https://<script>.com', /characters/],
    ['https://-bad-.com', /not a valid host name|not a web address/],
    ['.', /no host name/],
    [`${'x'.repeat(3000)}.com`, /too long/],
  ])('refuses %s', (website, reason) => {
    const result = registrableDomainOf(website);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('INVALID_WEBSITE');
      expect(result.reason).toMatch(reason);
    }
  });
});

describe('registrableDomainOf, for any input', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/).filter((l) => !/^\d+$/.test(l) && l.slice(2, 4) !== '--');
  const suffix = fc.constantFrom('com', 'org', 'se', 'co.uk', 'com.au', 'de', 'io', 'nu', 'co.jp');
  const decoration = fc.record({
    scheme: fc.constantFrom('', 'http://', 'https://', 'HTTPS://', '//'),
    subdomains: fc.array(label, { maxLength: 3 }),
    www: fc.boolean(),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc.constantFrom('', '/', '/about', '/a/b?x=1', '#top', '/?q=a%20b'),
    upper: fc.boolean(),
    trailingDot: fc.boolean(),
    spaces: fc.boolean(),
  });

  it('finds label.suffix however the website is decorated', () => {
    fc.assert(
      fc.property(label, suffix, decoration, (name, tld, d) => {
        // Some short names are suffixes themselves (`a.se` is a Swedish county's): not this property's case.
        fc.pre(getPublicSuffix(`${name}.${tld}`, { allowPrivateDomains: true }) === tld);
        const host = [...(d.www ? ['www'] : []), ...d.subdomains, name, tld].join('.') + (d.trailingDot ? '.' : '');
        let website = `${d.scheme}${host}${d.port ? `:${d.port}` : ''}${d.path}`;
        if (d.upper) website = website.toUpperCase();
        if (d.spaces) website = `  ${website} `;
        expect(registrableDomainOf(website)).toEqual({ ok: true, domain: `${name}.${tld}` });
      }),
    );
  });

  it('is idempotent: a registered domain normalises to itself', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.domain()), (website) => {
        const first = registrableDomainOf(website);
        if (first.ok) expect(registrableDomainOf(first.domain)).toEqual(first);
      }),
    );
  });

  it('never throws, and always answers a lowercase ASCII domain or a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.webUrl(), fc.domain()), (website) => {
        const result = registrableDomainOf(website);
        if (result.ok) {
          expect(result.domain).toMatch(/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/);
          expect(result.domain).toContain('.');
        } else {
          expect(['NO_WEBSITE', 'INVALID_WEBSITE']).toContain(result.code);
          expect(result.reason.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('puts Unicode and punycode spellings of a domain in one form', () => {
    fc.assert(
      fc.property(fc.constantFrom('bücher', 'münchen', 'smörgås', 'ελληνικά', 'пример'), suffix, (name, tld) => {
        const unicode = registrableDomainOf(`https://${name}.${tld}`);
        expect(unicode.ok).toBe(true);
        if (unicode.ok) {
          expect(unicode.domain).toMatch(/^xn--/);
          expect(registrableDomainOf(unicode.domain)).toEqual(unicode);
          expect(displayDomain(unicode.domain)).toBe(`${name}.${tld}`);
        }
      }),
    );
  });
});
