import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { TenantClient } from '../../../src/core/tenant/client';
import { displayWidth } from '../../../src/cli/table';
import { startDemoTenant, type DemoTenant } from '../../../src/demo-tenant/server';
import { cliPath } from '../paths';
import { runPinpack, type CliRun } from './run-pinpack';

type Run = CliRun;

const pinpack = (args: readonly string[], env: Record<string, string | undefined>): Promise<Run> => runPinpack(args, { env });

describe('pinpack users, groups, pins generate, demo-tenant', function () {
  this.timeout(30_000);
  let tenant: DemoTenant;
  let env: Record<string, string>;
  before(async () => {
    tenant = await startDemoTenant({ users: 150, seed: 'cli' });
    env = { PINPACK_TENANT_URL: tenant.url, PINPACK_USER: tenant.username, PINPACK_PASSWORD: tenant.password };
  });
  after(() => tenant.close());
  beforeEach(() => tenant.faults.clear());

  it('lists users in a table whose columns line up with Japanese names', async () => {
    const { code, stdout, stderr } = await pinpack(['users', '--limit', '20'], env);
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 22);
    assert.match(lines[0] as string, /^UID\s+NAME\s+E-MAIL\s+GROUPS\s+STATE\s+PIN$/);
    const column = (line: string, cell: string) => displayWidth(line.slice(0, line.lastIndexOf(cell)));
    const emailStart = column(lines[0] as string, 'E-MAIL');
    for (let i = 0; i < 20; i++) {
      const user = tenant.directory.userAt(i);
      const line = lines[i + 2] as string;
      assert.ok(line.startsWith(user.uid), line);
      assert.equal(column(line, user.emailAddress), emailStart, `row ${i}: ${line}`);
    }
    assert.ok(lines.some((l) => /[\u3040-\u9fff]/.test(l)), 'the sample has Japanese names');
    assert.match(lines[3 + 2] as string, /\sspace in uid\s/, 'user 3 has a space in its uid');
    assert.match(lines[17 + 2] as string, /\sdisabled\s/);
  });

  it('searches, filters by group and prints JSON without PINs', async () => {
    const user = tenant.directory.userAt(33);
    tenant.setPin(user.id, { pin: '55554444', createdAt: Date.now() });
    const search = await pinpack(['users', '--search', user.uid, '--format', 'json'], env);
    assert.equal(search.code, 0, search.stderr);
    const found = JSON.parse(search.stdout) as { uid: string; pin: { state: string; expiresAt: string } }[];
    assert.deepEqual(found.map((u) => u.uid), [user.uid]);
    assert.equal(found[0]?.pin.state, 'valid');
    assert.doesNotMatch(search.stdout, /55554444/);
    const group = await pinpack(['users', '--group', '開発部', '--format', 'json'], env);
    const members = JSON.parse(group.stdout) as { groups: string[] }[];
    assert.ok(members.length > 0 && members.every((m) => m.groups.includes('開発部')));
  });

  it('lists groups as a table and as JSON', async () => {
    const table = await pinpack(['groups'], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^GROUP\s+MEMBERS\n/);
    assert.match(table.stdout, /\n営業部\s+\d+\n/);
    const json = JSON.parse((await pinpack(['groups', '--format', 'json'], env)).stdout) as { name: string; memberCount: number }[];
    assert.ok(json.some((g) => g.name === 'Windows Pilot'));
  });

  it('generates PINs for users: status and expiry, the PIN only with --reveal', async () => {
    const [a, b] = [tenant.directory.userAt(40), tenant.directory.userAt(42)];
    const hidden = await pinpack(['pins', 'generate', '--user', a.uid, '--user', b.uid], env);
    assert.equal(hidden.code, 0, hidden.stderr);
    assert.match(hidden.stdout, /^UID\s+STATUS\s+EXPIRES\s+DETAIL\n/);
    assert.match(hidden.stdout, new RegExp(`${a.uid.replace(/\./g, '\\.')}\\s+issued\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
    assert.match(hidden.stdout, /2 issued, 0 skipped, 0 failed\. Add --reveal to show the PINs\./);
    const client = new TenantClient({ url: tenant.url, username: tenant.username, password: tenant.password });
    try {
      const pinA = (await client.getUserByUid(a.uid))?.registrationPin?.pin;
      assert.ok(pinA);
      assert.ok(!hidden.stdout.includes(pinA) && !hidden.stderr.includes(pinA));
      const revealed = await pinpack(['pins', 'generate', '--user', a.uid, '--reveal', '--format', 'json'], env);
      const [result] = JSON.parse(revealed.stdout) as { uid: string; status: string; pin: string; expiresAt: string }[];
      assert.equal(result?.status, 'issued');
      assert.equal(result?.pin, (await client.getUserByUid(a.uid))?.registrationPin?.pin);
    } finally {
      client.close();
    }
  });

  it('generates PINs for a group and skips users it must not', async () => {
    const spaced = tenant.directory.userAt(8);
    const run = await pinpack(['pins', 'generate', '--user', spaced.uid], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /skipped\s+the user name contains a space/);
    const group = await pinpack(['pins', 'generate', '--group', 'Windows Pilot', '--format', 'json'], env);
    assert.equal(group.code, 0, group.stderr);
    const results = JSON.parse(group.stdout) as { status: string }[];
    assert.ok(results.length > 0 && results.every((r) => r.status === 'issued' || r.status === 'skipped'));
  });

  it('exits 3 with one sentence when the tenant refuses, and 2 on usage errors', async () => {
    tenant.faults.set('regpin:403');
    const refused = await pinpack(['pins', 'generate', '--user', tenant.directory.userAt(44).uid], env);
    assert.equal(refused.code, 3);
    assert.match(refused.stdout, /failed\s+The API user .* "User Management" role/);
    const wrong = await pinpack(['groups'], { ...env, PINPACK_PASSWORD: 'wrong' });
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /^pinpack groups: The tenant .* refused the API user .*\(401\).*MFA.*\n$/);
    assert.doesNotMatch(wrong.stderr, /wrong|at .*\.js/);
    for (const args of [['pins'], ['pins', 'generate'], ['pins', 'generate', '--user', 'a', '--group', 'b'], ['users', '--password', 'x'], ['users', '--format', 'xml']]) {
      const usage = await pinpack(args, env);
      assert.equal(usage.code, 2, args.join(' '));
      assert.match(usage.stderr, /--help/);
    }
    const unknown = await pinpack(['pins', 'generate', '--user', 'nobody999999@contoso.example'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No user "nobody999999@contoso.example" on the tenant, so no PIN was generated: check the spelling/);
  });

  it('says how to connect when the environment lacks the connection and stdin is not a terminal', async () => {
    const { code, stdout, stderr } = await pinpack(['users'], {});
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'pinpack users: No tenant connection: set PINPACK_TENANT_URL, PINPACK_USER, PINPACK_PASSWORD in the environment (to try PinPack without a tenant, run "pinpack demo-tenant" and use the lines it prints).\n');
    const http = await pinpack(['users'], { ...env, PINPACK_TENANT_URL: 'http://na1.mobileiron.com' });
    assert.equal(http.code, 2);
    assert.match(http.stderr, /plain http: use https:\/\/na1\.mobileiron\.com/);
  });

  it('asks for the password without echoing it when stdin is a terminal', async function () {
    // util-linux script(1) gives the CLI a real pseudo-terminal.
    if (process.platform !== 'linux' || spawnSync('script', ['--version']).status !== 0) this.skip();
    const child = spawn('script', ['-qfec', `"${process.execPath}" "${cliPath}" groups`, '/dev/null'], {
      env: { PATH: process.env['PATH'], TERM: 'dumb', PINPACK_TENANT_URL: tenant.url, PINPACK_USER: tenant.username },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const prompted = out.includes('Password for');
      out += d;
      if (!prompted && out.includes('Password for')) child.stdin.write(`${tenant.password}\r`);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, out);
    assert.match(out, /^Password for api_7c1e2a@contoso\.example: \r?\n/);
    assert.match(out, /GROUP\s+MEMBERS/);
    assert.ok(!out.includes(tenant.password), 'the password was echoed');
  });

  it('runs the demo tenant until Ctrl+C and prints the lines that connect to it', async () => {
    const child = spawn(process.execPath, [cliPath, 'demo-tenant', '--users', '60', '--seed', 's', '--faults', 'regpin:500#1'], { env: { ...process.env, LC_ALL: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: string) => {
        out += d;
        const match = /export PINPACK_TENANT_URL='(http:\/\/127\.0\.0\.1:\d+)'/.exec(out);
        if (match && out.includes('Ctrl+C')) resolve(match[1] as string);
      });
      child.on('close', () => reject(new Error(`demo-tenant exited: ${out}`)));
    });
    assert.match(out, /PinPack demo tenant: http:\/\/127\.0\.0\.1:\d+ \(60 users, seed s, faults regpin:500#1\)/);
    assert.match(out, /export PINPACK_USER='api_7c1e2a@contoso\.example'\n {2}export PINPACK_PASSWORD='pinpack-demo'/);
    const users = await pinpack(['users', '--format', 'json'], { PINPACK_TENANT_URL: url, PINPACK_USER: tenant.username, PINPACK_PASSWORD: tenant.password });
    assert.equal((JSON.parse(users.stdout) as unknown[]).length, 60);
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('close');
      child.on('close', resolve);
      child.kill('SIGINT');
    });
    assert.equal(code, 0);
    assert.match(out, /Demo tenant stopped\.\n$/);
    const bad = await pinpack(['demo-tenant', '--faults', 'users:boom'], {});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /endpoint "users"/);
  });
});
