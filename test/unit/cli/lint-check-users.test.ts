import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoTenant, type DemoTenant } from '../../../src/demo-tenant/server';
import { runPinpack, type CliRun } from './run-pinpack';

interface Sarif {
  runs: { tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; region?: unknown; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[];
}

describe('pinpack lint --check-users', function () {
  this.timeout(60_000);
  let tenant: DemoTenant;
  let env: Record<string, string>;
  let dir: string;
  let text: string;
  const outputs: CliRun[] = [];
  const run = async (args: readonly string[], extra: Record<string, string> = {}): Promise<CliRun> => {
    const result = await runPinpack(args, { cwd: dir, env: { ...env, ...extra } });
    outputs.push(result);
    return result;
  };

  before(async () => {
    tenant = await startDemoTenant({ users: 300, seed: 'pinpack' });
    env = { PINPACK_TENANT_URL: tenant.url, PINPACK_USER: tenant.username, PINPACK_PASSWORD: tenant.password };
  });
  after(async () => {
    await tenant.close();
    // No run, passing or failing, ever printed the password.
    assert.ok(outputs.length > 0);
    for (const o of outputs) assert.ok(!o.stdout.includes(tenant.password) && !o.stderr.includes(tenant.password), 'the password never reaches the output');
  });
  beforeEach(() => {
    tenant.faults.clear();
    tenant.requests.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'pinpack-check-users-'));
    mkdirSync(join(dir, 'ws'));
    const known = tenant.directory.userAt(0).uid;
    const disabled = tenant.directory.userAt(17).uid;
    text = `${JSON.stringify({ schemaVersion: 1, name: 'Sales', target: 'sccm', enrollees: { users: [known, 'nobody@contoso.example', disabled], groups: ['Finance'] } }, null, 2)}\n`;
    writeFileSync(join(dir, 'ws', 'pinpack.json'), text);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** 1-based line and column of the first occurrence of `needle` in the manifest. */
  const at = (needle: string): string => {
    const offset = text.indexOf(needle);
    return `${text.slice(0, offset).split('\n').length}:${offset - text.lastIndexOf('\n', offset - 1)}`;
  };

  it('never connects without the flag', async () => {
    const { code, stdout } = await run(['lint', 'ws']);
    assert.equal(code, 0, stdout);
    assert.doesNotMatch(stdout, /PP3004/);
    assert.deepEqual(tenant.requests, []);
  });

  it('adds PP3004 findings to the text report at their place, and exits 1', async () => {
    const { code, stdout, stderr } = await run(['lint', 'ws', '--check-users']);
    assert.equal(code, 1, stderr);
    const host = new URL(tenant.url).host;
    const disabled = tenant.directory.userAt(17).uid;
    assert.deepEqual(stdout.trimEnd().split('\n'), [
      `ws/pinpack.json:${at('nobody@')} error PP3004 "nobody@contoso.example" is not a user of the tenant ${host}: check the spelling with "pinpack users --search nobody", or remove it.`,
      `ws/pinpack.json:${at(disabled)} error PP3004 "${disabled}" cannot enroll: the account is disabled: enable it in the N-MDM console first, or remove the user.`,
      '2 errors, 0 warnings, 0 infos in 1 file',
    ]);
    assert.equal(stderr, `pinpack lint: checked 3 users and 1 groups of 1 pinpack.json files against ${host}.\n`);
  });

  it('adds them to the JSON and SARIF reports, with PP3004 in the SARIF rule catalogue', async () => {
    const json = await run(['lint', 'ws', '--check-users', '--format', 'json']);
    assert.equal(json.code, 1, json.stderr);
    const report = JSON.parse(json.stdout) as { files: { diagnostics: { rule: string; severity: string; line: number; column: number }[] }[]; summary: { errors: number } };
    assert.deepEqual(report.files[0]?.diagnostics.map((d) => `${d.rule} ${d.severity} ${d.line}:${d.column}`), [`PP3004 error ${at('nobody@')}`, `PP3004 error ${at(tenant.directory.userAt(17).uid)}`]);
    assert.equal(report.summary.errors, 2);
    const sarif = await run(['lint', 'ws', '--check-users', '--format', 'sarif']);
    const parsed = JSON.parse(sarif.stdout) as Sarif;
    const runEntry = parsed.runs[0];
    assert.deepEqual(runEntry?.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level]), [['PP3004', 'error']]);
    assert.deepEqual(runEntry?.results.map((r) => r.ruleId), ['PP3004', 'PP3004']);
  });

  it('obeys lint.rules: a warning level keeps exit 0, and "off" sends no request', async () => {
    const withLevel = (level: string) => writeFileSync(join(dir, 'ws', 'pinpack.json'), text.replace(/\n}\n$/, `,\n  "lint": { "rules": { "PP3004": "${level}" } }\n}\n`));
    withLevel('warning');
    const warned = await run(['lint', 'ws', '--check-users']);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stdout, /0 errors, 2 warnings/);
    withLevel('off');
    tenant.requests.length = 0;
    const off = await run(['lint', 'ws', '--check-users'], { PINPACK_TENANT_URL: '' });
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stderr, /PP3004 is off\), so the tenant was not asked/);
    assert.deepEqual(tenant.requests, []);
  });

  it('exits 3 with one clear sentence and no report when the tenant fails', async () => {
    tenant.faults.set('account:401');
    const refused = await run(['lint', 'ws', '--check-users', '--format', 'json']);
    assert.equal(refused.code, 3);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stderr, /^pinpack lint: .*401|credentials|password/i);
    const down = await run(['lint', 'ws', '--check-users'], { PINPACK_TENANT_URL: 'http://127.0.0.1:1' });
    assert.equal(down.code, 3);
    assert.equal(down.stdout, '');
    assert.match(down.stderr, /could not connect to 127\.0\.0\.1:1/);
  });

  it('says how to connect when no connection is set, outside a terminal', async () => {
    const { code, stderr } = await run(['lint', 'ws', '--check-users'], { PINPACK_PASSWORD: '' });
    assert.equal(code, 2);
    assert.match(stderr, /set PINPACK_PASSWORD in the environment/);
  });

  it('documents the flag in English and Japanese', async () => {
    const en = await run(['lint', '--help']);
    assert.match(en.stdout, /--check-users {4}also ask the tenant/);
    const ja = await run(['lint', '--help', '--lang', 'ja']);
    assert.match(ja.stdout, /--check-users {4}各 pinpack\.json のユーザーとグループをテナントにも問い合わせる/);
  });
});
