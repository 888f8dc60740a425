import * as l10n from '@vscode/l10n';
import { readFileSync } from 'node:fs';
import { PinPackError } from '../../errors';
import type { DisplayLanguage } from '../../language';
import { decode } from '../decode';
import type { LintFinding } from '../engine';
import { parseManifestDocument, type ManifestParse } from '../manifest/parser';
import { createLintReport } from '../report';
import type { LintRun } from '../run';
import { checkManifestUsers, planTenantCheck, type TenantCheckPlan, type UserDirectory } from './users';

/**
 * `pinpack lint --check-users`: PP3004 added to a finished lint run. Planned first, offline, so
 * that a run whose manifests name nobody (or turn the rule off) never connects; then every
 * manifest is checked, and the report is rebuilt so its summary counts the new findings.
 */

export interface TenantCheckTarget {
  /** The report path of the manifest. */
  readonly shown: string;
  readonly parse: ManifestParse;
  readonly plan: TenantCheckPlan;
}

/** The manifests of a run that have users or groups to ask the tenant about. */
export function tenantCheckTargets(run: LintRun): TenantCheckTarget[] {
  const targets: TenantCheckTarget[] = [];
  for (const file of run.report.files) {
    if (file.language !== 'manifest') continue;
    const input = run.inputs.get(file.path);
    if (!input) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(input.path);
    } catch (error) {
      throw new PinPackError('io', l10n.t('{0} could not be read ({1}): check its permissions.', input.path, (error as NodeJS.ErrnoException).code ?? 'error'), { cause: error });
    }
    // Decoded as lintFile decodes it, so offsets and positions agree with the offline findings.
    const parse = parseManifestDocument(decode(bytes).text);
    const plan = planTenantCheck(parse, input.config);
    if (plan) targets.push({ shown: file.path, parse, plan });
  }
  return targets;
}

export interface TenantCheckSummary {
  readonly run: LintRun;
  readonly manifests: number;
  readonly users: number;
  readonly groups: number;
}

/** Runs the check on the targets and returns the run with their findings merged in. */
export async function addTenantFindings(
  run: LintRun,
  targets: readonly TenantCheckTarget[],
  client: UserDirectory,
  options: { readonly messages?: DisplayLanguage; readonly signal?: AbortSignal } = {},
): Promise<TenantCheckSummary> {
  const started = process.hrtime.bigint();
  const added = new Map<string, LintFinding[]>();
  for (const target of targets) {
    const config = run.inputs.get(target.shown)?.config ?? {};
    added.set(target.shown, await checkManifestUsers(target.parse, client, { config, ...options }));
  }
  const findings = new Map(run.findings);
  const files = run.report.files.map((file) => {
    const more = added.get(file.path);
    if (!more?.length) return file;
    const all = [...(run.findings.get(file.path) ?? []), ...more].sort((a, b) => a.start - b.start || a.end - b.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    findings.set(file.path, all);
    return { ...file, diagnostics: all.map(({ start: _s, end: _e, edits: _x, ...d }) => d) };
  });
  const durationMs = run.report.summary.durationMs + Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
  return {
    run: { ...run, report: createLintReport(files, durationMs), findings },
    manifests: targets.length,
    users: targets.reduce((n, t) => n + t.plan.uids.length, 0),
    groups: targets.reduce((n, t) => n + new Set(t.plan.groups.map((g) => g.value as string)).size, 0),
  };
}
