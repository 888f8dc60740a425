/**
 * Paging over N-MDM list calls: `rows` (1-500) and a 0-based `start`; `offset` misbehaves and is
 * not used (DOMAIN.md §4). A page may hold fewer rows than asked (database-backed lists stop at
 * 50), so the next start is what was received, and the walk ends at `totalCount`.
 */

export interface PageData<T> {
  readonly items: readonly T[];
  readonly totalCount: number;
  readonly facets?: Record<string, unknown> | undefined;
}

export interface Page<T> extends PageData<T> {
  /** The `start` this page was fetched with. */
  readonly start: number;
}

export type PageFetcher<T> = (start: number, rows: number, signal?: AbortSignal) => Promise<PageData<T>>;

export interface PagingOptions {
  /** Rows asked per call, 1-500; default 500. */
  readonly pageSize?: number;
  /** Where to begin; default 0. */
  readonly start?: number;
  /** The most items wanted in all: no call asks for more than is still wanted. */
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

export async function* pages<T>(fetch: PageFetcher<T>, options: PagingOptions = {}): AsyncGenerator<Page<T>> {
  const pageSize = Math.max(1, Math.min(500, Math.floor(options.pageSize ?? 500)));
  const limit = options.limit ?? Infinity;
  let start = options.start ?? 0;
  let collected = 0;
  while (collected < limit) {
    const rows = Math.min(pageSize, limit - collected);
    const page = await fetch(start, rows, options.signal);
    // A tenant that sends more than asked must not make the caller hold more than asked.
    const items = page.items.length > rows ? page.items.slice(0, rows) : page.items;
    if (items.length === 0) return;
    collected += items.length;
    yield { items, totalCount: page.totalCount, facets: page.facets, start };
    start += items.length;
    if (start >= page.totalCount) return;
  }
}
