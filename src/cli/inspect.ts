import * as l10n from '@vscode/l10n';
import { PinPackError } from '../core/errors';
import { inspectZip, type InspectReport } from '../core/archive/inspect';
import { withLanguage } from '../core/language';
import { lintTexts } from '../core/lint/lint-texts';
import { workspacePinFileParser } from '../core/workspace/pin-file-review';
import { ExitCode, type CliCommand } from './command';
import { lintCounts } from './lint-counts';

const help = (): string =>
  l10n.t(`Usage: pinpack inspect ZIP [--format text|json]

Lists a package zip for review without extracting it: every file with its size and SHA-256, the
target, the manifest check (every hash verified), the PIN file masked with its user count and
earliest expiry, and lint findings for the scripts inside. Works on zips built by PinPack and on
zips downloaded from the N-MDM console. Hostile zips (path traversal, links, zip bombs, bad CRCs)
are refused as "pinpack import" refuses them.

Options:
  --format text|json  Output format (default text).

Exit codes: 0 ok, 1 the manifest does not match the files or the zip was refused, 2 usage error,
3 the zip cannot be read.
`);

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function manifestLine(report: InspectReport): string {
  const m = report.manifest;
  if (!m.present) return l10n.t('manifest: none (not built by PinPack)');
  if (m.problem) return l10n.t('manifest: {0}', m.problem);
  const problems = [
    ...m.mismatched.map((p) => l10n.t('{0} differs', p)),
    ...m.missing.map((p) => l10n.t('{0} is missing', p)),
    ...m.unlisted.map((p) => l10n.t('{0} is not listed', p)),
  ];
  if (!problems.length) return l10n.t('manifest: every hash verified ({0} files)', m.verified);
  const list = problems.join('; ');
  return problems.length === 1 ? l10n.t('manifest: 1 problem: {0}', list) : l10n.t('manifest: {0} problems: {1}', problems.length, list);
}

/** The tree: folders once, files indented under them, with size and hash. */
function tree(report: InspectReport): string[] {
  const lines: string[] = [];
  let open: string[] = [];
  const width = Math.max(...report.files.map((f) => size(f.size).length), 4);
  for (const file of [...report.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const parts = file.path.split('/');
    const folders = parts.slice(0, -1);
    let common = 0;
    while (common < folders.length && folders[common] === open[common]) common++;
    for (let i = common; i < folders.length; i++) lines.push(`  ${' '.repeat(width + 17)}${'  '.repeat(i)}${folders[i]}/`);
    open = folders;
    const mark = file.manifest === 'mismatch' ? `  ${l10n.t('(differs from the manifest)')}` : file.manifest === 'unlisted' ? `  ${l10n.t('(not in the manifest)')}` : '';
    const pins = file.pins ? `  ${l10n.t('(PIN file)')}` : '';
    lines.push(`  ${size(file.size).padStart(width)}  ${file.sha256.slice(0, 12)}…  ${'  '.repeat(folders.length)}${parts[parts.length - 1]}${pins}${mark}`);
  }
  return lines;
}

export function formatInspectText(report: InspectReport): string {
  const m = report.manifest;
  const enrollees = m.enrollees === 1 ? l10n.t('1 enrollee') : l10n.t('{0} enrollees', m.enrollees ?? 0);
  const built = m.toolVersion ? `${l10n.t(', built by PinPack {0} for {1}', m.toolVersion, enrollees)}${m.redacted ? l10n.t(', PINs redacted (review copy)') : ''}` : '';
  const kind = report.kind === 'pinpack' ? l10n.t('PinPack package') : report.kind === 'console' ? l10n.t('console package') : l10n.t('zip');
  const target = report.target.id ? `${report.target.id} (${report.target.label})` : report.target.label;
  const lines = [`${report.zip}: ${kind}${built}`, l10n.t('target: {0}', target), manifestLine(report), l10n.t('files:'), ...tree(report)];
  for (const pin of report.pinFiles) {
    const count = pin.users === 1 ? l10n.t('1 user') : l10n.t('{0} users', pin.users ?? 0);
    const users = pin.users === undefined ? l10n.t('format unknown, not parsed') : pin.earliestExpiry ? l10n.t('{0}, earliest expiry {1}', count, pin.earliestExpiry) : count;
    lines.push(l10n.t('PIN file: {0}: {1}; content {2}', pin.path, users, pin.content));
  }
  if (report.lint === 'not available') {
    lines.push(l10n.t('lint: not available in this build'));
  } else {
    lines.push(l10n.t('lint: {0}', lintCounts(report.lint.summary, 'scripts')));
    for (const file of report.lint.files) for (const d of file.diagnostics) lines.push(`  ${file.path}:${d.line}:${d.column} ${d.severity} ${d.message} [${d.rule}]`);
  }
  return `${lines.join('\n')}\n`;
}

function parseArgs(args: readonly string[]): { zip: string; format: 'text' | 'json' } {
  let format: 'text' | 'json' = 'text';
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice('--format='.length) : args[++i];
      if (value !== 'text' && value !== 'json') throw new PinPackError('usage', value === undefined ? l10n.t('--format takes text or json, not nothing.') : l10n.t('--format takes text or json, not "{0}".', value));
      format = value;
    } else if (arg.startsWith('-')) {
      throw new PinPackError('usage', l10n.t('Unknown option {0}: run "pinpack inspect --help" to see the options.', arg));
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new PinPackError('usage', l10n.t('Give exactly one zip to inspect: pinpack inspect ZIP [--format text|json].'));
  return { zip: positional[0] as string, format };
}

export const inspectCommand: CliCommand = {
  name: 'inspect',
  get help() {
    return help();
  },
  run: async (args, io) => {
    const { zip, format } = parseArgs(args);
    // As in `pinpack lint`, the JSON report keeps its lint messages in English. lintTexts does its
    // work before it returns its promise, so the language is back before anything else runs.
    const lint = format === 'json' ? (files: Parameters<typeof lintTexts>[0]) => withLanguage('en', () => lintTexts(files)) : lintTexts;
    const report = await inspectZip(zip, { pinFileParsers: [workspacePinFileParser], lint });
    io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatInspectText(report));
    const m = report.manifest;
    const lintErrors = report.lint !== 'not available' && report.lint.summary.errors > 0;
    return m.problem || m.mismatched.length || m.missing.length || m.unlisted.length || lintErrors ? ExitCode.findings : ExitCode.ok;
  },
};
