import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { PinPackError } from '../errors';
import { TargetId } from './targets';

/**
 * `pinpack.json`, the manifest of a package workspace. It holds no secret, ever: PINs live in
 * SecretStorage or memory and reach disk only inside a built zip (DESIGN.md §3). Objects are
 * strict so that a stray `"pin"` or `"password"` key is refused rather than silently kept.
 */

export const MANIFEST_FILE_NAME = 'pinpack.json';
export const MANIFEST_SCHEMA_VERSION = 1;
/** Ivanti's bulk-enrollment documentation uses this discovery URL (DOMAIN.md §3). */
export const DEFAULT_DISCOVERY_URL = 'https://login.mobileiron.com';
export const DEFAULT_DESTINATION = 'C:\\ProgramData\\PinPack\\Package';
export const DEFAULT_LOG_FOLDER = 'C:\\ProgramData\\PinPack\\Logs';

/** Any Unicode space separator or whitespace, as issue 11 asks: U+3000 and U+00A0 count as spaces. */
const ANY_SPACE = /[\s\p{Zs}\u200b\ufeff]/u;

export const Uid = z
  .string()
  .min(1, { error: () => l10n.t('must not be empty') })
  .refine((uid) => !ANY_SPACE.test(uid), { error: () => l10n.t('must not contain spaces (Unicode spaces included): enrollment fails for such user names') })
  .refine((uid) => !uid.includes('\uff20'), { error: () => l10n.t('contains a full-width "＠": type the ASCII "@" instead') })
  .meta({ description: 'A user id (login, usually the e-mail) as the tenant knows it. No spaces.' });

// Patterns are spelled without flags: the JSON Schema that VS Code uses carries no regex flags.
const WindowsPath = z
  .string()
  .regex(/^([A-Za-z]:\\|%[A-Za-z_]+%\\?)/, { error: () => l10n.t('must be an absolute Windows path such as {0}', DEFAULT_DESTINATION) })
  .refine((p) => !/[<>"|?*]/.test(p), { error: () => l10n.t('contains a character that Windows forbids in paths') });

export const LintSeverity = z.enum(['error', 'warning', 'info', 'off']);

/** Package names become the provisioning package's name and file names: no path characters. */
const PackageName = z
  .string()
  .min(1, { error: () => l10n.t('must not be empty') })
  .max(64, { error: () => l10n.t('must be at most 64 characters') })
  .regex(/^[^<>:"/\\|?*\u0000-\u001f]+$/, { error: () => l10n.t('must not contain < > : " / \\ | ? * or control characters') })
  .refine((name) => !/^[ .]|[ .]$/.test(name), { error: () => l10n.t('must not start or end with a space or a dot') });

export const ManifestSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'The JSON Schema of this file, for editors.' }),
    schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION).meta({ description: 'The version of this file format.' }),
    name: PackageName.meta({ description: 'The package name: the provisioning package and the zip are named after it.' }),
    target: TargetId.meta({ description: 'The distribution channel and its variant.' }),
    language: z.enum(['en', 'ja']).default('en').meta({ description: 'The language of the package README.' }),
    tenant: z
      .strictObject({
        url: z.url({ protocol: /^https$/, error: () => l10n.t('must be an https:// URL such as https://na1.mobileiron.com') }),
        space: z.string().min(1).optional().meta({ description: 'The device space (partition) name; the default space when absent.' }),
      })
      .optional()
      .meta({ description: 'The Ivanti Neurons for MDM tenant. Credentials never go here.' }),
    enrollees: z
      .strictObject({
        users: z.array(Uid).default([]).meta({ description: 'User ids to enroll.' }),
        groups: z.array(z.string().min(1)).default([]).meta({ description: 'User group names whose members are enrolled.' }),
      })
      .default({ users: [], groups: [] }),
    device: z
      .strictObject({
        adDomain: z
          .string()
          .regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/, { error: () => l10n.t('must be a DNS domain such as contoso.com') })
          .optional()
          .meta({ description: 'The AD domain: EPM case 1 enrolls <COMPUTERNAME>@<adDomain>.' }),
        destination: WindowsPath.default(DEFAULT_DESTINATION).meta({ description: 'Where the SCCM copier puts the package on the device.' }),
        logFolder: WindowsPath.default(DEFAULT_LOG_FOLDER).meta({ description: 'Where the scripts write their logs on the device.' }),
        discoveryUrl: z
          .url({ protocol: /^https$/, error: () => l10n.t('must be an https:// URL') })
          .default(DEFAULT_DISCOVERY_URL)
          .meta({ description: 'The MDM discovery service URL written into the provisioning package.' }),
      })
      .default({ destination: DEFAULT_DESTINATION, logFolder: DEFAULT_LOG_FOLDER, discoveryUrl: DEFAULT_DISCOVERY_URL }),
    lint: z
      .strictObject({
        rules: z.record(z.string().min(1), LintSeverity).default({}).meta({ description: 'Severity per rule id, or "off".' }),
      })
      .default({ rules: {} }),
    imported: z
      .strictObject({
        from: z.string().min(1).meta({ description: 'The file name of the zip the workspace was imported from.' }),
        files: z.array(z.string().min(1)).meta({ description: 'Files kept exactly as the console wrote them.' }),
      })
      .optional()
      .meta({ description: 'Present when the workspace was imported from a console zip.' }),
  })
  .meta({ title: 'PinPack package workspace manifest (pinpack.json)' });

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestInput = z.input<typeof ManifestSchema>;

