import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yazl from 'yazl';
import { PinPackError } from '../../../../src/core/errors';
import { importConsoleZip, inferTarget, isPinFileName } from '../../../../src/core/workspace/import';
import { parseManifest } from '../../../../src/core/workspace/manifest';
import { scaffoldWorkspace } from '../../../../src/core/workspace/scaffold';
import { cliPath } from '../../paths';

interface Entry {
  readonly name: string;
  readonly content?: string;
  readonly mode?: number;
}

/** A zip built with yazl; `rename` then swaps names in the bytes, to make entries yazl refuses to write. */
function makeZip(path: string, entries: readonly Entry[], rename: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const e of entries) zip.addBuffer(Buffer.from(e.content ?? `content of ${e.name}\n`), e.name, { mtime: new Date(0), ...(e.mode ? { mode: e.mode } : {}) });
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => {
      let bytes = Buffer.concat(chunks);
      for (const [from, to] of Object.entries(rename)) {
        assert.equal(from.length, to.length);
        let at = bytes.indexOf(from);
        while (at >= 0) {
          bytes.write(to, at, 'latin1');
          at = bytes.indexOf(from, at + 1);
        }
        bytes = Buffer.from(bytes);
      }
      writeFileSync(path, bytes);
      resolve();
    });
  });
}

function tree(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? tree(join(dir, name)).map((p) => `${name}/${p}`) : [name]))
    .sort();
}

const CONSOLE_PACKAGE: Entry[] = [
  { name: 'Sales/setup.ps1', content: "# console setup\r\n$ErrorActionPreference = 'Stop'\r\n" },
  { name: 'Sales/setupEPMCopyContentsToTempFolderStep1.ps1' },
  { name: 'Sales/setupEPMCopyContentsToTempFolderStep2.ps1' },
  { name: 'Sales/PinFile.txt', content: 'alice@contoso.com,482913\r\n' },
  { name: 'Sales/docs/notes.txt' },
];

