import * as l10n from '@vscode/l10n';
import { join, relative, resolve } from 'node:path';
import { PinPackError } from '../core/errors';
import type { Account } from '../core/tenant/schemas';
import type { Manifest } from '../core/workspace/manifest';
import { parseCommandArgs } from './args';
import { ExitCode, type CliCommand, type CliIo } from './command';
import { claimDemoFolder } from './demo-folder';
import { lintCounts } from './lint-counts';
import { displayWidth, renderTable } from './table';

const help = (): string =>
  l10n.t(`Usage: pinpack demo [--dir D]

Runs the whole job against the embedded demo tenant, offline, in a few seconds: starts the
tenant on 127.0.0.1, lists the users of the group "Windows Pilot" and the device accounts of
"Windows Pilot Devices" (EPM case 1 enrolls <device name>@<AD domain>), generates their PINs,
scaffolds one package workspace per target, lints them, builds each zip and one redacted review
copy, inspects one zip, and prints a summary with the paths and SHA-256 of every zip.

Options:
  --dir D   where the workspaces go (default: demo-output). The demo creates the folder and marks
            it as its own; a re-run updates it (files you changed are kept) and rebuilds the zips.
            An existing folder the demo did not create is refused, never overwritten.

The PINs exist only in the demo tenant's memory and inside the built zips; nothing prints them.
`);

/** The demo's group: a handful of users, so the tables stay readable. */
export const DEMO_GROUP = 'Windows Pilot';
const STEPS = 7;

const indent = (text: string): string => text.replace(/^(?=.)/gm, '  ');

