import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../paths';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

function pinpack(...args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pinpack CLI', () => {
  it('is the package.json bin', () => {
    assert.equal(pkg.bin['pinpack'], 'dist/cli.js');
  });

  for (const flag of ['--version', '-v']) {
    it(`prints the package version for ${flag}`, () => {
      const { code, stdout, stderr } = pinpack(flag);
      assert.equal(code, 0);
      assert.equal(stdout, `${pkg.version}\n`);
      assert.equal(stderr, '');
    });
  }

  for (const args of [['--help'], ['-h'], ['help'], []]) {
    it(`prints the usage for ${JSON.stringify(args)}`, () => {
      const { code, stdout } = pinpack(...args);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`^PinPack ${pkg.version.replace(/\./g, '\\.')}: `));
      assert.match(stdout, /Usage: pinpack <command> \[options\]/);
      assert.match(stdout, /Exit codes: 0 ok, 1 .*, 2 usage error, 3 tenant or I\/O failure/);
    });
  }

  it('refuses an unknown command with exit 2 and says what to run', () => {
    const { code, stdout, stderr } = pinpack('frobnicate');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'pinpack: unknown command "frobnicate". Run "pinpack --help" to see the commands.\n');
  });

  it('refuses an unknown option with exit 2', () => {
    const { code, stderr } = pinpack('--frobnicate');
    assert.equal(code, 2);
    assert.match(stderr, /unknown option --frobnicate\. Run "pinpack --help"/);
  });

  it('treats `help <unknown>` as the unknown command it names', () => {
    const { code, stderr } = pinpack('help', 'frobnicate');
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "frobnicate"/);
  });
});
