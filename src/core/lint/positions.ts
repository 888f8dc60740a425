/** Binary searches over lists in source order (tokens, nodes, statements, checkpoints). */

interface Positioned {
  readonly start: number;
}

/** The index of the first item whose start is at or after `offset`; list.length when none is. */
export function firstStartingAtOrAfter(list: readonly Positioned[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Positioned).start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the last item whose start is at or before `offset`; 0 when none is (or the list is empty). */
export function lastStartingAtOrBefore(list: readonly Positioned[], offset: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((list[mid] as Positioned).start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The index of the first of the first `length` numbers (ascending) that is at or above `value`; `length` when none is. */
export function firstAtOrAbove(numbers: ArrayLike<number>, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((numbers[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
