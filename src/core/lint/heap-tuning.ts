import { setFlagsFromString } from 'node:v8';

/** The V8 flags tuneHeapForLinting sets. */
export const LINT_HEAP_FLAGS = '--no-allocation-site-pretenuring';

/**
 * Sets the V8 heap up for a process that lints: `pinpack lint` (the CLI), the language server,
 * and the bench that measures them. Their entry points import tune-heap.ts first, which calls it
 * before their other modules load. It changes the whole process, so the extension host never
 * calls it.
 *
 * It turns off V8's allocation-site pretenuring. That heuristic watches each place in the code
 * that creates objects, and once nearly all the objects from one place survive a young
 * collection, it creates that place's objects in the old generation from then on. A large
 * script's tree is alive while the rules run, so its node sites qualify. But trees die after
 * their lint, and an old node keeps every young object it points to (names, lists) alive through
 * each young collection until the next full one; those get copied and promoted, and that garbage
 * fills the old generation and triggers more full collections.
 *
 * Measured on the bench corpus (39 scripts, 201,201 lines), 7 full-lint passes, on one CPU:
 * - with pretenuring: 119 young collections, 1.31 s in them, 181 MB surviving, 168 MB promoted,
 *   7 full collections;
 * - without: 146 young collections, 0.54 s, 129 MB surviving, 23 MB promoted, 1 full collection.
 * The full lint took 0.83x the CPU time (geo-mean of 8 alternated rounds, both ways at once, one
 * per CPU).
 *
 * A flag set at run time applies from then on: V8 reads this one at each young collection, where
 * it decides. test/unit/core/lint/heap-tuning.test.ts checks with V8's own trace that the CLI and
 * the server make no pretenuring decision.
 */
export function tuneHeapForLinting(): void {
  setFlagsFromString(LINT_HEAP_FLAGS);
}
