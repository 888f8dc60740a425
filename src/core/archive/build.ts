import { PinPackError } from '../errors';
import type { LintReport } from '../lint/report';
import type { TargetId } from '../workspace/targets';
import { createManifest, MANIFEST_NAME, serializeManifest, type PackageManifest } from './manifest';
import { checkPins, DEFAULT_PIN_MARGIN_MS, type ResolvedPin } from './pin-checks';
import { writeZip, type WrittenEntry, type ZipSource } from './writer';

/**
 * `pinpack build` in core: gate on the lint result, check every PIN, then write the zip
 * atomically with its manifest. The caller resolves the workspace's files, lints them and
 * fetches fresh PINs; this function decides whether they may become a package.
 */

/** The PIN file as the workspace's format writes it, and how that format masks its PINs. */
export interface PinFileInput {
  /** Its name inside the zip. */
  readonly name: string;
  readonly data: Buffer;
  /** The same file with every PIN replaced by a fixed mask (e.g. `PIN_MASK`); used by `redact`. */
  readonly redact: (data: Buffer) => Buffer;
}

export interface BuildPackageInput {
  readonly out: string;
  readonly target: TargetId;
  /** Every workspace file that ships, as names inside the zip; not the PIN file or the manifest. */
  readonly files: readonly ZipSource[];
  readonly pinFile: PinFileInput;
  /** One per enrollee, resolved at build time. */
  readonly pins: readonly ResolvedPin[];
  /** The workspace's lint result: any error refuses the build. */
  readonly lint: LintReport;
  /** Warnings beyond this many refuse the build too (`--max-warnings N`). */
  readonly maxWarnings?: number;
  /** Build the review copy: every PIN masked, PIN checks skipped (no tenant needed). */
  readonly redact?: boolean;
  readonly now?: Date;
  /** A PIN expiring sooner than this is refused. Default 2 h. */
  readonly pinMarginMs?: number;
  /** The entries' timestamp (see `buildTimestamp`). */
  readonly timestamp?: Date;
  readonly level?: number;
  readonly toolVersion: string;
}

export interface BuiltPackage {
  readonly path: string;
  readonly manifest: PackageManifest;
  readonly entries: readonly WrittenEntry[];
}

function firstFinding(report: LintReport, severity: 'error' | 'warning'): string {
  for (const file of report.files) {
    const d = file.diagnostics.find((x) => x.severity === severity);
    if (d) return `${file.path}:${d.line}:${d.column} ${d.message}`;
  }
  return 'none listed';
}

function checkLint(report: LintReport, maxWarnings: number | undefined): void {
  const { errors, warnings } = report.summary;
  if (errors > 0) {
    throw new PinPackError('refused', `Build refused: lint found ${errors} error${errors > 1 ? 's' : ''} (first: ${firstFinding(report, 'error')}); fix them and build again.`);
  }
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    throw new PinPackError('refused', `Build refused: lint found ${warnings} warnings, more than --max-warnings ${maxWarnings} (first: ${firstFinding(report, 'warning')}); fix them or raise the limit.`);
  }
}

/** Refuses a redaction that left a PIN in the file: the review copy is meant to be shared. */
function redactPinFile(pinFile: PinFileInput, pins: readonly ResolvedPin[]): Buffer {
  const redacted = pinFile.redact(pinFile.data);
  for (const { pin, user } of pins) {
    if (pin && redacted.includes(Buffer.from(pin, 'utf8'))) {
      throw new PinPackError('refused', `Build refused: masking ${pinFile.name} left the PIN of ${user} in it; report this, the review copy would leak it.`);
    }
  }
  return redacted;
}

export async function buildPackage(input: BuildPackageInput): Promise<BuiltPackage> {
  checkLint(input.lint, input.maxWarnings);
  const redacted = input.redact ?? false;
  if (!redacted) checkPins(input.pins, input.now ?? new Date(), input.pinMarginMs ?? DEFAULT_PIN_MARGIN_MS);
  for (const reserved of [MANIFEST_NAME, input.pinFile.name]) {
    if (input.files.some((f) => f.name === reserved)) {
      throw new PinPackError('refused', `Build refused: the workspace has its own ${reserved}, which PinPack writes itself; remove or rename it.`);
    }
  }
  const pinData = redacted ? redactPinFile(input.pinFile, input.pins) : input.pinFile.data;
  let manifest: PackageManifest | undefined;
  const entries = await writeZip(input.out, [...input.files, { name: input.pinFile.name, data: pinData }], {
    ...(input.level !== undefined ? { level: input.level } : {}),
    ...(input.timestamp ? { timestamp: input.timestamp } : {}),
    last: (written) => {
      manifest = createManifest({ target: input.target, enrollees: input.pins.length, redacted, pinFile: input.pinFile.name, toolVersion: input.toolVersion }, written);
      return { name: MANIFEST_NAME, data: serializeManifest(manifest) };
    },
  });
  return { path: input.out, manifest: manifest as PackageManifest, entries };
}
