import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { TenantError } from './errors';

/**
 * The N-MDM v1 payloads PinPack reads (DOMAIN.md §4). Unknown fields are kept and ignored, so a
 * tenant that adds fields keeps working; a missing or mistyped field PinPack needs is an error
 * that names the field and the endpoint.
 */

/** Timestamps arrive as epoch milliseconds; ISO text is accepted too. */
export const timestampSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `expected a time, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return date;
});

export const registrationPinSchema = z.looseObject({
  createdAt: timestampSchema.nullish(),
  expiresAt: timestampSchema.nullish(),
  pin: z.string().nullish(),
  used: z.boolean().nullish(),
  ppkgPinStatus: z.string().nullish(),
});
export type RegistrationPin = z.infer<typeof registrationPinSchema>;

export const accountSchema = z.looseObject({
  id: z.number(),
  uid: z.string(),
  emailAddress: z.string().nullish(),
  displayName: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  accountSource: z.string().nullish(),
  accountType: z.string().nullish(),
  inviteState: z.string().nullish(),
  enabled: z.boolean().nullish(),
  locked: z.boolean().nullish(),
  groups: z.array(z.string()).nullish(),
  deviceCount: z.number().nullish(),
  registrationPin: registrationPinSchema.nullish(),
});
export type Account = z.infer<typeof accountSchema>;

export const deviceSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  platformType: z.string(),
  windowsDeviceType: z.string().nullish(),
  registrationState: z.string().nullish(),
  lastRegistrationTime: timestampSchema.nullish(),
  emailAddress: z.string().nullish(),
  uid: z.string().nullish(),
  deviceName: z.string().nullish(),
  dmPartitionId: z.number().nullish(),
});
export type Device = z.infer<typeof deviceSchema>;

/** A space, which the device API calls a partition. */
export const spaceSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  defaultPartition: z.boolean().nullish(),
  description: z.string().nullish(),
});
export type Space = z.infer<typeof spaceSchema>;

/** A user group from `GET /api/v1/group` (undocumented: only what a list shows is required). */
export const groupSchema = z.looseObject({
  id: z.union([z.number(), z.string()]).nullish(),
  name: z.string(),
  description: z.string().nullish(),
  memberCount: z.number().nullish(),
});
export type Group = z.infer<typeof groupSchema>;

/** `facetedResults.ACCOUNTGROUP`: group name -> number of matching accounts. */
export const accountGroupFacetSchema = z.record(z.string(), z.number());

export function listEnvelopeSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    errors: z.unknown().nullish(),
    result: z.looseObject({
      totalCount: z.number().int().nonnegative(),
      searchResults: z.array(item),
      offset: z.number().nullish(),
      limit: z.number().nullish(),
      queryTime: z.number().nullish(),
      facetedResults: z.record(z.string(), z.unknown()).nullish(),
    }),
  });
}

export const tenantMetadataEnvelopeSchema = z.looseObject({
  errors: z.unknown().nullish(),
  result: z.looseObject({ defaultDmPartitionId: z.number() }),
});

/** The error body of a refused call: `{"errors": {"fieldErrors": [...], ...}}` (all optional). */
export const errorEnvelopeSchema = z.looseObject({
  errors: z
    .looseObject({
      fieldErrors: z
        .array(z.looseObject({ field: z.string().nullish(), code: z.string().nullish(), message: z.string().nullish() }))
        .nullish(),
      message: z.string().nullish(),
      messages: z.array(z.unknown()).nullish(),
      requiredRole: z.string().nullish(),
    })
    .nullish(),
});

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/**
 * Parses a tenant payload, or throws a TenantError naming the first offending field and the
 * endpoint. The received value is never quoted: it may be a PIN.
 */
export function parsePayload<T extends z.ZodType>(schema: T, data: unknown, endpoint: string): z.output<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length ? pathText(issue.path) : l10n.t('the body');
  // Predicates set after the field, as the manifest's messages are ("is invalid", in Japanese "は無効です").
  const problem =
    issue?.code === 'invalid_type'
      ? issue.message.includes('received undefined')
        ? l10n.t('is missing (expected {0})', issue.expected)
        : l10n.t('has the wrong type (expected {0})', issue.expected)
      : l10n.t('has an unexpected value');
  throw new TenantError(
    'schema',
    l10n.t("The tenant's answer to {0} does not have the expected shape: {1} {2}, so the API may have changed: update PinPack, or report this with the endpoint named here.", endpoint, field, problem),
    { endpoint },
  );
}
