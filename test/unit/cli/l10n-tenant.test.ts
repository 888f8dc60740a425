import * as assert from 'node:assert/strict';
import { startDemoTenant, type DemoTenant } from '../../../src/demo-tenant/server';
import { runPinpack } from './run-pinpack';

const pinpack = (args: readonly string[], env: Record<string, string>) => runPinpack(args, { env });

describe('pinpack against a tenant, in Japanese', function () {
  this.timeout(30_000);
  let tenant: DemoTenant;
  let env: Record<string, string>;
  before(async () => {
    tenant = await startDemoTenant({ users: 60, seed: 'l10n' });
    env = { PINPACK_TENANT_URL: tenant.url, PINPACK_USER: tenant.username, PINPACK_PASSWORD: tenant.password, LANG: 'ja_JP.UTF-8' };
  });
  after(() => tenant.close());

  it('explains a refused password (401) in Japanese, naming the tenant and the user, never the password', async () => {
    const { code, stderr } = await pinpack(['users'], { ...env, PINPACK_PASSWORD: 'wrong-password' });
    assert.equal(code, 3);
    const host = new URL(tenant.url).host;
    assert.equal(
      stderr,
      `pinpack users: テナント ${host} が API ユーザー "${tenant.username}" を拒否しました (401)。ユーザー名とパスワードを確認してください。このユーザーで管理者の MFA が有効な場合、API は Basic 認証を拒否するため、MFA が無効な API ユーザーを使ってください。\n`,
    );
    assert.doesNotMatch(stderr, /wrong-password/);
  });

  it('says in Japanese why a user with a Unicode space gets no PIN', async () => {
    const spaced = tenant.directory.userAt(8);
    assert.match(spaced.uid, /[\s\u3000\u00a0]/u, 'the demo tenant plants a space in user 8');
    const { code, stdout } = await pinpack(['pins', 'generate', '--user', spaced.uid], env);
    assert.equal(code, 0);
    assert.match(stdout, /^UID\s+結果\s+有効期限\s+詳細$/m);
    assert.match(stdout, /スキップ\s+ユーザー名に空白が含まれているため、移行に失敗します。/);
    assert.match(stdout, /発行 0、スキップ 1、失敗 0。 PIN を表示するには --reveal を付けてください。\n$/);
  });

  it('lists users under Japanese headings, JSON keys and values staying English for scripts', async () => {
    const table = await pinpack(['users', '--limit', '3'], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^UID\s+名前\s+メール\s+グループ\s+状態\s+PIN$/m);
    assert.match(table.stdout, /\s(有効|無効|ロック中)/);
    const json = await pinpack(['users', '--limit', '3', '--format', 'json'], env);
    const users = JSON.parse(json.stdout) as { pin: { state: string } }[];
    assert.ok(users.every((u) => ['none', 'valid', 'expired', 'used'].includes(u.pin.state)));
  });

  it('explains an unreachable tenant in Japanese', async () => {
    const { code, stderr } = await pinpack(['groups'], { ...env, PINPACK_TENANT_URL: 'https://127.0.0.1:1' });
    assert.equal(code, 3);
    assert.match(stderr, /^pinpack groups: PinPack は 127\.0\.0\.1:1 に接続できませんでした \(ECONNREFUSED\)。/);
  });
});
