import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import { PinPackError } from '../../../../src/core/errors';
import { TEMPLATE_FILES } from '../../../../src/core/templates';
import { parseManifest } from '../../../../src/core/workspace/manifest';
import { scaffoldWorkspace, type Conflict } from '../../../../src/core/workspace/scaffold';
import { TargetId, type TargetId as Target } from '../../../../src/core/workspace/targets';
import { distDir } from '../../paths';

function tree(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? tree(path).map((p) => join(name, p)) : [name];
    })
    .map((p) => p.split('\\').join('/'))
    .sort();
}

const EXPECTED_TREES: Record<Target, string[]> = {
  sccm: ['.gitignore', '.pinpack/scaffold.json', 'New-PinPackSccmObjects.ps1', 'README.md', 'pinpack-copy.bat', 'pinpack.json', 'setup.ps1'],
  'epm-case1': ['.gitignore', '.pinpack/scaffold.json', 'README.md', 'pinpack.json', 'setup.ps1'],
  'epm-case2': ['.gitignore', '.pinpack/scaffold.json', 'README.md', 'pinpack.json', 'setup.ps1'],
  'epm-case3-twostep': [
    '.gitignore',
    '.pinpack/scaffold.json',
    'README.md',
    'pinpack.json',
    'setup.ps1',
    'setupEPMCopyContentsToTempFolderStep1.ps1',
    'setupEPMCopyContentsToTempFolderStep2.ps1',
  ],
  'epm-case3-uac': ['.gitignore', '.pinpack/scaffold.json', 'Disable-PinPackUac.ps1', 'README.md', 'Restore-PinPackUac.ps1', 'pinpack.json', 'setup.ps1'],
};

const SECTION: Record<Target, RegExp> = {
  sccm: /Software Library > Application Management > Packages/,
  'epm-case1': /\*\*Account\*\*: LocalSystem[\s\S]*enrolls `<device name>@contoso\.com`|enrolls `<device name>@contoso\.com`/,
  'epm-case2': /\*\*Account\*\*: Current user/,
  'epm-case3-twostep': /setupEPMCopyContentsToTempFolderStep2\.ps1/,
  'epm-case3-uac': /Security warning[\s\S]*Restore-PinPackUac\.ps1/,
};

