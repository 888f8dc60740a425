import * as assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yazl from 'yazl';
import * as vscode from 'vscode';
import type { EnrollmentTreeNode } from '../../src/extension/enrollment/tree';
import type { PinPackTestApi } from '../../src/extension/extension';
import { zipEntryUri } from '../../src/extension/packages/zip-fs';
import type { Account } from '../../src/core/tenant/schemas';
import type { Tenant } from '../../src/extension/tenants/tenants';
import type { TenantTreeNode } from '../../src/extension/tenants/tree';
import { activatePinPack, disconnectAll, lastShown } from './pinpack';
import { waitFor } from './harness';
import { remember } from './secrets';

type PackageNode = Extract<EnrollmentTreeNode, { kind: 'package' }>;
type EnrolleeNode = Extract<EnrollmentTreeNode, { kind: 'enrollee' }>;

/** Users who can get a PIN: enabled, unlocked, no space in the uid, a person rather than an API user. */
export async function eligibleUsers(tenant: Tenant, count: number): Promise<Account[]> {
  const found: Account[] = [];
  for await (const a of tenant.client.users({}, { limit: 200, pageSize: 200 })) {
    if (a.enabled !== false && a.locked !== true && !/\s/u.test(a.uid) && a.accountType === 'USER' && !a.registrationPin?.pin) found.push(a);
    if (found.length === count) break;
  }
  assert.equal(found.length, count, 'the demo tenant has too few users who can get a PIN');
  return found;
}