describe('core/workspace/import', () => {
  let root: string;
  let zip: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-import-'));
    zip = join(root, 'Sales.zip');
    dir = join(root, 'ws');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function refused(promise: Promise<unknown>, message: RegExp): Promise<void> {
    await assert.rejects(promise, (e: unknown) => {
      assert.ok(e instanceof PinPackError, String(e));
      assert.match(e.message, message);
      return true;
    });
  }

  it('imports a console zip: files kept byte for byte, PINs into the git-ignored .pinpack/, target inferred', async () => {
    await makeZip(zip, CONSOLE_PACKAGE);
    const report = await importConsoleZip({ zip, dir });
    assert.equal(report.manifest.target, 'epm-case3-twostep');
    assert.match(report.targetReason, /step 1 and step 2 scripts/);
    assert.deepEqual(tree(dir), [
      '.gitignore',
      '.pinpack/imported-pins/PinFile.txt',
      '.pinpack/scaffold.json',
      'docs/notes.txt',
      'pinpack.json',
      'setup.ps1',
      'setupEPMCopyContentsToTempFolderStep1.ps1',
      'setupEPMCopyContentsToTempFolderStep2.ps1',
    ]);
    assert.equal(readFileSync(join(dir, 'setup.ps1'), 'utf8'), "# console setup\r\n$ErrorActionPreference = 'Stop'\r\n");
    assert.deepEqual(report.pinFiles, ['.pinpack/imported-pins/PinFile.txt']);
    if (process.platform !== 'win32') assert.equal(statSync(join(dir, '.pinpack/imported-pins/PinFile.txt')).mode & 0o077, 0, 'a PIN file readable by others');
    assert.ok(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n').includes('.pinpack/'));
    const manifest = parseManifest(readFileSync(join(dir, 'pinpack.json'), 'utf8'));
    assert.deepEqual(manifest.imported, {
      from: 'Sales.zip',
      files: ['docs/notes.txt', 'setup.ps1', 'setupEPMCopyContentsToTempFolderStep1.ps1', 'setupEPMCopyContentsToTempFolderStep2.ps1'],
    });
    assert.doesNotMatch(readFileSync(join(dir, 'pinpack.json'), 'utf8'), /482913/);
  });

  it('hands the PIN files to keepPinFile instead of writing them, once the rest is written', async () => {
    await makeZip(zip, CONSOLE_PACKAGE);
    const kept: { path: string; text: string; setupThere: boolean }[] = [];
    const report = await importConsoleZip({
      zip,
      dir,
      keepPinFile: async (path, data) => {
        kept.push({ path, text: data.toString('utf8'), setupThere: existsSync(join(dir, 'setup.ps1')) });
      },
    });
    assert.deepEqual(kept, [{ path: '.pinpack/imported-pins/PinFile.txt', text: 'alice@contoso.com,482913\r\n', setupThere: true }]);
    assert.deepEqual(report.pinFiles, ['.pinpack/imported-pins/PinFile.txt']);
    assert.ok(!tree(dir).some((f) => f.includes('imported-pins')), tree(dir).join(', '));
    for (const file of tree(dir)) assert.doesNotMatch(readFileSync(join(dir, file), 'utf8'), /482913/, file);
  });

  it('undoes the import when keepPinFile fails', async () => {
    await makeZip(zip, CONSOLE_PACKAGE);
    await assert.rejects(importConsoleZip({ zip, dir, keepPinFile: () => Promise.reject(new Error('secret storage unavailable')) }), /secret storage unavailable/);
    assert.ok(!existsSync(dir) || readdirSync(dir).length === 0);
  });

  it('keeps the imported files as the admin\'s on a later scaffold run', async () => {
    await makeZip(zip, CONSOLE_PACKAGE);
    await importConsoleZip({ zip, dir });
    const report = await scaffoldWorkspace({ dir, target: 'epm-case3-twostep' });
    assert.deepEqual(report.kept.sort(), ['setup.ps1', 'setupEPMCopyContentsToTempFolderStep1.ps1', 'setupEPMCopyContentsToTempFolderStep2.ps1']);
    assert.equal(readFileSync(join(dir, 'setup.ps1'), 'utf8'), "# console setup\r\n$ErrorActionPreference = 'Stop'\r\n");
    assert.ok(report.created.includes('README.md'));
  });

  it('infers sccm from a batch copier, epm-case2 from setup.ps1 alone, and obeys --target', async () => {
    assert.equal(inferTarget(['setup.ps1', 'copy.bat']).target, 'sccm');
    assert.equal(inferTarget(['setup.ps1']).target, 'epm-case2');
    await makeZip(zip, [{ name: 'setup.ps1' }]);
    const report = await importConsoleZip({ zip, dir, target: 'epm-case1' });
    assert.equal(report.manifest.target, 'epm-case1');
    assert.equal(report.targetReason, 'chosen with --target');
  });

  it('tells a PIN file from scripts and PinPack\'s own settings', () => {
    assert.equal(isPinFileName('PinFile.txt'), true);
    assert.equal(isPinFileName('sub/pinpack-pins.json'), true);
    assert.equal(isPinFileName('pinpack-settings.json'), false);
    assert.equal(isPinFileName('Get-Pin.ps1'), false);
  });

  it('refuses a zip without setup.ps1 and creates nothing', async () => {
    await makeZip(zip, [{ name: 'readme.txt' }]);
    await refused(importConsoleZip({ zip, dir }), /^Sales\.zip: it holds no setup\.ps1, so it is not a Neurons for MDM deployment package\. Download it again/);
    assert.equal(existsSync(dir), false);
  });

  for (const [label, entries, rename, reason] of [
    ['a ".." entry', [{ name: 'setup.ps1' }, { name: 'aa/evil.txt' }], { 'aa/evil.txt': '../evil.txt' }, /entry "\.\.\/evil\.txt" is refused because the name climbs out/],
    ['an absolute entry', [{ name: 'setup.ps1' }, { name: 'xtmp/evil.txt' }], { 'xtmp/evil.txt': '/tmp/evil.txt' }, /is refused because the name is an absolute path/],
    ['a backslash entry', [{ name: 'setup.ps1' }, { name: 'aa_evil.txt' }], { 'aa_evil.txt': '..\\evil.txt' }, /is refused because the name contains a backslash/],
    ['a symlink', [{ name: 'setup.ps1' }, { name: 'link', mode: 0o120777 }], {}, /"link" is a symbolic link/],
    ['a duplicate in another case', [{ name: 'setup.ps1' }, { name: 'SETUP.ps1' }], {}, /"SETUP\.ps1" is the same file as "setup\.ps1" on Windows/],
    ['a reserved device name', [{ name: 'setup.ps1' }, { name: 'con.txt' }], {}, /"con\.txt" is a device name that Windows reserves/],
  ] as const) {
    it(`refuses ${label} before extracting anything`, async () => {
      await makeZip(zip, entries, rename);
      await refused(importConsoleZip({ zip, dir }), reason);
      assert.equal(existsSync(dir), false);
      assert.equal(existsSync(join(root, 'evil.txt')), false);
    });
  }

  it('refuses a DIR that is not empty and leaves it as it was', async () => {
    await makeZip(zip, CONSOLE_PACKAGE);
    mkdirSync(dir);
    writeFileSync(join(dir, 'mine.txt'), 'precious');
    await refused(importConsoleZip({ zip, dir }), /is not empty: import into a new or empty folder/);
    assert.deepEqual(tree(dir), ['mine.txt']);
  });

  it('refuses a file that is not a zip, and a zip that does not exist', async () => {
    writeFileSync(zip, 'not a zip at all');
    await refused(importConsoleZip({ zip, dir }), /^Refused "Sales\.zip": it is not a zip file or it is truncated \(.*\); download it again\.$/);
    await refused(importConsoleZip({ zip: join(root, 'missing.zip'), dir }), /missing\.zip does not exist/);
    assert.equal(existsSync(dir), false);
  });

  it('works from the command line', async () => {
    await makeZip(zip, CONSOLE_PACKAGE);
    const result = spawnSync(process.execPath, [cliPath, 'import', zip, dir], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Imported into .*ws as epm-case3-twostep \(inferred because it holds the EPM step 1 and step 2 scripts; pass --target to choose another\)\.\n/);
    assert.match(result.stdout, /PIN files, git-ignored: \.pinpack\/imported-pins\/PinFile\.txt\n  next: pinpack new .*ws --target epm-case3-twostep adds the README/);
    assert.doesNotMatch(result.stdout, /482913/);
    const missing = spawnSync(process.execPath, [cliPath, 'import', zip], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'pinpack import: Give the zip and the folder: pinpack import ZIP DIR.\n');
  });
});