describe('core/workspace/scaffold', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-scaffold-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  for (const target of TargetId.options) {
    it(`writes the expected tree for ${target}, scripts byte for byte`, async () => {
      const dir = join(root, 'Sales');
      const report = await scaffoldWorkspace({ dir, target, users: ['a@contoso.com'], adDomain: 'contoso.com' });
      assert.deepEqual(tree(dir), EXPECTED_TREES[target]);
      assert.deepEqual(report.kept, []);
      for (const name of tree(dir).filter((n) => /\.(ps1|bat)$/.test(n))) {
        assert.equal(readFileSync(join(dir, name), 'utf8'), TEMPLATE_FILES[name], name);
      }
      const manifest = parseManifest(readFileSync(join(dir, 'pinpack.json'), 'utf8'));
      assert.equal(manifest.name, 'Sales');
      assert.equal(manifest.target, target);
      assert.deepEqual(manifest.enrollees.users, ['a@contoso.com']);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      assert.match(readme, /^# Sales: PIN-based enrollment/);
      assert.match(readme, SECTION[target]);
      assert.match(readme, /Uninstall-ProvisioningPackage/);
      assert.doesNotMatch(readme, /\{\{\w+\}\}/, 'an unfilled slot');
      const gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
      for (const ignored of ['pinpack-pins.json', '*.ppkg', '.pinpack/', '*.zip']) assert.ok(gitignore.split('\n').includes(ignored), ignored);
    });
  }

  it('quotes the package name for PowerShell in the README\'s roll-back command', async () => {
    await scaffoldWorkspace({ dir: root, target: 'epm-case2', name: "Sales Co's" });
    assert.match(readFileSync(join(root, 'README.md'), 'utf8'), /Where-Object PackageName -eq 'Sales Co''s'/);
  });

  it('documents in the README every exit code that setup.ps1 documents', async () => {
    await scaffoldWorkspace({ dir: root, target: 'epm-case2', name: 'Codes' });
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const notes = /Exit codes:\n([\s\S]*?)#>/.exec(TEMPLATE_FILES['setup.ps1'] ?? '')?.[1] ?? '';
    const codes = [...notes.matchAll(/^\s+(\d+)\s/gm)].map((m) => m[1]);
    assert.ok(codes.length >= 10, `found ${codes.length} codes`);
    for (const code of codes) assert.match(readme, new RegExp(`^\\| ${code} \\|`, 'm'), `exit code ${code}`);
  });

  it('writes manifests that the generated JSON Schema (dist/pinpack.schema.json) accepts, and it rejects a bad one', async () => {
    const schema = JSON.parse(readFileSync(join(distDir, 'pinpack.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false, logger: false }).compile(schema);
    for (const target of TargetId.options) {
      const dir = join(root, target);
      await scaffoldWorkspace({ dir, target, users: ['a@contoso.com'], groups: ['Sales'], adDomain: 'contoso.com' });
      const manifest = JSON.parse(readFileSync(join(dir, 'pinpack.json'), 'utf8')) as unknown;
      assert.equal(validate(manifest), true, `${target}: ${JSON.stringify(validate.errors)}`);
    }
    assert.equal(validate({ schemaVersion: 1, name: 'x', target: 'intune' }), false);
    assert.equal(validate({ schemaVersion: 1, name: 'x', target: 'sccm', pin: '1234' }), false);
  });

  it('updates untouched files on a re-run and merges new enrollees into the manifest', async () => {
    await scaffoldWorkspace({ dir: root, target: 'sccm', name: 'Sales', users: ['a@contoso.com'] });
    // An older PinPack wrote a different setup.ps1: simulate it by rewriting file and recorded hash.
    const state = JSON.parse(readFileSync(join(root, '.pinpack/scaffold.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    writeFileSync(join(root, 'setup.ps1'), 'old template\n');
    state.files['setup.ps1'] = { ...state.files['setup.ps1'], sha256: (await import('node:crypto')).createHash('sha256').update('old template\n').digest('hex') } as never;
    writeFileSync(join(root, '.pinpack/scaffold.json'), JSON.stringify(state));

    const report = await scaffoldWorkspace({ dir: root, target: 'sccm', users: ['b@contoso.com'] });
    assert.deepEqual(report.updated.sort(), ['pinpack.json', 'setup.ps1']);
    assert.equal(readFileSync(join(root, 'setup.ps1'), 'utf8'), TEMPLATE_FILES['setup.ps1']);
    assert.deepEqual(parseManifest(readFileSync(join(root, 'pinpack.json'), 'utf8')).enrollees.users, ['a@contoso.com', 'b@contoso.com']);
  });

  it('keeps a file the admin changed by default, and leaves a no-op run fully unchanged', async () => {
    await scaffoldWorkspace({ dir: root, target: 'epm-case2', name: 'Sales' });
    writeFileSync(join(root, 'setup.ps1'), '# my own edits\n');
    const again = await scaffoldWorkspace({ dir: root, target: 'epm-case2' });
    assert.deepEqual(again.kept, ['setup.ps1']);
    assert.deepEqual(again.created, []);
    assert.deepEqual(again.updated, []);
    assert.equal(readFileSync(join(root, 'setup.ps1'), 'utf8'), '# my own edits\n');
    const third = await scaffoldWorkspace({ dir: root, target: 'epm-case2' });
    assert.deepEqual(third.kept, ['setup.ps1'], 'a kept file stays a conflict on later runs');
  });

  it('sweeps the hidden temp files a killed scaffold left (beside kept files and in its state folder), not those of a live process', async () => {
    await scaffoldWorkspace({ dir: root, target: 'epm-case2', name: 'Sales' });
    writeFileSync(join(root, 'setup.ps1'), '# my own edits\n');
    // A process id that is certainly gone: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = ['.setup.ps1.' + dead + '.0badc0de.pinpack-tmp', '.pinpack/.scaffold.json.' + dead + '.0badc0de.pinpack-tmp', '.README.md.' + dead + '.0badc0de.pinpack-tmp'];
    const live = '.README.md.' + process.ppid + '.0badc0de.pinpack-tmp';
    for (const name of [...stale, live]) writeFileSync(join(root, name), 'half a file');
    const again = await scaffoldWorkspace({ dir: root, target: 'epm-case2' });
    assert.deepEqual(again.kept, ['setup.ps1']);
    const left = tree(root).filter((f) => f.endsWith('.pinpack-tmp'));
    assert.deepEqual(left, [live], 'only the live process\'s temp file stays');
  });

  it('asks about a changed file with a diff, and overwrites it with a backup when told to', async () => {
    await scaffoldWorkspace({ dir: root, target: 'epm-case2', name: 'Sales' });
    const original = TEMPLATE_FILES['setup.ps1'] ?? '';
    const edited = original.replace("$ErrorActionPreference = 'Stop'", "$ErrorActionPreference = 'Stop'\n# audited by Sales IT");
    writeFileSync(join(root, 'setup.ps1'), edited);
    const asked: Conflict[] = [];
    const report = await scaffoldWorkspace({
      dir: root,
      target: 'epm-case2',
      now: new Date('2026-11-26T10:00:00Z'),
      onConflict: async (conflict) => {
        asked.push(conflict);
        return 'overwrite';
      },
    });
    assert.deepEqual(asked.map((c) => c.path), ['setup.ps1']);
    assert.match(asked[0]?.diff() ?? '', /^--- setup\.ps1 \(yours\)\n\+\+\+ setup\.ps1 \(PinPack\)\n@@ -\d+,\d+ \+\d+,\d+ @@\n[\s\S]*^-# audited by Sales IT$/m);
    assert.deepEqual(report.overwritten, [{ path: 'setup.ps1', backup: '.pinpack/backup/setup.ps1.2026-11-26T10-00-00-000Z' }]);
    assert.equal(readFileSync(join(root, 'setup.ps1'), 'utf8'), original);
    assert.equal(readFileSync(join(root, '.pinpack/backup/setup.ps1.2026-11-26T10-00-00-000Z'), 'utf8'), edited);
  });

  it('treats files already in a folder without a workspace as the admin\'s: kept, never overwritten', async () => {
    writeFileSync(join(root, 'setup.ps1'), '# the admin\'s own script\n');
    writeFileSync(join(root, 'notes.txt'), 'mine');
    const report = await scaffoldWorkspace({ dir: root, target: 'epm-case2', name: 'Sales' });
    assert.deepEqual(report.kept, ['setup.ps1']);
    assert.equal(readFileSync(join(root, 'setup.ps1'), 'utf8'), "# the admin's own script\n");
    assert.equal(readFileSync(join(root, 'notes.txt'), 'utf8'), 'mine');
  });

  it('refuses bad input with one sentence and loses nothing', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'precious');
    await assert.rejects(scaffoldWorkspace({ dir: file, target: 'sccm' }), (e: unknown) => e instanceof PinPackError && /is a file, not a folder/.test(e.message));
    assert.equal(readFileSync(file, 'utf8'), 'precious');

    await assert.rejects(scaffoldWorkspace({ dir: root, target: 'intune' as Target }), /Unknown target "intune": choose one of sccm, /);

    const ws = join(root, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'pinpack.json'), '{ "schemaVersion": 1, "name": "x", "target": "sccm", "enrollees": { "users": ["a b@c.com"] } }');
    writeFileSync(join(ws, 'setup.ps1'), 'mine');
    await assert.rejects(scaffoldWorkspace({ dir: ws, target: 'sccm' }), /pinpack\.json: "enrollees\.users\[0\]" must not contain spaces/);
    assert.deepEqual(tree(ws), ['pinpack.json', 'setup.ps1']);
    assert.equal(readFileSync(join(ws, 'setup.ps1'), 'utf8'), 'mine');

    await assert.rejects(scaffoldWorkspace({ dir: join(root, 'x'), target: 'sccm', users: ['taro\u3000yamada@contoso.com'] }), /"enrollees\.users\[0\]" must not contain spaces.*fix the option/);
    await assert.rejects(scaffoldWorkspace({ dir: join(root, 'bad|name'), target: 'sccm' }), /"name" must not contain .*pass --name/);

    await scaffoldWorkspace({ dir: join(root, 'y'), target: 'sccm' });
    await assert.rejects(scaffoldWorkspace({ dir: join(root, 'y'), target: 'epm-case1' }), /already holds a sccm workspace: pass --target sccm/);
  });

  it('keeps the workspace relative paths portable', async () => {
    await scaffoldWorkspace({ dir: root, target: 'sccm', name: 'Sales' });
    const state = JSON.parse(readFileSync(join(root, '.pinpack/scaffold.json'), 'utf8')) as { files: Record<string, unknown> };
    assert.deepEqual(Object.keys(state.files), ['.gitignore', 'New-PinPackSccmObjects.ps1', 'README.md', 'pinpack-copy.bat', 'setup.ps1']);
    assert.equal(relative(root, join(root, 'pinpack-copy.bat')), 'pinpack-copy.bat');
    assert.ok(readFileSync(join(root, 'pinpack-copy.bat'), 'utf8').includes('\r\n'), 'the copier keeps CRLF on disk');
  });
});
