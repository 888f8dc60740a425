import { PinPackError } from '../core/errors';
import { inspectZip, type InspectReport } from '../core/archive/inspect';
import { lintTexts } from '../core/lint/lint-texts';
import { workspacePinFileParser } from '../core/workspace/pin-file-review';
import { ExitCode, type CliCommand } from './command';

const HELP = `Usage: pinpack inspect ZIP [--format text|json]

Lists a package zip for review without extracting it: every file with its size and SHA-256, the
target, the manifest check (every hash verified), the PIN file masked with its user count and
earliest expiry, and lint findings for the scripts inside. Works on zips built by PinPack and on
zips downloaded from the N-MDM console. Hostile zips (path traversal, links, zip bombs, bad CRCs)
are refused as "pinpack import" refuses them.

Options:
  --format text|json  Output format (default text).

Exit codes: 0 ok, 1 the manifest does not match the files or the zip was refused, 2 usage error,
3 the zip cannot be read.
`;

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
  if (!m.present) return 'manifest: none (not built by PinPack)';
  if (m.problem) return `manifest: ${m.problem}`;
  const problems = [
    ...m.mismatched.map((p) => `${p} differs`),
    ...m.missing.map((p) => `${p} is missing`),
    ...m.unlisted.map((p) => `${p} is not listed`),
  ];
  if (!problems.length) return `manifest: every hash verified (${m.verified} files)`;
  return `manifest: ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`;
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
    const mark = file.manifest === 'mismatch' ? '  (differs from the manifest)' : file.manifest === 'unlisted' ? '  (not in the manifest)' : '';
    const pins = file.pins ? '  (PIN file)' : '';
    lines.push(`  ${size(file.size).padStart(width)}  ${file.sha256.slice(0, 12)}…  ${'  '.repeat(folders.length)}${parts[parts.length - 1]}${pins}${mark}`);
  }
  return lines;
}

export function formatInspectText(report: InspectReport): string {
  const m = report.manifest;
  const built = m.toolVersion ? `, built by PinPack ${m.toolVersion} for ${m.enrollees} enrollee${m.enrollees === 1 ? '' : 's'}${m.redacted ? ', PINs redacted (review copy)' : ''}` : '';
  const kind = report.kind === 'pinpack' ? 'PinPack package' : report.kind === 'console' ? 'console package' : 'zip';
  const lines = [`${report.zip}: ${kind}${built}`, `target: ${report.target.id ? `${report.target.id} (${report.target.label})` : report.target.label}`, manifestLine(report), 'files:', ...tree(report)];
  for (const pin of report.pinFiles) {
    const users = pin.users === undefined ? 'format unknown, not parsed' : `${pin.users} user${pin.users === 1 ? '' : 's'}${pin.earliestExpiry ? `, earliest expiry ${pin.earliestExpiry}` : ''}`;
    lines.push(`PIN file: ${pin.path}: ${users}; content ${pin.content}`);
  }
  if (report.lint === 'not available') {
    lines.push('lint: not available in this build');
  } else {
    const s = report.lint.summary;
    lines.push(`lint: ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos in ${s.files} scripts`);
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
      if (value !== 'text' && value !== 'json') throw new PinPackError('usage', `--format takes text or json, not ${value === undefined ? 'nothing' : `"${value}"`}.`);
      format = value;
    } else if (arg.startsWith('-')) {
      throw new PinPackError('usage', `Unknown option ${arg}: run "pinpack inspect --help" to see the options.`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new PinPackError('usage', 'Give exactly one zip to inspect: pinpack inspect ZIP [--format text|json].');
  return { zip: positional[0] as string, format };
}

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'List a package zip for review: files, hashes, target, manifest check, PINs masked',
  help: HELP,
  run: async (args, io) => {
    const { zip, format } = parseArgs(args);
    const report = await inspectZip(zip, { pinFileParsers: [workspacePinFileParser], lint: lintTexts });
    io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatInspectText(report));
    const m = report.manifest;
    const lintErrors = report.lint !== 'not available' && report.lint.summary.errors > 0;
    return m.problem || m.mismatched.length || m.missing.length || m.unlisted.length || lintErrors ? ExitCode.findings : ExitCode.ok;
  },
};
