import * as assert from 'node:assert/strict';
import { pages, type PageData } from '../../../../src/core/tenant/paging';
import { DEFAULT_RETRY, parseRetryAfter, retryDelay } from '../../../../src/core/tenant/retry';

/** A list of `total` numbers served at most `cap` a page, recording each call. */
function list(total: number, cap: number, extra = 0) {
  const calls: [number, number][] = [];
  const fetch = async (start: number, rows: number): Promise<PageData<number>> => {
    calls.push([start, rows]);
    const items = Array.from({ length: Math.max(0, Math.min(rows + extra, cap, total - start)) }, (_, i) => start + i);
    return { items, totalCount: total };
  };
  return { calls, fetch };
}

async function all(iterable: AsyncIterable<{ items: readonly number[] }>): Promise<number[]> {
  const out: number[] = [];
  for await (const page of iterable) out.push(...page.items);
  return out;
}

describe('core/tenant/paging and retry', () => {
  it('advances by what a short page held (database-backed lists stop at 50)', async () => {
    const { calls, fetch } = list(120, 50);
    assert.deepEqual(await all(pages(fetch)), Array.from({ length: 120 }, (_, i) => i));
    assert.deepEqual(calls, [[0, 500], [50, 500], [100, 500]]);
  });

  it('clamps rows to 1-500 and never keeps more than asked when the tenant sends extra', async () => {
    const { calls, fetch } = list(2000, 10_000, 7);
    const items = await all(pages(fetch, { pageSize: 5000, limit: 600 }));
    assert.equal(items.length, 600);
    assert.deepEqual(calls, [[0, 500], [500, 100]]);
  });

  it('stops on an empty page even if totalCount promised more', async () => {
    const calls: number[] = [];
    const items = await all(pages(async (start) => {
      calls.push(start);
      return { items: start === 0 ? [1, 2] : [], totalCount: 10 };
    }));
    assert.deepEqual(items, [1, 2]);
    assert.deepEqual(calls, [0, 2]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('backs off exponentially within [cap/2, cap], capped', () => {
    for (let retry = 1; retry <= 10; retry++) {
      const cap = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (retry - 1));
      assert.equal(retryDelay(DEFAULT_RETRY, retry, undefined, () => 0), cap / 2);
      assert.equal(retryDelay(DEFAULT_RETRY, retry, undefined, () => 0.999999), Math.round(cap / 2 + (0.999999 * cap) / 2));
    }
    assert.equal(retryDelay(DEFAULT_RETRY, 1, 4000, () => 0.5), 4000);
  });
});
