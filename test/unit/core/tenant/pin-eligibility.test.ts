import * as assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import japanese from '../../../../l10n/bundle.l10n.ja.json';
import { pinSkipReason, uidHasFullWidthAt, uidHasSpace } from '../../../../src/core/tenant/pin-eligibility';
import type { Account } from '../../../../src/core/tenant/schemas';

const user = (uid: string): Account => ({ id: 1, uid, accountType: 'USER', enabled: true }) as Account;

describe('core/tenant/pin-eligibility', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('refuses every kind of space in a uid: ASCII, U+3000, U+00A0, other separators and the zero-width space', () => {
    for (const uid of ['a b@x', 'a\u3000b@x', 'a\u00a0b@x', 'a\u2009b@x', 'a\u202fb@x', 'a\u200bb@x', 'a\ufeffb@x', 'a\tb@x']) {
      assert.ok(uidHasSpace(uid), JSON.stringify(uid));
      assert.match(pinSkipReason(user(uid)) ?? '', /contains a space/, JSON.stringify(uid));
    }
    for (const uid of ['taro.yamada@contoso.com', '山田太郎@contoso.co.jp']) {
      assert.ok(!uidHasSpace(uid), uid);
      assert.equal(pinSkipReason(user(uid)), undefined, uid);
    }
  });

  it('skips a uid with a full-width ＠ and says to use the ASCII @', () => {
    assert.ok(uidHasFullWidthAt('taro\uff20contoso.com'));
    assert.ok(!uidHasFullWidthAt('taro@contoso.com'));
    assert.equal(pinSkipReason(user('taro＠contoso.com')), 'the user name contains a full-width "＠" instead of the ASCII "@": fix it in the identity source first');
  });

  it('gives the reason in Japanese when the Japanese bundle is loaded, values in place', () => {
    l10n.config({ contents: japanese });
    assert.equal(pinSkipReason(user('taro\u3000yamada@contoso.com')), 'ユーザー名に空白が含まれているため、移行に失敗します。先に ID ソースでユーザー名を変更してください');
    assert.equal(pinSkipReason({ ...user('api@contoso.com'), accountType: 'API' } as Account), 'アカウントの種類が API で、デバイスを登録するユーザーではありません');
  });
});
