import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PinPackTestApi } from '../../src/extension/extension';
import type { Tenant } from '../../src/extension/tenants/tenants';
import type { TenantTreeNode } from '../../src/extension/tenants/tree';
import { activatePinPack, disconnectAll, lastShown as lastShownOf } from './pinpack';
import { harnessAvailable, screenshot, waitFor, workbenchTexts } from './harness';
import { remember } from './secrets';

type Kind = TenantTreeNode['kind'];
type NodeOf<K extends Kind> = Extract<TenantTreeNode, { kind: K }>;

describe('Tenants view and commands, against the demo tenant', () => {
  let api: PinPackTestApi;
  let demo: Tenant;
  const issuedPins: string[] = [];

  const children = (node?: TenantTreeNode) => Promise.resolve(api.tenantTree.getChildren(node)).then((c) => c ?? []);
  const child = async <K extends Kind>(parent: TenantTreeNode | undefined, kind: K, label?: string): Promise<NodeOf<K>> => {
    const found = (await children(parent)).find(
      (n): n is NodeOf<K> => n.kind === kind && (label === undefined || String(api.tenantTree.getTreeItem(n).label) === label),
    );
    assert.ok(found, `no ${kind}${label ? ` "${label}"` : ''} under ${parent?.kind ?? 'the root'}`);
    return found;
  };
  const lastShown = () => lastShownOf(api);

  before(async () => {
    api = await activatePinPack();
  });

  after(() => disconnectAll(api));

  it('offers Connect and Try the Demo Tenant while not connected', async function () {
    assert.deepEqual(await children(), []);
    if (!harnessAvailable) this.skip();
    await vscode.commands.executeCommand('pinpack.tenants.focus');
    const welcome = await waitFor('the welcome buttons', async () =>
      (await workbenchTexts('.part.sidebar .welcome-view-content')).find((t) => t.includes('Try the Demo Tenant')),
    );
    assert.match(welcome, /Connect to a Tenant/);
  });

  it('Try the Demo Tenant starts it on loopback and shows it, marked as a demo', async () => {
    await vscode.commands.executeCommand('pinpack.tryDemoTenant');
    const node = await child(undefined, 'tenant');
    demo = node.tenant;
    assert.equal(demo.demo, true);
    assert.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const item = api.tenantTree.getTreeItem(node);
    assert.match(String(item.description), /demo/);
    assert.equal(item.contextValue, 'pinpack.tenant.demo');
    assert.deepEqual((await children(node)).map((n) => n.kind), ['users', 'groups', 'spaces']);
    assert.match(lastShown()?.message ?? '', /made up/);
  });

  it('pages users 50 at a time behind a Load more item', async () => {
    const users = await child(await child(undefined, 'tenant'), 'users');
    const first = await children(users);
    assert.equal(first.filter((n) => n.kind === 'account').length, 50);
    const more = first[first.length - 1];
    assert.equal(more?.kind, 'load-more');
    assert.match(String(api.tenantTree.getTreeItem(more!).description), /^50 of \d+ shown$/);
    await vscode.commands.executeCommand('pinpack.loadMore', more);
    const second = await children(users);
    assert.equal(second.filter((n) => n.kind === 'account').length, 100);
    const accounts = second.filter((n): n is NodeOf<'account'> => n.kind === 'account');
    assert.equal(new Set(accounts.map((n) => n.account.id)).size, 100, 'a page repeated users');
  });

  it('shows each user with uid, PIN status and the flags that prevent a PIN', async () => {
    const users = await child(await child(undefined, 'tenant'), 'users');
    const accounts = (await children(users)).filter((n): n is NodeOf<'account'> => n.kind === 'account');
    for (const node of accounts) {
      const item = api.tenantTree.getTreeItem(node);
      assert.ok(String(item.description).startsWith(node.account.uid), String(item.description));
      assert.match(String(item.description), /no PIN|PIN (valid until|expires at|expired|used)/);
    }
    const flagged = accounts.filter((n) => n.account.enabled === false || n.account.locked === true || /\s/u.test(n.account.uid));
    assert.ok(flagged.length > 0, 'the demo tenant has no disabled, locked or space-named user on its first pages');
    for (const node of flagged) {
      const item = api.tenantTree.getTreeItem(node);
      assert.match(String(item.description), /disabled|locked|space in user name/);
      assert.equal(item.contextValue, 'pinpack.user.ineligible');
    }
  });

  it('searches users on the tenant', async () => {
    const users = await child(await child(undefined, 'tenant'), 'users');
    const target = (await children(users)).find((n): n is NodeOf<'account'> => n.kind === 'account' && !!n.account.lastName);
    assert.ok(target);
    api.prompts.queue(target.account.lastName);
    await vscode.commands.executeCommand('pinpack.searchUsers', users);
    const found = (await children(users)).filter((n): n is NodeOf<'account'> => n.kind === 'account');
    assert.ok(found.some((n) => n.account.id === target.account.id));
    assert.ok(found.length < 50, `the search "${target.account.lastName}" matched ${found.length} users`);
    assert.match(String(api.tenantTree.getTreeItem(users).description), /matching/);
    api.prompts.queue('');
    await vscode.commands.executeCommand('pinpack.searchUsers', users);
    assert.equal((await children(users)).filter((n) => n.kind === 'account').length, 50);
  });

  it('generates PINs for the selected users after a confirmation, and shows them valid', async () => {
    const users = await child(await child(undefined, 'tenant'), 'users');
    const eligible = (await children(users)).filter((n): n is NodeOf<'account'> => n.kind === 'account' && n.account.enabled !== false && n.account.locked !== true && !/\s/u.test(n.account.uid) && n.account.accountType === 'USER');
    const chosen = eligible.slice(0, 3);
    api.prompts.queue('Generate PINs');
    await vscode.commands.executeCommand('pinpack.generatePins', chosen[0], chosen);
    assert.match(lastShown()?.message ?? '', /^3 PINs issued \(valid until .+\), 0 failed, 0 skipped, 0 cancelled\.$/);
    const refreshed = (await children(users)).filter((n): n is NodeOf<'account'> => n.kind === 'account');
    for (const node of chosen) {
      const now = refreshed.find((n) => n.account.id === node.account.id);
      assert.ok(now);
      assert.match(String(api.tenantTree.getTreeItem(now).description), /PIN valid until/);
      const pin = now.account.registrationPin?.pin;
      assert.ok(pin, 'the tenant returned no PIN for an account it issued one to');
      issuedPins.push(remember(pin));
      assert.ok(!String(api.tenantTree.getTreeItem(now).description).includes(pin), 'the tree shows a PIN');
    }
  });

  it('Copy PIN puts the generated PIN on the clipboard and nowhere else', async () => {
    const users = await child(await child(undefined, 'tenant'), 'users');
    const withPin = (await children(users)).find((n): n is NodeOf<'account'> => n.kind === 'account' && issuedPins.includes(n.account.registrationPin?.pin ?? ''));
    assert.ok(withPin);
    await vscode.commands.executeCommand('pinpack.copyPin', withPin);
    assert.equal(await vscode.env.clipboard.readText(), withPin.account.registrationPin?.pin);
    assert.ok(!(lastShown()?.message ?? '').includes(withPin.account.registrationPin?.pin ?? '-'));
    await vscode.env.clipboard.writeText('');
  });

  it('cancelling the confirmation generates nothing', async () => {
    const users = await child(await child(undefined, 'tenant'), 'users');
    const node = (await children(users)).find((n): n is NodeOf<'account'> => n.kind === 'account' && !n.account.registrationPin?.pin && n.account.enabled !== false && n.account.locked !== true && !/\s/u.test(n.account.uid));
    assert.ok(node);
    const requests = api.tenants.demo!.requests.length;
    api.prompts.queue(undefined);
    await vscode.commands.executeCommand('pinpack.generatePins', node, [node]);
    assert.equal(api.tenants.demo!.requests.slice(requests).filter((r) => r.endpoint === 'regpin').length, 0);
  });

  it('generates PINs for a whole group, excluding the users who cannot have one', async () => {
    const groups = await child(await child(undefined, 'tenant'), 'groups');
    const all = (await children(groups)).filter((n): n is NodeOf<'group'> => n.kind === 'group');
    assert.ok(all.length >= 3, 'the demo tenant has fewer than three groups');
    const group = all.sort((a, b) => (a.count ?? 0) - (b.count ?? 0))[0]!;
    api.prompts.queue('Generate PINs');
    await vscode.commands.executeCommand('pinpack.generatePins', group, [group]);
    const message = lastShown()?.message ?? '';
    const [, issued, failed, skipped] = /^(\d+) PINs issued .*, (\d+) failed, (\d+) skipped/.exec(message) ?? [];
    assert.ok(issued !== undefined, message);
    assert.equal(Number(failed), 0, message);
    if (group.count !== undefined) assert.equal(Number(issued) + Number(skipped), group.count, message);
  });

  it('a wrong password gets one clear message and changes nothing', async () => {
    const before = api.tenants.list().length;
    api.prompts.queue(demo.url, demo.username, remember('not-the-password'));
    await vscode.commands.executeCommand('pinpack.connect');
    const shown = lastShown();
    assert.equal(shown?.severity, 'error');
    assert.match(shown?.message ?? '', /refused the API user .*\(401\): check the user name and password/);
    assert.ok(!(shown?.message ?? '').includes('not-the-password'));
    assert.equal(api.tenants.list().length, before);
  });

  it('a tenant that fails shows an error item with a retry, and the view stays usable', async () => {
    const tenantNode = await child(undefined, 'tenant');
    const spaces = await child(tenantNode, 'spaces');
    api.tenants.demo!.faults.set('partition:403');
    try {
      api.tenantTree.refresh(spaces);
      const [error] = await children(spaces);
      assert.equal(error?.kind, 'error');
      const item = api.tenantTree.getTreeItem(error!);
      assert.equal(item.command?.command, 'pinpack.refresh');
      assert.match(String(item.label), /\(403\)/);
    } finally {
      api.tenants.demo!.faults.clear();
    }
    const recovered = await children(spaces);
    assert.ok(recovered.length > 0 && recovered.every((n) => n.kind === 'space'));
  });

  it('renders the demo tenant in the view (screenshot for the README)', async function () {
    if (!harnessAvailable) this.skip();
    await vscode.commands.executeCommand('pinpack.tenants.focus');
    const users = await child(await child(undefined, 'tenant'), 'users');
    await api.tenantView.reveal(users, { expand: true }).then(undefined, () => undefined);
    const rows = await waitFor('user rows in the Tenants view', async () => {
      const texts = await workbenchTexts('.part.sidebar .monaco-list-row');
      return texts.some((t) => /PIN valid until/.test(t)) ? texts : undefined;
    });
    assert.ok(rows.some((t) => t.includes('Demo tenant')));
    await screenshot('tenants-view');
  });

  it('writes no generated PIN into the PinPack log', async () => {
    assert.ok(issuedPins.length > 0);
    const logs = api.logFolder;
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(logs);
    assert.ok(files.length > 0, `no log file under ${logs}`);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pin of issuedPins) assert.ok(!text.includes(pin), `${file} contains a PIN`);
    }
  });

  it('Disconnect stops the demo tenant and empties the view', async () => {
    await vscode.commands.executeCommand('pinpack.disconnect', await child(undefined, 'tenant'));
    assert.deepEqual(await children(), []);
    assert.equal(api.tenants.demo, undefined);
  });
});
