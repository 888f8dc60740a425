import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../paths';

function pinpack(...args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pinpack new', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-cli-new-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('scaffolds a workspace with the options in its manifest and lists what it wrote', () => {
    const dir = join(root, 'Sales');
    const { code, stdout, stderr } = pinpack('new', dir, '--target', 'epm-case1', '--user', 'a@contoso.com', '--user', 'b@contoso.com', '--group', 'Sales', '--ad-domain', 'contoso.com');
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /^Workspace .*Sales \(epm-case1, package "Sales"\):\n  created: pinpack\.json, setup\.ps1, README\.md, \.gitignore\n$/);
    const manifest = JSON.parse(readFileSync(join(dir, 'pinpack.json'), 'utf8')) as { enrollees: unknown; device: { adDomain: string } };
    assert.deepEqual(manifest.enrollees, { users: ['a@contoso.com', 'b@contoso.com'], groups: ['Sales'] });
    assert.equal(manifest.device.adDomain, 'contoso.com');
  });

  it('reminds that EPM case 1 needs the AD domain when none was given', () => {
    const { code, stdout } = pinpack('new', join(root, 'Lab'), '--target', 'epm-case1');
    assert.equal(code, 0);
    assert.match(stdout, /note: epm-case1 enrolls <device name>@<AD domain>: set it with --ad-domain before building\.\n$/);
  });

  it('keeps a changed file on a re-run by default and says so', () => {
    const dir = join(root, 'Sales');
    pinpack('new', dir, '--target', 'epm-case2');
    writeFileSync(join(dir, 'setup.ps1'), 'edited');
    const { code, stdout } = pinpack('new', dir, '--target', 'epm-case2');
    assert.equal(code, 0);
    assert.match(stdout, /kept \(you changed them; .*\): setup\.ps1/);
    assert.equal(readFileSync(join(dir, 'setup.ps1'), 'utf8'), 'edited');
  });

  it('refuses "ask" without a terminal, before writing anything', () => {
    const dir = join(root, 'Sales');
    const { code, stderr } = pinpack('new', dir, '--target', 'sccm', '--on-conflict', 'ask');
    assert.equal(code, 2);
    assert.equal(stderr, 'pinpack new: --on-conflict ask needs an interactive terminal: pass --on-conflict keep or overwrite instead.\n');
    assert.equal(existsSync(dir), false);
  });

  for (const [args, message] of [
    [['--target', 'intune'], /^pinpack new: Unknown target "intune": choose one of sccm, epm-case1, epm-case2, epm-case3-twostep, epm-case3-uac\.\n$/],
    [[], /^pinpack new: No --target was given: choose one of /],
    [['--target', 'sccm', '--colour', 'red'], /^pinpack new: Unknown option '--colour'\. Run "pinpack new --help" to see the options\.\n$/],
    [['--target', 'sccm', '--user', 'taro yamada@contoso.com'], /"enrollees\.users\[0\]" must not contain spaces/],
  ] as const) {
    it(`exits 2 with one sentence for ${JSON.stringify(args)}`, () => {
      const { code, stdout, stderr } = pinpack('new', join(root, 'ws'), ...args);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1);
      assert.equal(existsSync(join(root, 'ws')), false);
    });
  }

  it('refuses a DIR that is a file', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    const { code, stderr } = pinpack('new', file, '--target', 'sccm');
    assert.equal(code, 2);
    assert.match(stderr, /is a file, not a folder: choose a folder for the workspace\.\n$/);
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });
});
