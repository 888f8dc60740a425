import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as l10n from '@vscode/l10n';
import { buildPackage, lintErrorsRefusal, lintWarningsRefusal, type BuiltPackage } from '../archive/build';
import { checkPins, DEFAULT_PIN_MARGIN_MS, type ResolvedPin } from '../archive/pin-checks';
import { DEFAULT_TIMESTAMP } from '../archive/zip-format';
import { PinPackError } from '../errors';
import { lintPaths, type LintRun } from '../lint/run';
import type { LintReport } from '../lint/report';
import { pinExpiry } from '../pins/lifetime';
import { PIN_MASK } from '../pins/mask';
import type { EnrolleePins, SkippedEnrollee } from './enrollee-pins';
import { MANIFEST_FILE_NAME, parseManifest, type Manifest } from './manifest';
import { serializePackageSettings, settingsFromManifest, SETTINGS_FILE_NAME, type PinEntry } from './package-files';
import { collectPackageSources } from './package-sources';
import { pinFileInput } from './pin-file-review';
import { TARGETS } from './targets';

/**
 * `pinpack build DIR` in core, shared by the CLI, the demo and the extension: read the workspace's
 * manifest, lint the workspace (the gate), resolve the enrollees' PINs, write the settings file and
 * the PIN file, and let `buildPackage` check the PINs and write the zip atomically.
 *
 * The order is deliberate: the lint gate runs before any tenant call, so a workspace with errors
 * is refused without credentials; the PINs are checked before anything is written.
 */

/** Where a build goes when no output is given: `out/` is git-ignored by the scaffold's .gitignore. */
export const BUILD_FOLDER = 'out';

export function defaultBuildOutput(dir: string, manifest: Manifest, redact: boolean): string {
  return join(resolve(dir), BUILD_FOLDER, `${manifest.name}${redact ? '.redacted' : ''}.zip`);
}

export interface WorkspaceBuildOptions {
  readonly dir: string;
  /** The zip to write; default `DIR/out/<package name>.zip` (`.redacted.zip` for the review copy). */
  readonly out?: string;
  /**
   * The review copy: every PIN masked, PIN checks skipped. Without `resolvePins` the PIN file lists
   * the users named in pinpack.json (groups cannot be expanded offline) with the build timestamp
   * as their expiry, so it needs no tenant and does not change when PINs are regenerated.
   */
  readonly redact?: boolean;
  /** Reads the enrollees and their PINs (from the tenant, or SecretStorage in the extension). */
  readonly resolvePins?: (manifest: Manifest) => Promise<EnrolleePins>;
  readonly maxWarnings?: number;
  /** A PIN expiring sooner than this is refused; default 2 h. */
  readonly pinMarginMs?: number;
  /** Every entry's timestamp (SOURCE_DATE_EPOCH); default 1980-01-01. */
  readonly timestamp?: Date;
  readonly now?: Date;
  /** Lint report paths are relative to this folder; default the workspace. */
  readonly cwd?: string;
  readonly toolVersion: string;
  /** Called with the lint result before the gate decides, so that the findings can be shown. */
  readonly onLint?: (run: LintRun) => void;
  /** Called once the enrollees are known, before the zip is written. */
  readonly onEnrollees?: (pins: EnrolleePins, manifest: Manifest) => void;
}

export interface WorkspaceBuild {
  readonly manifest: Manifest;
  readonly lint: LintReport;
  readonly enrollees: number;
  readonly skipped: readonly SkippedEnrollee[];
  readonly built: BuiltPackage;
  /** Hex SHA-256 of the whole zip. */
  readonly sha256: string;
  readonly size: number;
}

export async function readWorkspaceManifest(dir: string): Promise<Manifest> {
  const path = join(resolve(dir), MANIFEST_FILE_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PinPackError('usage', l10n.t('{0} is not a PinPack workspace (it has no {1}): create one with "pinpack new {0} --target T".', dir, MANIFEST_FILE_NAME));
    }
    throw new PinPackError('io', l10n.t('{0} could not be read ({1}): check its permissions.', path, code ?? 'error'), { cause: error });
  }
  return parseManifest(text, path);
}

function firstFinding(report: LintReport, severity: 'error' | 'warning'): string {
  for (const file of report.files) {
    const d = file.diagnostics.find((x) => x.severity === severity);
    if (d) return `${file.path}:${d.line}:${d.column} ${d.rule} ${d.message}`;
  }
  return l10n.t('none listed');
}

/** The gate, before any tenant call; buildPackage applies the same rule again to what it is given. */
function lintGate(report: LintReport, maxWarnings: number | undefined): void {
  const { errors, warnings } = report.summary;
  if (errors > 0) {
    throw new PinPackError('refused', lintErrorsRefusal(errors, firstFinding(report, 'error')));
  }
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    throw new PinPackError('refused', lintWarningsRefusal(warnings, maxWarnings, firstFinding(report, 'warning')));
  }
}

