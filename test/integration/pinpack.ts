import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PinPackTestApi } from '../../src/extension/extension';

/** Activates PinPack and returns the API it exports when VS Code runs tests. */
export async function activatePinPack(): Promise<PinPackTestApi> {
  const extension = vscode.extensions.getExtension<PinPackTestApi | undefined>('pinpack.pinpack');
  assert.ok(extension, 'the extension pinpack.pinpack is not installed in this VS Code');
  const exported = await extension.activate();
  assert.ok(exported, 'activate() returned no test API although VS Code runs tests');
  return exported;
}

/** The message PinPack showed last (through its Prompts), for asserting summaries and errors. */
export function lastShown(api: PinPackTestApi): PinPackTestApi['prompts']['shown'][number] | undefined {
  return api.prompts.shown[api.prompts.shown.length - 1];
}

/** Disconnects every tenant, stopping the demo tenant: what each suite leaves behind. */
export async function disconnectAll(api: PinPackTestApi): Promise<void> {
  for (const tenant of api.tenants.list()) await api.tenants.disconnect(tenant.id);
}