describe('Enrollment view: who enrolled since the build, against the demo tenant', () => {
  let api: PinPackTestApi;
  let root: string;
  let users: Account[];
  const folder = () => vscode.Uri.file(join(root, 'packages', 'enroll'));
  const children = (node?: EnrollmentTreeNode) => Promise.resolve(api.enrollmentTree.getChildren(node)).then((c) => c ?? []);
  const packageNode = async (): Promise<PackageNode> => {
    const node = (await children()).find((n): n is PackageNode => n.kind === 'package' && n.record.name === 'enroll-test');
    assert.ok(node, 'the built package is not in the Enrollment view');
    return node;
  };

  before(async () => {
    api = await activatePinPack();
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    await vscode.commands.executeCommand('pinpack.tryDemoTenant');
    // Two users without a device and one whose Windows desktop registered days before the build.
    const demo = api.tenants.demo!;
    const candidates = await eligibleUsers(api.tenants.list().find((t) => t.demo)!, 60);
    const kind = (a: Account) => demo.directory.deviceKind(demo.directory.byUidOrEmail(a.uid, 'uid')!);
    const withDesktop = candidates.find((a) => kind(a) === 'windows');
    assert.ok(withDesktop, 'no demo user with an earlier Windows device among the first eligible ones');
    users = [...candidates.filter((a) => kind(a) === undefined).slice(0, 2), withDesktop];
    api.prompts.queue('epm-case2', 'enroll-test', 'Users of Demo tenant', '', users.map((u) => u.uid), 'packages/enroll');
    await vscode.commands.executeCommand('pinpack.newPackageWorkspace');
    assert.match(lastShown(api)?.message ?? '', /^Package workspace enroll-test is ready/);
    api.prompts.queue('Generate PINs');
    await vscode.commands.executeCommand('pinpack.regeneratePackagePins', folder());
    assert.match(lastShown(api)?.message ?? '', /^3 PINs issued/);
  });

  after(() => disconnectAll(api));

  it('lists a package once it is built, with every enrollee not enrolled yet', async () => {
    assert.ok(!(await children()).some((n) => n.kind === 'package' && n.record.name === 'enroll-test'));
    await vscode.commands.executeCommand('pinpack.buildPackage', folder());
    const node = await packageNode();
    const rows = (await children(node)).filter((n): n is EnrolleeNode => n.kind === 'enrollee');
    assert.deepEqual(rows.map((r) => r.state.uid).sort(), users.map((u) => u.uid).sort());
    for (const row of rows) {
      assert.equal(api.enrollmentTree.getTreeItem(row).description, 'not enrolled yet');
      assert.equal(api.enrollmentTree.getTreeItem(row).contextValue, 'pinpack.enrollment.pending');
    }
    assert.match(String(api.enrollmentTree.getTreeItem(await packageNode()).description), /^0 of 3 enrolled since the build at /);
    const inPackages = (await api.packageTree.getChildren())?.find((n) => n.kind === 'package' && n.workspace.manifest?.name === 'enroll-test');
    assert.ok(inPackages);
    const last = (await api.packageTree.getChildren(inPackages))?.find((n) => n.kind === 'detail' && n.label === 'Last build');
    assert.ok(last?.kind === 'detail', 'the Packages view shows no last build');
    assert.match(last.description, new RegExp(`, SHA-256 ${(await packageNode()).record.sha256.slice(0, 12)}$`));
  });

  it('shows a device enrolled on the tenant after a refresh, and ignores devices older than the build', async () => {
    const [first] = users;
    assert.deepEqual(api.tenants.demo!.enroll(first!.uid), { ok: true });
    // Cached until refreshed: the view does not hit the tenant on every repaint.
    let rows = (await children(await packageNode())).filter((n): n is EnrolleeNode => n.kind === 'enrollee');
    assert.ok(rows.every((r) => r.state.devices.length === 0));
    await vscode.commands.executeCommand('pinpack.refreshEnrollment');
    rows = (await children(await packageNode())).filter((n): n is EnrolleeNode => n.kind === 'enrollee');
    assert.equal(rows[0]?.state.uid, first!.uid, 'the enrolled user is not listed first');
    assert.match(String(api.enrollmentTree.getTreeItem(rows[0]!).description), /^enrolled: PC-\d{5} at /);
    assert.equal(api.enrollmentTree.getTreeItem(rows[0]!).contextValue, 'pinpack.enrollment.enrolled');
    assert.ok(rows.slice(1).every((r) => r.state.devices.length === 0), 'a device registered before the build counts as enrolled');
    const earlier = await api.tenants.list().find((t) => t.demo)!.client.findDevicesByEmail(users[2]!.emailAddress ?? users[2]!.uid);
    assert.ok(earlier.some((d) => d.windowsDeviceType === 'WINDOWS_DESKTOP'), 'the third user has no earlier desktop to ignore');
    assert.match(String(api.enrollmentTree.getTreeItem(await packageNode()).description), /^1 of 3 enrolled/);
  });

  it('a tenant that fails shows one error item with a retry; the retry recovers', async () => {
    api.tenants.demo!.faults.set('metadata:403');
    try {
      await vscode.commands.executeCommand('pinpack.refreshEnrollment', await packageNode());
      const [error] = await children(await packageNode());
      assert.equal(error?.kind, 'error');
      const item = api.enrollmentTree.getTreeItem(error!);
      assert.match(String(item.label), /\(403\)/);
      assert.equal(item.command?.command, 'pinpack.refreshEnrollment');
    } finally {
      api.tenants.demo!.faults.clear();
    }
    const [error] = await children(await packageNode());
    await vscode.commands.executeCommand(api.enrollmentTree.getTreeItem(error!).command!.command, ...(api.enrollmentTree.getTreeItem(error!).command!.arguments ?? []));
    const rows = await waitFor('the enrollees again', async () => {
      const nodes = await children(await packageNode());
      return nodes.every((n) => n.kind === 'enrollee') && nodes.length === 3 ? nodes : undefined;
    });
    assert.equal(rows.length, 3);
  });

  it('follows the PIN margin setting (Build section): a PIN with less validity left is refused, the last zip kept', async () => {
    const zip = join(folder().fsPath, 'out', 'enroll-test.zip');
    const before = readFileSync(zip);
    // The first user enrolled with their PIN: a new one, as Generate PINs would issue.
    api.tenants.demo!.setPin(users[0]!.id, { pin: remember('55509876'), createdAt: Date.now() });
    // 22 hours left: enough for the default 2 h margin, not for 23 h.
    const aged = users[1]!;
    api.tenants.demo!.setPin(aged.id, { pin: remember('55501234'), createdAt: Date.now() - 2 * 3_600_000 });
    const settings = vscode.workspace.getConfiguration('pinpack.build');
    await settings.update('pinMarginHours', 23, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await vscode.commands.executeCommand('pinpack.buildPackage', folder()), undefined);
      assert.equal(lastShown(api)?.severity, 'error');
      assert.match(lastShown(api)?.message ?? '', new RegExp(`^Build refused: the PIN of ${aged.uid.replace(/[.]/g, '\\.')} expires at \\S+, within the 23 h margin: generate a new one`));
      assert.deepEqual(readFileSync(zip), before);
      // The status bar warns as soon as a PIN is within the margin: two hours on, about 22 h are left.
      await vscode.window.showTextDocument(vscode.Uri.joinPath(folder(), 'pinpack.json'));
      await api.pinStatus.update(new Date(Date.now() + 2 * 3_600_000));
      assert.equal(api.pinStatus.state.warning, true, api.pinStatus.state.text);
    } finally {
      await settings.update('pinMarginHours', undefined, vscode.ConfigurationTarget.Global);
    }
    await api.pinStatus.update(new Date(Date.now() + 2 * 3_600_000));
    assert.equal(api.pinStatus.state.warning, false, api.pinStatus.state.text);
    assert.equal(await vscode.commands.executeCommand('pinpack.buildPackage', folder()), zip);
    const pins = Buffer.from(await vscode.workspace.fs.readFile(zipEntryUri(zip, 'pinpack-pins.json'))).toString('utf8');
    assert.ok(pins.includes('"55501234"'), 'the rebuilt zip does not carry the PIN read from the tenant');
  });
});

