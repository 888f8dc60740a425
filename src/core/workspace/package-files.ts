import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { PinPackError } from '../errors';
import { formatJsonPath, Uid, type Manifest } from './manifest';
import { TARGETS, TargetId } from './targets';

/**
 * The two data files that ship in the zip beside the scripts. Per-build values reach the device
 * through them, never through text templating of the scripts the admin edits (DESIGN.md §3).
 * `setup.ps1` reads both; the build writes both; nothing else holds a PIN.
 */

/** Non-secret: safe to show, diff and keep in a review zip. */
export const SETTINGS_FILE_NAME = 'pinpack-settings.json';
/** Secret: exists only inside a built zip and, briefly, on the device. Git-ignored in workspaces. */
export const PIN_FILE_NAME = 'pinpack-pins.json';
export const PACKAGE_FILES_VERSION = 1;

export const UpnMode = z.enum(['device', 'user', 'recorded-user']);

export const PackageSettings = z.strictObject({
  schemaVersion: z.literal(PACKAGE_FILES_VERSION),
  packageName: z.string().min(1),
  target: TargetId,
  /** How `setup.ps1` finds the enrollment UPN (targets.ts `IdentityMode`). */
  upnMode: UpnMode,
  /** Needed by the `device` mode only: `<COMPUTERNAME>@<adDomain>`. */
  adDomain: z.string().min(1).nullable(),
  discoveryUrl: z.url({ protocol: /^https$/ }),
  destination: z.string().min(1),
  logFolder: z.string().min(1),
});
export type PackageSettings = z.infer<typeof PackageSettings>;

export const PinEntry = z.strictObject({
  upn: Uid,
  pin: z.string().min(1),
  /** ISO 8601 in UTC; `setup.ps1` refuses the PIN after this instant. */
  expiresAt: z.iso.datetime(),
});
export type PinEntry = z.infer<typeof PinEntry>;

export const PinFile = z.strictObject({
  schemaVersion: z.literal(PACKAGE_FILES_VERSION),
  pins: z.array(PinEntry),
});
export type PinFile = z.infer<typeof PinFile>;

/** The device-side settings a workspace's manifest implies. */
export function settingsFromManifest(manifest: Manifest): PackageSettings {
  return {
    schemaVersion: PACKAGE_FILES_VERSION,
    packageName: manifest.name,
    target: manifest.target,
    upnMode: TARGETS[manifest.target].identity,
    adDomain: manifest.device.adDomain ?? null,
    discoveryUrl: manifest.device.discoveryUrl,
    destination: manifest.device.destination,
    logFolder: manifest.device.logFolder,
  };
}

export function serializePackageSettings(settings: PackageSettings): string {
  return `${JSON.stringify(PackageSettings.parse(settings), null, 2)}\n`;
}

/**
 * The PIN file's text, entries sorted by UPN so that the same PINs give the same bytes (the
 * build is reproducible). Refuses duplicates: `setup.ps1` must find exactly one PIN per UPN.
 */
export function serializePinFile(entries: readonly PinEntry[]): string {
  const pins = [...entries].map((e) => PinEntry.parse(e)).sort((a, b) => (a.upn.toLowerCase() < b.upn.toLowerCase() ? -1 : a.upn.toLowerCase() > b.upn.toLowerCase() ? 1 : 0));
  for (let i = 1; i < pins.length; i++) {
    if (pins[i]?.upn.toLowerCase() === pins[i - 1]?.upn.toLowerCase()) {
      throw new PinPackError('refused', l10n.t('Two PINs were given for {0}: keep one PIN per user and build again.', pins[i]?.upn ?? ''));
    }
  }
  return `${JSON.stringify({ schemaVersion: PACKAGE_FILES_VERSION, pins }, null, 2)}\n`;
}

function parseJsonFile<T>(schema: z.ZodType<T>, text: string, label: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    throw new PinPackError('refused', l10n.t('{0} is not valid JSON: rebuild the package.', label));
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  // Never echo the value: in the PIN file it may be a PIN.
  const where = formatJsonPath((issue?.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p)));
  throw new PinPackError('refused', l10n.t('{0}: "{1}" {2}; rebuild the package.', label, where, issue?.message ?? l10n.t('is invalid')));
}

export function parsePackageSettings(text: string, label = SETTINGS_FILE_NAME): PackageSettings {
  return parseJsonFile(PackageSettings, text, label);
}

export function parsePinFile(text: string, label = PIN_FILE_NAME): PinFile {
  return parseJsonFile(PinFile, text, label);
}
