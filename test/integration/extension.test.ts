import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { harnessAvailable, screenshot, waitFor, workbenchTexts } from './harness';
import { activatePinPack } from './pinpack';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

interface Contributes {
  commands: { command: string; title: string; category?: string }[];
  viewsContainers: { activitybar: { id: string; title: string }[] };
  views: Record<string, { id: string; name: string }[]>;
}

describe('PinPack in VS Code', () => {
  let extension: vscode.Extension<unknown>;
  let contributes: Contributes;

  before(async () => {
    const found = vscode.extensions.getExtension('pinpack.pinpack');
    assert.ok(found, 'the extension pinpack.pinpack is not installed in this VS Code');
    extension = found;
    contributes = extension.packageJSON.contributes as Contributes;
    await extension.activate();
  });

  it('runs in a real VS Code and activates', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.equal(extension.isActive, true);
  });

  it('registers every command it contributes, all in the PinPack category', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const ids = contributes.commands.map((c) => c.command);
    assert.ok(ids.includes('pinpack.showOutput'));
    for (const command of contributes.commands) {
      assert.ok(registered.has(command.command), `${command.command} is contributed but not registered`);
      assert.equal(command.category, 'PinPack', `${command.command} is not in the PinPack category`);
    }
  });

  it('contributes the PinPack activity-bar container with its views', async () => {
    assert.deepEqual(
      contributes.viewsContainers.activitybar.map((c) => [c.id, c.title]),
      [['pinpack', 'PinPack']],
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('workbench.view.extension.pinpack'), 'the container has no open command');
    const views = contributes.views['pinpack'] ?? [];
    assert.ok(views.length > 0, 'the PinPack container has no views');
    for (const view of views) assert.ok(registered.has(`${view.id}.focus`), `view ${view.id} is not registered`);
  });

  it('shows the PinPack side bar with its welcome content', async function () {
    if (!harnessAvailable) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.pinpack');
    const title = await waitFor('the PinPack side bar title', async () => {
      const texts = await workbenchTexts('.part.sidebar .composite.title');
      return texts.find((t) => /pinpack/i.test(t));
    });
    assert.match(title, /pinpack/i);
    const welcome = await waitFor('the Tenants welcome view', async () => {
      const texts = await workbenchTexts('.part.sidebar .welcome-view-content');
      return texts.find((t) => t.includes('Try the Demo Tenant'));
    });
    assert.match(welcome, /provisioning packages/);
    assert.match(welcome, /Connect to a Tenant/);
  });

  it('PinPack: Show Output opens the PinPack log, which starts with the activation line', async function () {
    // The log VS Code writes for the channel: the Output panel shows this file.
    const { logFolder } = await activatePinPack();
    const log = () => filesUnder(logFolder).map((f) => readFileSync(f, 'utf8')).find((t) => / PinPack \S+ activated /.test(t));
    const text = await waitFor('the activation line in the PinPack log', async () => log());
    assert.match(text.split(/\r?\n/)[0] as string, new RegExp(`\\[info\\] PinPack ${extension.packageJSON.version.replace(/\./g, '\\.')} activated \\(VS Code `));
    await vscode.commands.executeCommand('pinpack.showOutput');
    if (!harnessAvailable) this.skip();
    // The panel renders only the lines in view, the log's end once earlier suites have logged more
    // than fits: it must show the PinPack log's last line.
    await waitFor('the PinPack log in the Output panel', async () => {
      const last = (log() ?? '').trimEnd().split(/\r?\n/).pop() ?? '';
      // The editor wraps long lines; joined again, a wrapped line reads as the logged one.
      const texts = (await workbenchTexts('.part.panel .monaco-editor .view-lines')).map((t) => t.replace(/\n/g, ''));
      return last && texts.some((t) => t.includes(last)) ? true : undefined;
    });
  });

  it('opens the Get Started walkthrough with its steps', async function () {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'pinpack.pinpack#pinpack.gettingStarted', false);
    if (!harnessAvailable) this.skip();
    const text = await waitFor('the PinPack walkthrough', async () =>
      (await workbenchTexts('.gettingStartedContainer')).find((t) => t.includes('Get started with PinPack')),
    );
    for (const step of ['Connect to your tenant', 'Pick users and generate PINs', 'Scaffold a package workspace', 'Build the package']) {
      assert.ok(text.includes(step), `the walkthrough lacks the step "${step}"`);
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('takes a PNG screenshot of the workbench for the README', async function () {
    if (!harnessAvailable) this.skip();
    const path = await screenshot('foundation-workbench');
    const bytes = readFileSync(path);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(bytes.length > 10_000, `the screenshot is suspiciously small (${bytes.length} bytes)`);
  });
});