/**
 * Version 0: the first preview's flat shape, without `schemaVersion`. Kept so that manifests
 * written by it still open; `migrateManifest` turns it into the current shape.
 */
const ManifestV0 = z.looseObject({
  name: z.string(),
  target: z.string(),
  tenantUrl: z.string().optional(),
  users: z.array(z.string()).optional(),
  groups: z.array(z.string()).optional(),
  adDomain: z.string().optional(),
  destination: z.string().optional(),
});

/** One problem in a manifest, with the JSON path of the value (for the linter's ranges). */
export interface ManifestIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** zod's issue code and details, for the linter's own wording; absent for PinPack's checks (secrets, version). */
  readonly code?: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly expected?: string;
}

export type ManifestResult = { readonly ok: true; readonly manifest: Manifest } | { readonly ok: false; readonly issues: readonly ManifestIssue[] };

/** `enrollees.users[2]`: the form in which messages name a value. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(the top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const SECRET_KEY = /^(pin|pins|password|passwd|secret|token|apikey|api_key|credential|credentials)$/i;

function secretKeys(value: unknown, path: (string | number)[] = []): ManifestIssue[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretKeys(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    SECRET_KEY.test(key)
      ? [{ path: [...path, key], message: l10n.t('looks like a secret: pinpack.json must never hold PINs or passwords, remove it') }]
      : secretKeys(v, [...path, key]),
  );
}

/** Brings an older manifest to the current version; a current one is returned as it is. */
export function migrateManifest(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (version !== undefined && version !== 0) return raw;
  // A current-shape manifest that merely lacks schemaVersion is not v0: migrating it would drop
  // its nested settings. Leave it to the schema, which then asks for schemaVersion.
  if (version === undefined && ['enrollees', 'device', 'tenant', 'lint', 'language'].some((key) => key in raw)) return raw;
  const v0 = ManifestV0.safeParse(raw);
  if (!v0.success) return raw;
  const old = v0.data;
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    name: old.name,
    target: old.target,
    ...(old.tenantUrl !== undefined ? { tenant: { url: old.tenantUrl } } : {}),
    enrollees: { users: old.users ?? [], groups: old.groups ?? [] },
    device: {
      ...(old.adDomain !== undefined ? { adDomain: old.adDomain } : {}),
      ...(old.destination !== undefined ? { destination: old.destination } : {}),
    },
  };
}

/** Validates an already-parsed manifest (after migration), collecting every problem with its path. */
export function validateManifest(raw: unknown): ManifestResult {
  const secrets = secretKeys(raw);
  if (secrets.length > 0) return { ok: false, issues: secrets };
  const version = raw !== null && typeof raw === 'object' ? (raw as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (typeof version === 'number' && version > MANIFEST_SCHEMA_VERSION) {
    return {
      ok: false,
      issues: [{ path: ['schemaVersion'], message: l10n.t('is {0}, newer than this PinPack understands ({1}): update PinPack', version, MANIFEST_SCHEMA_VERSION) }],
    };
  }
  const parsed = ManifestSchema.safeParse(migrateManifest(raw));
  if (parsed.success) return { ok: true, manifest: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
      code: i.code,
      ...(i.code === 'unrecognized_keys' ? { keys: i.keys } : {}),
      ...(i.code === 'invalid_value' ? { values: i.values } : {}),
      ...(i.code === 'invalid_type' ? { expected: i.expected } : {}),
    })),
  };
}

/**
 * Parses the text of a `pinpack.json`; throws one clear `PinPackError` naming the file, the JSON
 * path and the fix. `label` is how the message names the file (usually its path).
 */
export function parseManifest(text: string, label = MANIFEST_FILE_NAME): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new PinPackError('usage', l10n.t('{0} is not valid JSON ({1}): fix the syntax and run again.', label, (error as Error).message));
  }
  const result = validateManifest(raw);
  if (result.ok) return result.manifest;
  const [first, ...rest] = result.issues;
  const more = rest.length === 0 ? '' : rest.length === 1 ? l10n.t(' (and 1 more problem)') : l10n.t(' (and {0} more problems)', rest.length);
  throw new PinPackError('usage', l10n.t('{0}: "{1}" {2}{3}; fix the file and run again.', label, formatJsonPath(first?.path ?? []), first?.message ?? l10n.t('is invalid'), more));
}

/** The manifest as PinPack writes it: stable key order, two-space indent, final newline. */
export function serializeManifest(manifest: Manifest): string {
  const { $schema, schemaVersion, name, target, language, tenant, enrollees, device, lint, imported } = manifest;
  const ordered = {
    ...($schema !== undefined ? { $schema } : {}),
    schemaVersion,
    name,
    target,
    language,
    ...(tenant ? { tenant } : {}),
    enrollees,
    device,
    lint,
    ...(imported ? { imported } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * The JSON Schema of `pinpack.json`, as written to `dist/pinpack.schema.json` at build time. Draft 7:
 * the dialect VS Code's JSON language service supports fully.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ManifestSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
}