/** Lines for a non-terminal: at most one per quarter of the work, so logs stay short. */
function progressReporter(io: CliIo, label: string): { update: (done: number, total: number, detail: string) => void; end: () => void } {
  const live = process.stderr.isTTY === true;
  let quarter = -1;
  return {
    update(done, total, detail) {
      if (live) {
        io.err(`\r  ${label} ${done}/${total}: ${detail}`);
        return;
      }
      const q = Math.floor((done * 4) / Math.max(1, total));
      if (q === quarter) return;
      quarter = q;
      io.out(`  ${label} ${done}/${total}: ${detail}\n`);
    },
    end() {
      if (live) io.err('\n');
    },
  };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('demo', args, { dir: { type: 'string' } }, true);
  if (positionals.length > 0) throw new PinPackError('usage', l10n.t('pinpack demo takes no folder argument ("{0}"): pass it as --dir D.', positionals[0] ?? ''));
  const started = Date.now();
  const cwd = process.cwd();
  const dir = resolve(cwd, values.dir ?? 'demo-output');
  const shown = (path: string): string => relative(cwd, path) || '.';

  // Loaded on use: the demo pulls in the tenant, the linter and the archive, which no other command needs all at once.
  const [{ startDemoTenant }, { DEMO_DOMAIN, DEMO_DEVICE_GROUP }, { TenantClient }, { generatePins }, { accountState }, { scaffoldWorkspace }, { TargetId, TARGETS }, { lintPaths }, { buildWorkspace }, { resolveEnrolleePins }, { buildTimestamp }, { inspectCommand }] = await Promise.all([
    import('../demo-tenant/server.js'),
    import('../demo-tenant/directory.js'),
    import('../core/tenant/client.js'),
    import('../core/tenant/pin-generation.js'),
    import('./tenant-format.js'),
    import('../core/workspace/scaffold.js'),
    import('../core/workspace/targets.js'),
    import('../core/lint/run.js'),
    import('../core/workspace/build-workspace.js'),
    import('../core/workspace/enrollee-pins.js'),
    import('../core/archive/zip-format.js'),
    import('./inspect.js'),
  ]);

  const fresh = await claimDemoFolder(dir);
  const output = fresh ? l10n.t('Output: {0}', shown(dir)) : l10n.t('Output: {0} (already there from an earlier run: updating it)', shown(dir));
  io.out(`${l10n.t('PinPack demo: the whole job on the embedded demo tenant (offline; no real tenant is touched).')}\n${output}\n\n`);

  const tenant = await startDemoTenant({ users: 500, seed: 'pinpack' });
  const client = new TenantClient({ url: tenant.url, username: tenant.username, password: tenant.password });
  try {
    io.out(`[1/${STEPS}] ${l10n.t('Demo tenant on {0}: {1} users, API user {2}', tenant.url, tenant.directory.count, tenant.username)}\n\n`);

    const people: Account[] = [];
    for await (const account of client.groupMembers(DEMO_GROUP)) people.push(account);
    io.out(`[2/${STEPS}] ${l10n.t('Users of the group "{0}": {1}', DEMO_GROUP, people.length)}\n`);
    io.out(indent(renderTable(['UID', l10n.t('NAME'), l10n.t('STATE')], people.map((a) => [a.uid, a.displayName ?? '', accountState(a)]))));
    // EPM case 1 runs as LocalSystem and enrolls <device name>@<AD domain>: its enrollees are
    // the devices' own accounts, not people.
    const devices: Account[] = [];
    for await (const account of client.groupMembers(DEMO_DEVICE_GROUP)) devices.push(account);
    io.out(`  ${l10n.t('Device accounts of the group "{0}" (EPM case 1 enrolls <device name>@<AD domain>): {1}', DEMO_DEVICE_GROUP, devices.length)}\n`);
    io.out(indent(renderTable(['UID', l10n.t('NAME'), l10n.t('STATE')], devices.map((a) => [a.uid, a.displayName ?? '', accountState(a)]))));
    io.out('\n');
    const members = [...people, ...devices];

    io.out(`[3/${STEPS}] ${l10n.t('Generating their PINs (valid 24 hours; never shown)')}\n`);
    const progress = progressReporter(io, 'PINs');
    const results = await generatePins(client, members, {
      onProgress: (p) => progress.update(p.done, p.total, l10n.t('{0} issued, {1} skipped, {2} failed', p.issued, p.skipped, p.failed)),
    });
    progress.end();
    for (const r of results) {
      if (r.status === 'skipped' || r.status === 'failed') io.out(`  ${r.account.uid}: ${r.status === 'skipped' ? l10n.t('skipped') : l10n.t('failed')}, ${r.reason}\n`);
    }
    const failed = results.filter((r) => r.status === 'failed').length;
    if (failed > 0) {
      throw new PinPackError(
        'tenant',
        failed === 1 ? l10n.t('The demo tenant failed to issue 1 PIN; run the demo again.') : l10n.t('The demo tenant failed to issue {0} PINs; run the demo again.', failed),
      );
    }
    io.out('\n');

    const targets = TargetId.options;
    io.out(`[4/${STEPS}] ${l10n.t('Scaffolding one workspace per target into {0}', shown(dir))}\n`);
    const workspaces: { target: (typeof targets)[number]; dir: string }[] = [];
    for (const target of targets) {
      const wsDir = join(dir, target);
      const report = await scaffoldWorkspace({
        dir: wsDir,
        target,
        name: `pilot-${target}`,
        groups: [TARGETS[target].needsAdDomain ? DEMO_DEVICE_GROUP : DEMO_GROUP],
        ...(TARGETS[target].needsAdDomain ? { adDomain: DEMO_DOMAIN } : {}),
        onConflict: 'keep',
      });
      const counts = l10n.t('{0} created, {1} updated, {2} unchanged', report.created.length, report.updated.length, report.unchanged.length);
      const kept = report.kept.length ? l10n.t(', kept your changes to {0}', report.kept.join(', ')) : '';
      io.out(`  ${target.padEnd(18)} ${shown(wsDir)}: ${counts}${kept}\n`);
      workspaces.push({ target, dir: wsDir });
    }
    io.out('\n');

    io.out(`[5/${STEPS}] ${l10n.t('Linting the workspaces')}\n`);
    for (const ws of workspaces) {
      const { report } = lintPaths([ws.dir], cwd);
      io.out(`  ${ws.target.padEnd(18)} ${lintCounts(report.summary)}\n`);
      for (const f of report.files) for (const d of f.diagnostics) io.out(`    ${f.path}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}\n`);
    }
    io.out('\n');

    io.out(`[6/${STEPS}] ${l10n.t('Building the zips (lint gate, PINs read back from the tenant, atomic write)')}\n`);
    const timestamp = buildTimestamp(io.env);
    const resolvePins = (manifest: Manifest) => resolveEnrolleePins(client, manifest.enrollees);
    const builds = [];
    for (const [i, ws] of workspaces.entries()) {
      const build = await buildWorkspace({ dir: ws.dir, cwd, timestamp, toolVersion: PINPACK_VERSION, resolvePins });
      const enrollees = build.enrollees === 1 ? l10n.t('1 enrollee') : l10n.t('{0} enrollees', build.enrollees);
      io.out(`  ${i + 1}/${workspaces.length} ${ws.target.padEnd(18)} ${shown(build.built.path)} (${enrollees})\n`);
      builds.push({ label: ws.target, build });
    }
    const first = workspaces[0] as (typeof workspaces)[number];
    // The demo has the tenant at hand, so its review copy lists every group member, PINs masked.
    const review = await buildWorkspace({ dir: first.dir, cwd, timestamp, toolVersion: PINPACK_VERSION, redact: true, resolvePins });
    io.out(`  ${l10n.t('review copy of {0}: {1} (PINs masked)', first.target, shown(review.built.path))}\n`);
    builds.push({ label: l10n.t('{0} (redacted)', first.target), build: review });
    io.out('\n');

    const inspected = builds[0]?.build.built.path as string;
    io.out(`[7/${STEPS}] ${l10n.t('Inspecting {0} (pinpack inspect)', shown(inspected))}\n`);
    const inspectOut: string[] = [];
    const inspectCode = await inspectCommand.run([inspected], { ...io, out: (text) => inspectOut.push(text) });
    io.out(indent(inspectOut.join('')));
    if (inspectCode !== ExitCode.ok) throw new PinPackError('refused', l10n.t("Inspecting {0} found problems (listed above); report this, the demo's own zip should verify.", shown(inspected)));
    io.out('\n');

    io.out(`${l10n.t('Summary')}\n`);
    io.out(
      renderTable(
        [l10n.t('TARGET'), l10n.t('ENROLLEES'), l10n.t('LINT (E/W/I)'), 'ZIP', 'SHA-256'],
        builds.map(({ label, build }) => {
          const s = build.lint.summary;
          return [label, String(build.enrollees), `${s.errors}/${s.warnings}/${s.infos}`, shown(build.built.path), build.sha256];
        }),
      ),
    );
    const hints = [
      [l10n.t('Open the result in VS Code:'), `code ${shown(dir)}`],
      [l10n.t('Review a zip:'), `pinpack inspect ${shown(inspected)}   ${l10n.t('(from a clone: node dist/cli.js inspect ...)')}`],
    ] as const;
    const width = Math.max(...hints.map(([label]) => displayWidth(label)));
    io.out('\n');
    for (const [label, command] of hints) io.out(`${label}${' '.repeat(width - displayWidth(label) + 2)}${command}\n`);
    io.out(`${l10n.t('Done in {0} s.', ((Date.now() - started) / 1000).toFixed(1))}\n`);
    return ExitCode.ok;
  } finally {
    client.close();
    await tenant.close();
  }
}

export const demoCommand: CliCommand = {
  name: 'demo',
  get help() {
    return help();
  },
  run,
};
