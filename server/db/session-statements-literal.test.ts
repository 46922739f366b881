import fc from 'fast-check';
import { escapeLiteral } from 'pg';
import { describe, expect, it } from 'vitest';
import { quoteLiteral } from './session-statements.js';

describe('quoteLiteral', () => {
  it("quotes text exactly as pg's escapeLiteral does", () => {
    const text = fc.oneof(fc.string({ unit: fc.constantFrom("'", '\\', 'a', 'é', '"', ' ', '\n', '😀') }), fc.string(), fc.json());
    fc.assert(
      fc.property(text, (value) => {
        expect(quoteLiteral(value)).toBe(escapeLiteral(value));
      }),
      { numRuns: 2000 },
    );
    expect(quoteLiteral("it's a \\ path")).toBe(" E'it''s a \\\\ path'");
  });
});
