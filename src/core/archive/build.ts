import * as l10n from '@vscode/l10n';
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
  return l10n.t('none listed');
}

/** The lint gate's refusals, one whole sentence per count; build-workspace.ts refuses with the same ones. */
export function lintErrorsRefusal(errors: number, first: string): string {
  return errors === 1
    ? l10n.t('Build refused: lint found 1 error (first: {0}); fix them and build again.', first)
    : l10n.t('Build refused: lint found {0} errors (first: {1}); fix them and build again.', errors, first);
}

export function lintWarningsRefusal(warnings: number, maxWarnings: number, first: string): string {
  return warnings === 1
    ? l10n.t('Build refused: lint found 1 warning, more than --max-warnings {0} (first: {1}); fix them or raise the limit.', maxWarnings, first)
    : l10n.t('Build refused: lint found {0} warnings, more than --max-warnings {1} (first: {2}); fix them or raise the limit.', warnings, maxWarnings, first);
}

function checkLint(report: LintReport, maxWarnings: number | undefined): void {
  const { errors, warnings } = report.summary;
  if (errors > 0) {
    throw new PinPackError('refused', lintErrorsRefusal(errors, firstFinding(report, 'error')));
  }
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    throw new PinPackError('refused', lintWarningsRefusal(warnings, maxWarnings, firstFinding(report, 'warning')));
  }
}

/** Refuses a redaction that left a PIN in the file: the review copy is meant to be shared. */
function redactPinFile(pinFile: PinFileInput, pins: readonly ResolvedPin[]): Buffer {
  const redacted = pinFile.redact(pinFile.data);
  for (const { pin, user } of pins) {
    if (pin && redacted.includes(Buffer.from(pin, 'utf8'))) {
      throw new PinPackError('refused', l10n.t('Build refused: masking {0} left the PIN of {1} in it; report this, the review copy would leak it.', pinFile.name, user));
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
      throw new PinPackError('refused', l10n.t('Build refused: the workspace has its own {0}, which PinPack writes itself; remove or rename it.', reserved));
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
