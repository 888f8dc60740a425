/**
 * What a benchmark reports: one figure measured for PinPack, and where the issue names one, the
 * reference measured in the same run and the target the figure must meet.
 */
export interface Figure {
  /** What is measured, e.g. "CLI start-up (pinpack --version), median". */
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** The same thing measured for the reference in the same run. */
  readonly reference?: { readonly label: string; readonly value: number };
  /**
   * What the figure must meet: on the value itself, or on value / reference (the ratio).
   * `max` means lower is better.
   */
  readonly target?: { readonly on: 'value' | 'ratio'; readonly max?: number; readonly min?: number };
}

export type Benchmark = () => Promise<Figure[]>;

/** The median of a list of samples. */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
