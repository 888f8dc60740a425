import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PinPackTestApi } from '../../src/extension/extension';
import type { PackageTreeNode } from '../../src/extension/packages/tree';
import { activatePinPack, disconnectAll, lastShown as lastShownOf } from './pinpack';
import { harnessAvailable, screenshot, waitFor, workbenchTexts } from './harness';

describe('Packages view and New Package Workspace', () => {
  let api: PinPackTestApi;
  let root: string;
  let group: string;

  const children = (node?: PackageTreeNode) => Promise.resolve(api.packageTree.getChildren(node)).then((c) => c ?? []);
  const lastShown = () => lastShownOf(api);
  const packages = () => waitFor('the package workspace in the Packages view', async () => {
    const nodes = (await children()).filter((n): n is Extract<PackageTreeNode, { kind: 'package' }> => n.kind === 'package');
    return nodes.length > 0 ? nodes : undefined;
  });

  /**
   * The tests below tell one story (the wizard makes the workspace, then it is listed, its PINs
   * generated, it is built, its zip reviewed); each one that needs an earlier step first makes
   * sure it happened, so that a test run alone (npm test -- --grep=...) finds what it needs.
   */
  const wizardAnswers = () => ['epm-case1', 'hr-laptops', 'A group of Demo tenant', [group], 'contoso.com', 'packages/hr'] as const;
  const hr = () => join(root, 'packages', 'hr');
  const zipPath = () => join(hr(), 'out', 'hr-laptops.zip');
  const workspaceReady = async () => {
    if (existsSync(join(hr(), 'pinpack.json'))) return;
    api.prompts.queue(...wizardAnswers());
    await vscode.commands.executeCommand('pinpack.newPackageWorkspace');
  };
  const pinsReady = async () => {
    await workspaceReady();
    await vscode.window.showTextDocument(vscode.Uri.file(join(hr(), 'pinpack.json')));
    await api.pinStatus.update();
    if (!api.pinStatus.state.text.endsWith(' No PINs')) return;
    api.prompts.queue('Generate PINs');
    await vscode.commands.executeCommand('pinpack.regeneratePackagePins', vscode.Uri.file(hr()));
  };
  const zipReady = async () => {
    if (existsSync(zipPath())) return;
    await pinsReady();
    await vscode.commands.executeCommand<string>('pinpack.buildPackage', vscode.Uri.file(hr()));
    assert.ok(existsSync(zipPath()), `the package was not built: ${lastShown()?.message}`);
  };

  before(async () => {
    api = await activatePinPack();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests need an open folder');
    root = folder.uri.fsPath;
    await vscode.commands.executeCommand('pinpack.tryDemoTenant');
    const [tenant] = api.tenants.list();
    assert.ok(tenant);
    const groups = await tenant.client.listGroups();
    group = groups.find((g) => /^[\x20-\x7e]+$/.test(g.name))?.name ?? groups[0]!.name;
  });

  after(() => disconnectAll(api));

  it('is empty, with its welcome content, before any package exists', async () => {
    assert.deepEqual(await children(), []);
  });

  it('scaffolds an EPM case 1 workspace for a tenant group through the wizard', async () => {
    api.prompts.queue(...wizardAnswers());
    await vscode.commands.executeCommand('pinpack.newPackageWorkspace');
    assert.match(lastShown()?.message ?? '', /^Package workspace hr-laptops is ready/);
    const manifest = JSON.parse(readFileSync(join(hr(), 'pinpack.json'), 'utf8')) as {
      target: string;
      name: string;
      enrollees: { groups: string[] };
      device: { adDomain: string };
    };
    assert.equal(manifest.target, 'epm-case1');
    assert.equal(manifest.name, 'hr-laptops');
    assert.deepEqual(manifest.enrollees.groups, [group]);
    assert.equal(manifest.device.adDomain, 'contoso.com');
    assert.ok(existsSync(join(hr(), 'setup.ps1')));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, join(hr(), 'pinpack.json'));
  });

  it('lists the workspace with its target, enrollees, lint state and files', async () => {
    await workspaceReady();
    const [node] = await packages();
    assert.ok(node);
    assert.equal(String(api.packageTree.getTreeItem(node).label), 'hr-laptops');
    assert.equal(api.packageTree.getTreeItem(node).description, 'epm-case1');
    const below = await children(node);
    const details = below.filter((n): n is Extract<PackageTreeNode, { kind: 'detail' }> => n.kind === 'detail');
    assert.deepEqual(details.map((d) => d.label), ['Target', 'Enrollees', 'Lint']);
    assert.match(details[0]!.description, /EPM case 1/);
    assert.equal(details[1]!.description, '0 users, 1 groups');
    const files = below.filter((n): n is Extract<PackageTreeNode, { kind: 'file' }> => n.kind === 'file').map((f) => f.uri.path.split('/').pop());
    assert.ok(files.includes('setup.ps1') && files.includes('pinpack.json'), files.join(', '));
    assert.ok(!files.includes('.pinpack'), 'the state folder is shown');
  });

  it('counts down to the package\'s soonest PIN expiry in the status bar, and regenerates on click', async () => {
    await workspaceReady();
    const folder = vscode.Uri.file(hr());
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'pinpack.json'));
    await api.pinStatus.update();
    assert.deepEqual(api.pinStatus.state, { text: '$(key) No PINs', visible: true, warning: false, error: false });
    api.prompts.queue('Generate PINs');
    await vscode.commands.executeCommand('pinpack.regeneratePackagePins', folder);
    assert.match(lastShown()?.message ?? '', /^\d+ PINs issued .*, 0 failed/);
    const now = Date.now();
    await api.pinStatus.update(new Date(now));
    assert.match(api.pinStatus.state.text, /^\$\(key\) PINs 2[34]h \d+m$/);
    assert.equal(api.pinStatus.state.warning, false);
    await api.pinStatus.update(new Date(now + 23 * 3600_000));
    assert.equal(api.pinStatus.state.warning, true, api.pinStatus.state.text);
    await api.pinStatus.update(new Date(now + 25 * 3600_000));
    assert.deepEqual({ ...api.pinStatus.state, text: api.pinStatus.state.text }, { text: '$(key) PINs expired', visible: true, warning: false, error: true });
  });

  it('keeps an admin\'s edit when the wizard runs again and the admin answers Keep Mine', async () => {
    await workspaceReady();
    const setup = join(hr(), 'setup.ps1');
    appendFileSync(setup, '\r\n# edited by the admin\r\n');
    api.prompts.queue('epm-case1', 'hr-laptops', 'Nobody yet (edit pinpack.json later)', 'contoso.com', 'packages/hr', 'Keep Mine');
    await vscode.commands.executeCommand('pinpack.newPackageWorkspace');
    assert.match(readFileSync(setup, 'utf8'), /# edited by the admin/);
    assert.match(lastShown()?.message ?? '', /1 of your changes kept/);
  });

  it('builds the package from the tenant\'s PINs, and a redacted copy without them', async () => {
    await pinsReady();
    const folder = vscode.Uri.file(hr());
    const zip = await vscode.commands.executeCommand<string>('pinpack.buildPackage', folder);
    assert.equal(zip, zipPath());
    assert.ok(existsSync(zip));
    assert.match(lastShown()?.message ?? '', /^Built packages\/hr\/out\/hr-laptops\.zip for \d+ enrollees: [0-9a-f]{12}$/);
    const redacted = await vscode.commands.executeCommand<string>('pinpack.buildRedactedPackage', folder);
    assert.equal(redacted, join(hr(), 'out', 'hr-laptops.redacted.zip'));
    const pins = JSON.parse(readFileSync(zip).toString('latin1').match(/\{"version":1,"pins":.*?\]\}/s)?.[0] ?? '{"pins":[]}') as { pins: { pin: string }[] };
    const bytes = readFileSync(redacted).toString('latin1');
    for (const { pin } of pins.pins) assert.ok(!bytes.includes(pin), 'the redacted zip holds a PIN');
  });

  it('opens a zip entry read-only for review and compares the zip with the workspace', async () => {
    await zipReady();
    const zip = zipPath();
    api.prompts.queue(zip, 'setup.ps1');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('pinpack.openPackageZip');
    assert.equal(uri?.scheme, 'pinpack-zip');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'powershell');
    // Byte for byte: the editor would normalise the admin's mixed line endings.
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(uri)), readFileSync(join(hr(), 'setup.ps1')));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, new Uint8Array([1]))));
    const pairs = await vscode.commands.executeCommand<[vscode.Uri, vscode.Uri][]>('pinpack.compareZipWithWorkspace', vscode.Uri.file(zip), vscode.Uri.file(hr()));
    const names = pairs.map(([inZip]) => inZip.path.slice(1)).sort();
    assert.ok(names.includes('setup.ps1') && names.includes('README.md'), names.join(', '));
    assert.ok(!names.includes('pinpack-pins.json'), 'the PIN file is compared');
  });

  it('refuses an AD domain that is not a domain, naming the problem', async () => {
    api.prompts.queue('epm-case1', 'bad-domain', 'Nobody yet (edit pinpack.json later)', 'not a domain');
    await vscode.commands.executeCommand('pinpack.newPackageWorkspace');
    assert.equal(lastShown()?.severity, 'error');
    assert.match(lastShown()?.message ?? '', /must be a DNS domain/);
    assert.ok(!existsSync(join(root, 'bad-domain')));
  });

  it('renders the package in the view (screenshot for the README)', async function () {
    if (!harnessAvailable) this.skip();
    await workspaceReady();
    await vscode.commands.executeCommand('pinpack.packages.focus');
    const [node] = await packages();
    await api.packageView.reveal(node!, { expand: true }).then(undefined, () => undefined);
    await waitFor('the package row', async () =>
      (await workbenchTexts('.part.sidebar .monaco-list-row')).find((t) => t.includes('hr-laptops')),
    );
    await screenshot('packages-view');
  });
});
