import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELETED, EMPTY_MIRROR, mergeMirror, type MirrorState, type MirrorUpdate } from './mirror-merge.js';

function applyAll(updates: MirrorUpdate[]): MirrorState {
  return updates.reduce((state, update) => mergeMirror(state, update).next, EMPTY_MIRROR);
}

describe('mergeMirror', () => {
  it('takes a newer value and ignores an older one', () => {
    const first = mergeMirror(EMPTY_MIRROR, { properties: { website: 'new.com' }, changedAt: 200 });
    expect(first.applied).toEqual(['website']);
    const older = mergeMirror(first.next, { properties: { website: 'old.com', company: 'Acme' }, changedAt: 100 });
    expect(older.applied).toEqual(['company']);
    expect(older.next.values).toEqual({ website: 'new.com', company: 'Acme' });
  });

  it('ignores properties the mirror does not keep', () => {
    expect(mergeMirror(EMPTY_MIRROR, { properties: { phone: '+46 8 123 456' }, changedAt: 1 }).applied).toEqual([]);
  });

  it('keeps the lead status, lifecycle stage and last activity newest-wins, property by property', () => {
    const first = mergeMirror(EMPTY_MIRROR, { properties: { hs_lead_status: 'UNQUALIFIED', notes_last_updated: '2026-10-01T09:00:00.000Z' }, changedAt: 300 });
    const stale = mergeMirror(first.next, { properties: { hs_lead_status: 'OPEN', lifecyclestage: 'lead', notes_last_updated: '2026-01-01T09:00:00.000Z' }, changedAt: 200 });
    expect(stale.applied).toEqual(['lifecyclestage']);
    expect(stale.next.values).toEqual({ hs_lead_status: 'UNQUALIFIED', lifecyclestage: 'lead', notes_last_updated: '2026-10-01T09:00:00.000Z' });
    const newer = mergeMirror(stale.next, { properties: { lifecyclestage: 'other' }, changedAt: 400 });
    expect(newer.next.values.lifecyclestage).toBe('other');
  });

  it('ends in the same state whatever order and however often updates arrive', () => {
    const update = fc.record({
      properties: fc.dictionary(
        fc.constantFrom('website', 'company', 'email', 'partner_capacity_register', 'hs_lead_status', 'notes_last_updated', DELETED),
        fc.option(fc.constantFrom('a', 'b', 'c', 'true', 'false'), { nil: null }),
        { maxKeys: 3 },
      ),
      changedAt: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 12 }), fc.func(fc.integer()), (updates, shuffleKey) => {
        const shuffled = [...updates, ...updates.slice(0, 3)]
          .map((u, i) => ({ u, k: shuffleKey(i) }))
          .sort((a, b) => a.k - b.k)
          .map(({ u }) => u);
        expect(applyAll(shuffled)).toEqual(applyAll(updates));
      }),
    );
  });
});
