/**
 * Runs last (the `zz-` name sorts it after every other suite): after the whole integration flow,
 * no PIN and no password used anywhere in it may be found in the output channels' log files, the
 * settings, the extension's state, or the workspace's files, except inside the PIN file of a
 * built package zip, the one place a PIN belongs (DESIGN.md §3).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { readZip } from '../../src/core/archive/reader';
import { PIN_FILE_NAME } from '../../src/core/workspace/package-files';
import { activatePinPack } from './pinpack';
import { remembered } from './secrets';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('No PIN or password left behind by the whole flow', () => {
  let secrets: string[];
  let root: string;
  let api: Awaited<ReturnType<typeof activatePinPack>>;

  before(async () => {
    api = await activatePinPack();
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const fromVault = await Promise.all(api.vault.holders().map(async ({ tenantId, uid }) => (await api.vault.get(tenantId, uid))?.pin));
    secrets = [...new Set([...remembered(), ...fromVault.filter((p): p is string => !!p)])];
    // Guards against a scan that finds nothing because it looks for nothing.
    assert.ok(secrets.length >= 10, `only ${secrets.length} secrets were gathered from the flow: ${secrets.length}`);
  });

  const assertClean = (where: string, text: string) => {
    const found = secrets.filter((s) => text.includes(s));
    assert.deepEqual(found.map((s) => `${s.slice(0, 2)}…(${s.length} chars)`), [], `${where} holds ${found.length} PIN(s) or password(s)`);
  };

  it('the output channels\' log files', () => {
    const logs = filesUnder(api.logFolder);
    assert.ok(logs.length > 0, `no log file under ${api.logFolder}`);
    const text = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
    assert.match(text, /Generate PINs on Demo tenant/, 'the log does not record the flow, so scanning it proves nothing');
    for (const file of logs) assertClean(file, readFileSync(file, 'utf8'));
  });

  it('the settings and the extension\'s stored state', () => {
    assertClean('the effective settings', JSON.stringify(vscode.workspace.getConfiguration()));
    for (const section of ['pinpack', 'http']) {
      const config = vscode.workspace.getConfiguration(section);
      for (const key of Object.keys(config)) assertClean(`${section}.${key}`, JSON.stringify(config.inspect(key) ?? null));
    }
    for (const [name, memento] of [['global state', api.storage.globalState], ['workspace state', api.storage.workspaceState]] as const) {
      const state = Object.fromEntries(memento.keys().map((k) => [k, memento.get(k)]));
      assert.ok(Object.keys(state).length > 0 || name === 'workspace state', `the ${name} is empty: is this the extension's?`);
      assertClean(`the ${name}`, JSON.stringify(state));
    }
    for (const file of api.storage.folders.flatMap(filesUnder)) assertClean(file, readFileSync(file).toString('latin1'));
  });

  it('the workspace\'s files, and every zip entry but the PIN file', async () => {
    const files = filesUnder(root);
    const zips = files.filter((f) => f.endsWith('.zip'));
    assert.ok(zips.length >= 2, `the flow built ${zips.length} zips: it did not run`);
    for (const file of files) {
      if (file.endsWith('.zip')) {
        let pinFiles = 0;
        for (const entry of await readZip(file)) {
          if (entry.directory) continue;
          if (entry.name === PIN_FILE_NAME && !file.endsWith('.redacted.zip')) {
            pinFiles++;
            continue;
          }
          assertClean(`${relative(root, file)}!${entry.name}`, entry.data?.toString('utf8') ?? '');
        }
        if (!file.endsWith('.redacted.zip')) assert.equal(pinFiles, 1, `${relative(root, file)} has no PIN file`);
      } else {
        assertClean(relative(root, file), readFileSync(file).toString('utf8'));
      }
    }
  });
});
