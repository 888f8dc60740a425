import * as l10n from '@vscode/l10n';
import syntaxDocs from '../../../../../docs/rules/PP3000.md';
import schemaDocs from '../../../../../docs/rules/PP3001.md';
import targetDocs from '../../../../../docs/rules/PP3003.md';
import { formatJsonPath, validateManifest, type ManifestIssue } from '../../../workspace/manifest';
import { TARGETS, TargetId } from '../../../workspace/targets';
import { keyRangeOf, nodeAt, rangeOf, type ManifestParse } from '../../manifest/parser';
import type { Rule } from '../../rule';
import { isUserIdPath, userIdProblem } from './users';

export const manifestSyntax: Rule<ManifestParse> = {
  id: 'PP3000',
  language: 'manifest',
  severity: 'error',
  message: 'Fix this JSON syntax error: PinPack cannot read pinpack.json until it parses.',
  docs: syntaxDocs,
  fixable: false,
  check({ parsed, report }) {
    const e = parsed.syntaxError;
    if (e) report({ start: e.start, end: e.end, message: e.message });
  },
};

/** Where a value of the current shape sits in a first-preview (version 0) manifest, which the schema sees migrated. */
const V0_PATHS: ReadonlyArray<[string, readonly string[]]> = [
  ['enrollees.users', ['users']],
  ['enrollees.groups', ['groups']],
  ['tenant.url', ['tenantUrl']],
  ['device.adDomain', ['adDomain']],
  ['device.destination', ['destination']],
];

function inFile(parse: ManifestParse, path: readonly (string | number)[]): readonly (string | number)[] {
  if (nodeAt(parse, path) || typeof parse.value !== 'object' || parse.value === null || 'schemaVersion' in parse.value) return path;
  for (const [current, old] of V0_PATHS) {
    const prefix = current.split('.');
    if (prefix.every((p, i) => path[i] === p)) return [...old, ...path.slice(prefix.length)];
  }
  return path;
}

function describe(parse: ManifestParse, issue: ManifestIssue): string {
  const where = formatJsonPath(issue.path);
  const node = nodeAt(parse, issue.path);
  if (!node && issue.path.length > 0 && issue.code !== 'unrecognized_keys') return l10n.t('"{0}" is missing: add it.', where);
  if (issue.code === 'invalid_value' && issue.values) {
    const values = issue.values.map((v) => JSON.stringify(v));
    return values.length === 1 ? l10n.t('"{0}" must be {1}.', where, values[0] as string) : l10n.t('"{0}" must be one of {1}.', where, values.join(', '));
  }
  if (issue.code === 'invalid_type' && issue.expected && node) {
    return l10n.t('"{0}" must be {1}, not {2}.', where, issue.expected, node.type);
  }
  // PinPack's own wording is a predicate ("must not be empty"); zod's defaults are sentences.
  return /^[a-z]/.test(issue.message) ? l10n.t('"{0}" {1}.', where, issue.message) : l10n.t('"{0}": {1}', where, issue.message);
}

export const manifestSchema: Rule<ManifestParse> = {
  id: 'PP3001',
  language: 'manifest',
  severity: 'error',
  message: 'Fix this pinpack.json value: it does not match the manifest schema, and pinpack build and new refuse the file.',
  docs: schemaDocs,
  fixable: false,
  check({ parsed, report }) {
    if (parsed.value === undefined) return;
    const result = validateManifest(parsed.value);
    if (result.ok) return;
    for (const found of result.issues) {
      const issue = { ...found, path: inFile(parsed, found.path) };
      if (issue.code === 'unrecognized_keys' && issue.keys) {
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          report({ ...keyRangeOf(parsed, path), message: l10n.t('"{0}" is not a pinpack.json setting: remove it or fix its name.', formatJsonPath(path)) });
        }
        continue;
      }
      // PP3002 says more about a user id than the schema can.
      if (isUserIdPath(issue.path) && userIdProblem(nodeAt(parsed, issue.path)?.value)) continue;
      report({ ...rangeOf(parsed, issue.path), message: describe(parsed, issue) });
    }
  },
};

export const targetNeeds: Rule<ManifestParse> = {
  id: 'PP3003',
  language: 'manifest',
  severity: 'error',
  message: 'Add the settings this target needs: EPM case 1 enrolls <device name>@<AD domain>, so it needs "device.adDomain".',
  docs: targetDocs,
  fixable: false,
  check({ parsed, report }) {
    const target = nodeAt(parsed, ['target']);
    const id = TargetId.safeParse(target?.value);
    if (!target || !id.success || !TARGETS[id.data].needsAdDomain) return;
    const domain = nodeAt(parsed, ['device', 'adDomain']) ?? nodeAt(parsed, ['adDomain']);
    if (domain && typeof domain.value === 'string' && domain.value.trim() !== '') return;
    report({
      start: target.offset,
      end: target.offset + target.length,
      message: l10n.t('Target {0} enrolls each device as <device name>@<AD domain>, but "device.adDomain" is not set: add the AD domain, such as "adDomain": "contoso.com" in "device".', id.data),
    });
  },
};