/** A zip as the console's Deployment Package download looks (inferred layout: a folder, setup.ps1, a PIN list). */
function consoleZip(path: string, pin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from("# console setup\r\n$ErrorActionPreference = 'Stop'\r\n"), 'Sales/setup.ps1', { mtime: new Date(0) });
    zip.addBuffer(Buffer.from(`alice@contoso.example,${pin}\r\n`), 'Sales/PinFile.txt', { mtime: new Date(0) });
    zip.end();
    const out = createWriteStream(path);
    zip.outputStream.pipe(out).on('finish', () => resolve()).on('error', reject);
  });
}

/** Every file under `dir`, dot-folders included. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('Import Console Package', () => {
  let api: PinPackTestApi;
  let root: string;
  let scratch: string;
  /** Made up here, and found nowhere on disk afterwards but in the console zip itself. */
  const PIN = remember('93017246');

  before(async () => {
    api = await activatePinPack();
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    scratch = mkdtempSync(join(tmpdir(), 'pinpack-console-'));
    await consoleZip(join(scratch, 'Sales.zip'), PIN);
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('turns the console zip into a package workspace, its PIN file into SecretStorage', async () => {
    api.prompts.queue('imported/sales');
    const dir = await vscode.commands.executeCommand<vscode.Uri>('pinpack.importConsolePackage', vscode.Uri.file(join(scratch, 'Sales.zip')));
    assert.equal(dir?.fsPath, join(root, 'imported', 'sales'));
    assert.match(lastShown(api)?.message ?? '', /^Imported Sales\.zip as epm-case2: 1 files in imported\/sales; its 1 PIN files are in VS Code's secret storage, not in the folder\.$/);
    const files = filesUnder(dir.fsPath).map((f) => f.slice(dir.fsPath.length + 1)).sort();
    assert.deepEqual(files, ['.gitignore', '.pinpack/scaffold.json', 'pinpack.json', 'setup.ps1']);
    for (const file of filesUnder(dir.fsPath)) assert.ok(!readFileSync(file, 'utf8').includes(PIN), `${file} holds the imported PIN`);
    assert.deepEqual(api.vault.importedPinFiles(dir.toString()), ['.pinpack/imported-pins/PinFile.txt']);
    assert.equal((await api.vault.getImportedPinFile(dir.toString(), '.pinpack/imported-pins/PinFile.txt'))?.toString('utf8'), `alice@contoso.example,${PIN}\r\n`);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, join(dir.fsPath, 'pinpack.json'));
    const listed = await waitFor('the imported package in the Packages view', async () => {
      const nodes = await api.packageTree.getChildren();
      return nodes?.find((n) => n.kind === 'package' && n.workspace.manifest?.name === 'Sales');
    });
    assert.ok(listed);
  });

  it('refuses a folder that is not empty, with the fix, and changes nothing in it', async () => {
    const before = readFileSync(join(root, 'imported', 'sales', 'setup.ps1'));
    api.prompts.queue('imported/sales');
    await vscode.commands.executeCommand('pinpack.importConsolePackage', vscode.Uri.file(join(scratch, 'Sales.zip')));
    assert.equal(lastShown(api)?.severity, 'error');
    assert.match(lastShown(api)?.message ?? '', /is not empty: import into a new or empty folder/);
    assert.deepEqual(readFileSync(join(root, 'imported', 'sales', 'setup.ps1')), before);
  });

  it('asks for the zip when run from the palette; Escape does nothing', async () => {
    api.prompts.queue(undefined);
    assert.equal(await vscode.commands.executeCommand('pinpack.importConsolePackage'), undefined);
  });
});

