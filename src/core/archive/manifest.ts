import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { TargetId } from '../workspace/targets';
import type { WrittenEntry } from './writer';

/**
 * `pinpack-manifest.json`, the last entry of every PinPack zip: what built it, for which target
 * and how many enrollees, and the size and SHA-256 of every other entry, so a reviewer (or
 * `pinpack inspect`) can verify the zip. The PIN file is listed by hash only; its content never
 * appears here.
 */
export const MANIFEST_NAME = 'pinpack-manifest.json';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits');

export const ManifestFile = z.object({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: Sha256,
  /** Marks the entry that carries the PINs. */
  pins: z.literal(true).optional(),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const PackageManifest = z.object({
  format: z.literal(1),
  tool: z.object({ name: z.literal('pinpack'), version: z.string().min(1) }),
  target: TargetId,
  enrollees: z.number().int().nonnegative(),
  /** True when every PIN was replaced by a mask (`pinpack build --redact`): a review copy, not deployable. */
  redacted: z.boolean(),
  files: z.array(ManifestFile),
});
export type PackageManifest = z.infer<typeof PackageManifest>;

export interface ManifestFacts {
  readonly target: TargetId;
  readonly enrollees: number;
  readonly redacted: boolean;
  readonly pinFile: string;
  readonly toolVersion: string;
}

export function createManifest(facts: ManifestFacts, written: readonly WrittenEntry[]): PackageManifest {
  return {
    format: 1,
    tool: { name: 'pinpack', version: facts.toolVersion },
    target: facts.target,
    enrollees: facts.enrollees,
    redacted: facts.redacted,
    files: written.map((e) => ({ path: e.name, size: e.size, sha256: e.sha256, ...(e.name === facts.pinFile ? { pins: true as const } : {}) })),
  };
}

/** The manifest's bytes: fixed key order (the schema's), two-space indent, LF, final newline. */
export function serializeManifest(manifest: PackageManifest): Buffer {
  return Buffer.from(`${JSON.stringify(PackageManifest.parse(manifest), null, 2)}\n`, 'utf8');
}

/** The manifest in a zip, or a one-line reason why it cannot be read. */
export function parseManifest(data: Buffer): { manifest: PackageManifest } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    return { problem: l10n.t('{0} is not valid JSON', MANIFEST_NAME) };
  }
  const result = PackageManifest.safeParse(json);
  if (result.success) return { manifest: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.join('.');
  const detail = issue?.message ?? l10n.t('unknown problem');
  return { problem: where ? l10n.t('{0} is malformed at {1}: {2}', MANIFEST_NAME, where, detail) : l10n.t('{0} is malformed at its top level: {1}', MANIFEST_NAME, detail) };
}
