/**
 * Imported first by the entry points of the processes that lint (the CLI and the language
 * server), so that the heap is set up before any of their other modules runs: a young collection
 * while they load would already feed V8's pretenuring (see heap-tuning.ts).
 */
import { tuneHeapForLinting } from './heap-tuning';

tuneHeapForLinting();
