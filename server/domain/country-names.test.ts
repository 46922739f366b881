import { describe, expect, test } from 'vitest';
import { countryCodeOf, countryNameIn, otherCountryNames } from './country-names.js';

describe('countries as HubSpot gives them', () => {
  test('a stored name, alias or code is recognised in English or Swedish', () => {
    expect(countryCodeOf('Sweden')).toBe('SE');
    expect(countryCodeOf(' sverige ')).toBe('SE');
    expect(countryCodeOf('USA')).toBe('US');
    expect(countryCodeOf('DEU')).toBe('DE');
    expect(countryCodeOf('Narnia')).toBeNull();
    expect(countryCodeOf('')).toBeNull();
  });

  test("is shown in the reader's language; what is no country stays as stored", () => {
    expect(countryNameIn('Sweden', 'sv')).toBe('Sverige');
    expect(countryNameIn('Germany', 'sv')).toBe('Tyskland');
    expect(countryNameIn('Sverige', 'en')).toBe('Sweden');
    expect(countryNameIn('Narnia', 'sv')).toBe('Narnia');
  });

  test('a search term that is part of a country name also searches its other names', () => {
    expect(otherCountryNames('sverige')).toContain('sweden');
    expect(otherCountryNames('tyskland')).toContain('germany');
    expect(otherCountryNames('sweden')).toContain('sverige');
    // Too short, no country, or too many countries: left alone.
    expect(otherCountryNames('sv')).toEqual([]);
    expect(otherCountryNames('nordic')).toEqual([]);
    expect(otherCountryNames('land')).toEqual([]);
  });
});
