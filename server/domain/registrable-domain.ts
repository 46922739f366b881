// A contact's website → the registrable domain that a registration claims.
//
// `https://WWW.Shop.Example.co.uk:8443/about` → `example.co.uk`. The registrable domain is the
// public suffix plus one label, taken from the Public Suffix List (tldts), never by cutting
// strings: `co.uk`, `com.au` and `github.io` are suffixes, so `acme.github.io` is a prospect of
// its own. Domains are kept in one form only: lowercase ASCII, IDN as punycode
// (`bücher.de` → `xn--bcher-kva.de`); `displayDomain` turns one back into Unicode for people.
import { domainToUnicode } from 'node:url';
import { parse } from 'tldts';

export type WebsiteRefusalCode = 'NO_WEBSITE' | 'INVALID_WEBSITE';

export type RegistrableDomainResult = { ok: true; domain: string } | { ok: false; code: WebsiteRefusalCode; reason: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const WEB_SCHEMES = new Set(['http', 'https']);
// Anything that cannot be part of a URL typed into a Website property: whitespace inside,
// control characters, or characters URL parsing would silently percent-encode into the host.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const FORBIDDEN = /[\s\u0000-\u001f\u007f<>"{}|\\^`]/u;
const MAX_WEBSITE_LENGTH = 2048;

function invalid(reason: string): RegistrableDomainResult {
  return { ok: false, code: 'INVALID_WEBSITE', reason };
}

function hostnameOf(website: string): string | RegistrableDomainResult {
  const scheme = SCHEME.exec(website)?.[1]?.toLowerCase();
  // `example.com:8080` also matches the scheme pattern; a "scheme" made only of a host is not one.
  const hasScheme = scheme !== undefined && website.slice(scheme.length).startsWith('://');
  if (hasScheme && !WEB_SCHEMES.has(scheme)) return invalid(`it is a ${scheme}: address, not a website`);
  if (!hasScheme && scheme !== undefined && ['mailto', 'tel', 'javascript', 'data', 'ftp', 'file'].includes(scheme)) {
    return invalid(`it is a ${scheme}: address, not a website`);
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? website : `http://${website.replace(/^\/\//, '')}`);
  } catch {
    return invalid('it is not a web address');
  }
  return url.hostname;
}

/** The registrable domain of a website value, or why it has none. Never throws. */
export function registrableDomainOf(website: string | null | undefined): RegistrableDomainResult {
  const value = (website ?? '').trim();
  if (value === '') return { ok: false, code: 'NO_WEBSITE', reason: 'the contact has no website' };
  if (value.length > MAX_WEBSITE_LENGTH) return invalid('it is too long to be a web address');
  if (FORBIDDEN.test(value)) return invalid('it contains spaces or characters a web address cannot have');

  const hostname = hostnameOf(value);
  if (typeof hostname !== 'string') return hostname;
  // URL parsing has already lowercased the host and turned IDN into punycode.
  const host = hostname.replace(/\.+$/, '');
  if (host === '') return invalid('it has no host name');
  if (host.startsWith('[') || /^[\d.]+$/.test(host)) return invalid('it is an IP address, not a domain');
  if (!host.includes('.')) return invalid(`"${host}" is not a public domain name`);

  const parsed = parse(host, { allowPrivateDomains: true });
  if (parsed.isIp) return invalid('it is an IP address, not a domain');
  if (parsed.hostname === null) return invalid('it is not a valid host name');
  if (!parsed.isIcann && !parsed.isPrivate) return invalid(`".${parsed.publicSuffix}" is not a known top-level domain`);
  if (parsed.domain === null) return invalid(`"${host}" is a public suffix, not a domain someone can own`);
  return { ok: true, domain: parsed.domain };
}

/** A registered domain as people read it (punycode back to Unicode). */
export function displayDomain(domain: string): string {
  return domainToUnicode(domain) || domain;
}
