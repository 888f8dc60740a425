import { basename } from 'node:path';
import * as z from 'zod';
import { LintReport } from '../lint/report';
import { PIN_MASK } from '../pins/mask';
import { TARGETS, TargetId } from '../workspace/targets';
import { MANIFEST_NAME, parseManifest, type PackageManifest } from './manifest';
import { DEFAULT_ZIP_LIMITS, readZip, type ReadEntry, type ZipLimits } from './reader';

/**
 * `pinpack inspect`: what a reviewer needs to trust a package before it goes to the SCCM or EPM
 * admin, read from memory through the hardened reader. Works on PinPack zips (the manifest says
 * the target and every hash) and on zips downloaded from the N-MDM console (the target is guessed
 * from the scripts inside). PIN files are never shown, only counted.
 */

/** What a PIN file format tells about one file without revealing a PIN. */
export interface PinFileSummary {
  readonly users: number;
  readonly earliestExpiry?: Date;
}

/** A PIN file format (the workspace's own, or one seen in console zips). */
export interface PinFileParser {
  readonly format: string;
  readonly matches: (entryName: string) => boolean;
  /** undefined when the bytes are not in this format. */
  readonly summarize: (data: Buffer) => PinFileSummary | undefined;
}

/** Lints scripts held in memory; the linter's entry point plugs in here. */
export type LintInMemory = (files: readonly { path: string; text: string }[]) => Promise<LintReport>;

export interface InspectOptions {
  readonly pinFileParsers?: readonly PinFileParser[];
  readonly lint?: LintInMemory;
  readonly limits?: ZipLimits;
}

export const InspectedFile = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  compressedSize: z.number().int().nonnegative(),
  sha256: z.string(),
  /** How the entry compares with the manifest: absent for zips without one. */
  manifest: z.enum(['verified', 'mismatch', 'unlisted']).optional(),
  pins: z.literal(true).optional(),
});

export const InspectReport = z.object({
  version: z.literal(1),
  zip: z.string(),
  kind: z.enum(['pinpack', 'console', 'unknown']),
  target: z.object({ id: TargetId.optional(), label: z.string(), detectedFrom: z.enum(['manifest', 'scripts', 'nothing']) }),
  manifest: z.object({
    present: z.boolean(),
    problem: z.string().optional(),
    toolVersion: z.string().optional(),
    enrollees: z.number().int().optional(),
    redacted: z.boolean().optional(),
    verified: z.number().int(),
    mismatched: z.array(z.string()),
    missing: z.array(z.string()),
    unlisted: z.array(z.string()),
  }),
  files: z.array(InspectedFile),
  pinFiles: z.array(
    z.object({
      path: z.string(),
      format: z.string(),
      users: z.number().int().optional(),
      earliestExpiry: z.string().optional(),
      content: z.literal(PIN_MASK),
    }),
  ),
  lint: z.union([LintReport, z.literal('not available')]),
});
export type InspectReport = z.infer<typeof InspectReport>;

const SCRIPT = /\.(ps1|psm1|bat|cmd)$/i;
/** Conservative: in a zip whose PIN file format is unknown, anything named like one is treated as one. */
const PIN_LIKE = /(^|\/)[^/]*pin[^/]*$/i;
const EPM_STEP1 = /(^|\/)setupEPMCopyContentsToTempFolderStep1\.ps1$/i;

function detectTarget(entries: readonly ReadEntry[], manifest: PackageManifest | undefined): InspectReport['target'] {
  if (manifest) return { id: manifest.target, label: TARGETS[manifest.target].label, detectedFrom: 'manifest' };
  const names = entries.map((e) => e.name);
  if (names.some((n) => EPM_STEP1.test(n))) {
    return { id: 'epm-case3-twostep', label: TARGETS['epm-case3-twostep'].label, detectedFrom: 'scripts' };
  }
  const hasSetup = names.some((n) => /(^|\/)setup\.ps1$/i.test(n));
  if (hasSetup && names.some((n) => /\.(bat|cmd)$/i.test(n))) return { id: 'sccm', label: TARGETS.sccm.label, detectedFrom: 'scripts' };
  if (hasSetup) return { label: 'N-MDM console package (setup.ps1): SCCM Run Script or Ivanti EPM case 1, 2 or 3b', detectedFrom: 'scripts' };
  return { label: 'unknown: no pinpack-manifest.json and no setup.ps1', detectedFrom: 'nothing' };
}

