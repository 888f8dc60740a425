import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatePinPack } from './pinpack';

/** The English counterpart of japanese.ja.test.ts: with no bundle from VS Code, core stays English. */
describe('PinPack in an English VS Code', () => {
  it('runs with English as the display language', () => {
    assert.equal(vscode.env.language, 'en');
    assert.equal(vscode.l10n.bundle, undefined);
  });

  it('leaves core messages (through @vscode/l10n) in English', async () => {
    const api = await activatePinPack();
    await assert.rejects(api.tenants.check('http://na1.mobileiron.com', 'api@contoso.com', 'not-used'), (error: Error) => {
      assert.match(error.message, /^The tenant URL http:\/\/na1\.mobileiron\.com /);
      return true;
    });
  });
});