/** The review copy's enrollees when no PIN source is at hand: the named users, nothing secret. */
function offlineEnrollees(manifest: Manifest): EnrolleePins {
  return { pins: manifest.enrollees.users.map((user) => ({ user, pin: undefined })), skipped: [] };
}

function pinEntries(pins: readonly ResolvedPin[], redact: boolean, timestamp: Date): PinEntry[] {
  return pins.map((p) => {
    const expiresAt = pinExpiry(p);
    // l10n-exempt: an assertion (checkPins refused such a PIN before); it names the user, never the PIN.
    if (!redact && (!p.pin || !expiresAt)) throw new Error(`the PIN of ${p.user} passed the checks without a value or an expiry`);
    return { upn: p.user, pin: redact ? PIN_MASK : (p.pin as string), expiresAt: (expiresAt ?? timestamp).toISOString() };
  });
}

/**
 * Enrollees whose PIN no device can ever look up, one sentence: EPM case 1 devices look for
 * `<COMPUTERNAME>@<AD domain>` in the PIN file, so an enrollee outside that domain is dead weight
 * (not an error: the others still enroll).
 */
export function unreachableEnrollees(manifest: Manifest, pins: readonly ResolvedPin[]): string | undefined {
  const domain = manifest.device.adDomain;
  if (TARGETS[manifest.target].identity !== 'device' || domain === undefined) return undefined;
  const suffix = `@${domain.toLowerCase()}`;
  const outside = pins.filter((p) => !p.user.toLowerCase().endsWith(suffix)).map((p) => p.user);
  if (outside.length === 0) return undefined;
  const listed = outside.slice(0, 3).join(', ') + (outside.length > 3 ? ` and ${outside.length - 3} more` : '');
  return `${manifest.target} devices look up <COMPUTERNAME>${suffix} in the PIN file, so the PINs of ${listed} can never be used: enroll the device accounts of ${domain} instead.`;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function buildWorkspace(options: WorkspaceBuildOptions): Promise<WorkspaceBuild> {
  const dir = resolve(options.dir);
  const redact = options.redact ?? false;
  const manifest = await readWorkspaceManifest(options.dir);
  const out = options.out !== undefined ? resolve(options.out) : defaultBuildOutput(dir, manifest, redact);
  const timestamp = options.timestamp ?? DEFAULT_TIMESTAMP;
  const now = options.now ?? new Date();

  // Before the lint gate, whose PP3003 reports the same gap in less specific words.
  if (TARGETS[manifest.target].needsAdDomain && manifest.device.adDomain === undefined) {
    throw new PinPackError('refused', l10n.t('Build refused: {0} enrolls <device name>@<AD domain>, and pinpack.json sets no device.adDomain; add it (or run "pinpack new {1} --target {0} --ad-domain D") and build again.', manifest.target, options.dir));
  }

  const lint = lintPaths([dir], options.cwd ?? dir);
  options.onLint?.(lint);
  lintGate(lint.report, options.maxWarnings);

  const files = [
    ...(await collectPackageSources(dir, out)),
    { name: SETTINGS_FILE_NAME, data: Buffer.from(serializePackageSettings(settingsFromManifest(manifest)), 'utf8') },
  ];

  let enrollees: EnrolleePins;
  if (options.resolvePins) enrollees = await options.resolvePins(manifest);
  else if (redact) enrollees = offlineEnrollees(manifest);
  else throw new PinPackError('usage', l10n.t('A build needs the PINs of its enrollees: connect to a tenant, or build the review copy with --redact.'));
  options.onEnrollees?.(enrollees, manifest);
  const marginMs = options.pinMarginMs ?? DEFAULT_PIN_MARGIN_MS;
  // Checked here too, before the PIN file is serialised: a missing PIN must read as a refusal.
  if (!redact) checkPins(enrollees.pins, now, marginMs);

  if (options.out === undefined) {
    try {
      await mkdir(dirname(out), { recursive: true });
    } catch (error) {
      throw new PinPackError('io', l10n.t('The build folder {0} could not be created ({1}): check the workspace\'s permissions, or pass --out.', dirname(out), (error as NodeJS.ErrnoException).code ?? 'error'), { cause: error });
    }
  }
  const built = await buildPackage({
    out,
    target: manifest.target,
    files,
    pinFile: pinFileInput(pinEntries(enrollees.pins, redact, timestamp)),
    pins: enrollees.pins,
    lint: lint.report,
    ...(options.maxWarnings !== undefined ? { maxWarnings: options.maxWarnings } : {}),
    redact,
    now,
    pinMarginMs: marginMs,
    timestamp,
    toolVersion: options.toolVersion,
  });
  return {
    manifest,
    lint: lint.report,
    enrollees: enrollees.pins.length,
    skipped: enrollees.skipped,
    built,
    sha256: await sha256OfFile(out),
    size: (await stat(out)).size,
  };
}