describe('Failures: wrong password, a 429 storm and a tenant that is down', function () {
  this.timeout(120_000);
  let api: PinPackTestApi;
  type TNode = TenantTreeNode;
  const children = (node?: TNode) => Promise.resolve(api.tenantTree.getChildren(node)).then((c) => c ?? []);
  const child = async (parent: TNode | undefined, kind: TNode['kind']): Promise<TNode> => {
    const found = (await children(parent)).find((n) => n.kind === kind);
    assert.ok(found, `no ${kind} under ${parent?.kind ?? 'the root'}`);
    return found;
  };
  const label = (node: TNode) => String(api.tenantTree.getTreeItem(node).label);

  before(async () => {
    api = await activatePinPack();
    await vscode.commands.executeCommand('pinpack.tryDemoTenant');
  });

  after(() => disconnectAll(api));

  it('a wrong password names the problem and the fix, shows no password, and keeps the views as they were', async () => {
    const demo = api.tenants.demo!;
    const before = (await children()).map(label);
    api.prompts.queue(demo.url, demo.username, remember('Wr0ng-pass-8812'));
    await vscode.commands.executeCommand('pinpack.connect');
    assert.equal(lastShown(api)?.severity, 'error');
    assert.match(lastShown(api)?.message ?? '', /refused the API user .*\(401\): check the user name and password/);
    assert.ok(!(lastShown(api)?.message ?? '').includes('Wr0ng-pass-8812'));
    assert.deepEqual((await children()).map(label), before);
    const users = await child(await child(undefined, 'tenant'), 'users');
    assert.ok((await children(users)).some((n) => n.kind === 'account'), 'the demo tenant no longer lists its users');
  });

  it('a 429 storm: the client backs off, then one clear message in the tree; Generate PINs reports per-user failures; all recovers', async () => {
    const demo = api.tenants.demo!;
    const tenantNode = await child(undefined, 'tenant');
    const users = await child(tenantNode, 'users');
    const eligible = await eligibleUsers(api.tenants.list().find((t) => t.demo)!, 2);
    demo.faults.set('account:429=1');
    let retry: vscode.Command | undefined;
    try {
      api.tenantTree.refresh(users);
      const rows = await children(users);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.kind, 'error');
      assert.match(label(rows[0]!), /is rate-limiting PinPack \(429\) on GET \/api\/v1\/account: wait a minute and try again/);
      assert.ok(demo.requests.filter((r) => r.endpoint === 'account').length >= 6, 'the client did not retry before giving up');
      retry = api.tenantTree.getTreeItem(rows[0]!).command;
      assert.equal(retry?.command, 'pinpack.loadMore');
      // The other folders still load: one throttled endpoint does not take the view down.
      const spaces = await children(await child(tenantNode, 'spaces'));
      assert.ok(spaces.length > 0 && spaces.every((n) => n.kind === 'space'));
      demo.faults.set('regpin:429=1');
      api.prompts.queue('Generate PINs');
      await vscode.commands.executeCommand('pinpack.generatePins', undefined, eligible.map((account) => ({ kind: 'account', tenant: tenantNode.kind === 'tenant' ? tenantNode.tenant : undefined, account })));
      assert.equal(lastShown(api)?.severity, 'warning');
      assert.match(lastShown(api)?.message ?? '', /^0 PINs issued .*, 2 failed, 0 skipped/);
    } finally {
      demo.faults.clear();
    }
    await vscode.commands.executeCommand(retry!.command, ...(retry!.arguments ?? []));
    assert.ok((await children(users)).filter((n) => n.kind === 'account').length > 0);
  });

  it('a tenant that is down: every view shows the reason with a retry, commands say what to do, Disconnect still works', async () => {
    const demo = api.tenants.demo!;
    const tenantNode = await child(undefined, 'tenant');
    const users = await child(tenantNode, 'users');
    await demo.close();
    api.tenantTree.refresh();
    const rows = await children(users);
    assert.equal(rows[0]?.kind, 'error');
    assert.match(label(rows[0]!), /could not connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\): check the tenant URL, the network/);
    const groups = await children(await child(tenantNode, 'groups'));
    assert.equal(groups[0]?.kind, 'error');
    await vscode.commands.executeCommand('pinpack.copyPin', { kind: 'account', tenant: tenantNode.kind === 'tenant' ? tenantNode.tenant : undefined, account: { id: 1, uid: 'nobody@contoso.example' } });
    assert.equal(lastShown(api)?.severity, 'error');
    assert.match(lastShown(api)?.message ?? '', /ECONNREFUSED/);
    await vscode.commands.executeCommand('pinpack.disconnect', tenantNode);
    assert.deepEqual(await children(), []);
  });
});
