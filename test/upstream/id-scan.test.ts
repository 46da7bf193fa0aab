/**
 * The documented-list walk that stands in for a missing by-id route: it stops as soon as every id is seen or
 * the list ends, and an id it could not reach is an error, never null.
 */
import { describe, expect, it } from 'vitest';
import type { PagedSource } from '../../src/domain/paging.ts';
import { isProblem } from '../../src/upstream/errors.ts';
import { findByIds, scanForIds } from '../../src/upstream/id-scan.ts';

/** `count` records `r0..`, `pageSize` a page; `withTotal` reports the total on every page; pages asked are kept. */
function list(count: number, pageSize: number, options: { withTotal?: boolean; failAt?: number } = {}) {
  const asked: number[] = [];
  const source: PagedSource<{ id: string }> = {
    pageSize,
    page: (index) => {
      asked.push(index);
      if (index === options.failAt) return Promise.reject(new Error(`page ${index} failed`));
      const items = Array.from({ length: Math.max(0, Math.min(pageSize, count - index * pageSize)) }, (_, i) => ({ id: `r${index * pageSize + i}` }));
      return Promise.resolve(options.withTotal ? { items, total: count } : { items });
    },
  };
  return { source, asked };
}
const idOf = (record: { id: string }) => record.id;

describe('scanForIds', () => {
  it('stops at the page holding the last id it wants', async () => {
    const { source, asked } = list(1000, 10);
    const found = await scanForIds(source, ['r3', 'r25'], idOf, { vendor: 'v' });
    expect([...found.keys()].sort()).toEqual(['r25', 'r3']);
    expect(asked).toEqual([0, 1, 2]);
  });

  it.each([
    ['a short last page', false, [0, 1, 2]],
    ['the reported total', true, [0, 1, 2]],
  ])('ends the walk at %s, leaving an absent id out (null to the caller)', async (_name, withTotal, pages) => {
    const { source, asked } = list(30, 10, { withTotal });
    const found = await scanForIds(source, ['r1', 'missing'], idOf, { vendor: 'v' });
    expect(found.has('missing')).toBe(false);
    // 30 records in pages of 10: without a total, the empty fourth page would be asked for; a total spares it.
    expect(asked).toEqual(withTotal ? pages : [0, 1, 2, 3]);
  });

  it('gives ids past maxPages an error saying so, never null', async () => {
    const { source, asked } = list(1000, 10);
    const found = await scanForIds(source, ['r5', 'r999'], idOf, { vendor: 'generic', maxPages: 4 });
    expect(found.get('r5')).toEqual({ id: 'r5' });
    const stopped = found.get('r999');
    expect(isProblem(stopped, 'call_budget_spent')).toBe(true);
    expect((stopped as Error).message).toMatch(/looked through 4 pages/);
    expect(asked).toEqual([0, 1, 2, 3]);
  });

  it('gives ids not yet seen the failed page its error, and keeps what was found before', async () => {
    const { source } = list(1000, 10, { failAt: 1 });
    const found = await scanForIds(source, ['r2', 'r50'], idOf, { vendor: 'v' });
    expect(found.get('r2')).toEqual({ id: 'r2' });
    expect((found.get('r50') as Error).message).toBe('page 1 failed');
  });
});

describe('findByIds', () => {
  const getter = () => {
    const got: string[] = [];
    return { got, getOne: (id: string) => (got.push(id), Promise.resolve(/^r\d+$/.test(id) && Number(id.slice(1)) < 1000 ? { id } : null)) };
  };

  it('reads the first page, then GETs the rest when they are no more than the pages left', async () => {
    const { source, asked } = list(1000, 10, { withTotal: true });
    const { got, getOne } = getter();
    const found = await findByIds(source, ['r1', 'r500', 'r900', 'r5000'], idOf, getOne, { vendor: 'v' });
    expect(asked).toEqual([0]);
    expect(got.sort()).toEqual(['r500', 'r5000', 'r900']);
    expect([...found.entries()].sort()).toEqual([['r1', { id: 'r1' }], ['r500', { id: 'r500' }], ['r5000', null], ['r900', { id: 'r900' }]]);
  });

  it('walks on from page 1 when the ids left outnumber the pages left, with no GETs', async () => {
    const { source, asked } = list(40, 10, { withTotal: true });
    const { got, getOne } = getter();
    const found = await findByIds(source, ['r11', 'r12', 'r25', 'r39', 'nobody'], idOf, getOne, { vendor: 'v' });
    expect(asked).toEqual([0, 1, 2, 3]);
    expect(got).toEqual([]);
    expect(found.get('r39')).toEqual({ id: 'r39' });
    expect(found.get('nobody')).toBeNull();
  });

  it('stops after one page when that page is the whole list', async () => {
    const { source, asked } = list(7, 10);
    const { got, getOne } = getter();
    const found = await findByIds(source, ['r3', 'r70'], idOf, getOne, { vendor: 'v' });
    expect(asked).toEqual([0]);
    expect(got).toEqual([]);
    expect(found.get('r70')).toBeNull();
  });
});