function isPinFile(name: string, manifest: PackageManifest | undefined, parsers: readonly PinFileParser[]): boolean {
  if (manifest) return manifest.files.some((f) => f.path === name && f.pins);
  if (SCRIPT.test(name)) return false;
  return parsers.some((p) => p.matches(name)) || PIN_LIKE.test(name);
}

function summarizePins(entry: ReadEntry, parsers: readonly PinFileParser[]): InspectReport['pinFiles'][number] {
  for (const parser of parsers) {
    if (!parser.matches(entry.name) || !entry.data) continue;
    const summary = parser.summarize(entry.data);
    if (!summary) continue;
    return {
      path: entry.name,
      format: parser.format,
      users: summary.users,
      ...(summary.earliestExpiry ? { earliestExpiry: summary.earliestExpiry.toISOString() } : {}),
      content: PIN_MASK,
    };
  }
  return { path: entry.name, format: 'unknown', content: PIN_MASK };
}

/** Inspects a zip (a path or its bytes); refuses hostile zips as import does. */
export async function inspectZip(source: string | Buffer, options: InspectOptions = {}): Promise<InspectReport> {
  const parsers = options.pinFileParsers ?? [];
  // Only what is inspected further stays in memory: scripts, the manifest and PIN-like files.
  const keep = (name: string, size: number): boolean =>
    size <= 16 * 1024 * 1024 && (SCRIPT.test(name) || name === MANIFEST_NAME || PIN_LIKE.test(name) || parsers.some((p) => p.matches(name)));
  const entries = await readZip(source, options.limits ?? DEFAULT_ZIP_LIMITS, { keep });
  const manifestEntry = entries.find((e) => e.name === MANIFEST_NAME);
  const parsed = manifestEntry?.data ? parseManifest(manifestEntry.data) : undefined;
  const manifest = parsed && 'manifest' in parsed ? parsed.manifest : undefined;
  const listed = new Map(manifest?.files.map((f) => [f.path, f]) ?? []);
  const files = entries
    .filter((e) => !e.directory && e.name !== MANIFEST_NAME)
    .map((e) => {
      const expected = listed.get(e.name);
      const state = !manifest ? undefined : !expected ? 'unlisted' : expected.sha256 === e.sha256 && expected.size === e.size ? 'verified' : 'mismatch';
      return {
        path: e.name,
        size: e.size,
        compressedSize: e.compressedSize,
        sha256: e.sha256,
        ...(state ? { manifest: state } : {}),
        ...(isPinFile(e.name, manifest, parsers) ? { pins: true as const } : {}),
      };
    });
  const present = new Set(files.map((f) => f.path));
  const pinEntries = entries.filter((e) => files.some((f) => f.path === e.name && f.pins));
  const scripts = entries.filter((e) => SCRIPT.test(e.name) && e.data).map((e) => ({ path: e.name, text: (e.data as Buffer).toString('utf8') }));
  return InspectReport.parse({
    version: 1,
    zip: typeof source === 'string' ? basename(source) : 'zip',
    kind: manifestEntry ? 'pinpack' : entries.some((e) => /(^|\/)setup\.ps1$/i.test(e.name)) ? 'console' : 'unknown',
    target: detectTarget(entries, manifest),
    manifest: {
      present: manifestEntry !== undefined,
      ...(parsed && 'problem' in parsed ? { problem: parsed.problem } : {}),
      ...(manifest ? { toolVersion: manifest.tool.version, enrollees: manifest.enrollees, redacted: manifest.redacted } : {}),
      verified: files.filter((f) => f.manifest === 'verified').length,
      mismatched: files.filter((f) => f.manifest === 'mismatch').map((f) => f.path),
      missing: manifest ? manifest.files.map((f) => f.path).filter((p) => !present.has(p)) : [],
      unlisted: files.filter((f) => f.manifest === 'unlisted').map((f) => f.path),
    },
    files,
    pinFiles: pinEntries.map((e) => summarizePins(e, parsers)),
    lint: options.lint ? await options.lint(scripts) : 'not available',
  });
}
