import * as assert from 'node:assert/strict';
import { maskPin, PIN_MASK, redactSecrets } from '../../../../src/core/pins/mask';

describe('core/pins/mask', () => {
  it('masks every PIN with the same fixed-length mask, revealing nothing of it', () => {
    assert.equal(maskPin('1234'), PIN_MASK);
    assert.equal(maskPin('123456789012'), PIN_MASK);
    assert.ok(!PIN_MASK.includes('1'));
    assert.equal(maskPin(undefined), '');
  });

  it('redacts every occurrence of every secret, longest first', () => {
    const text = 'pin 8842 for a@contoso.com, again 8842; password Pa55-8842-word';
    const redacted = redactSecrets(text, ['8842', 'Pa55-8842-word', '']);
    assert.equal(redacted, `pin ${PIN_MASK} for a@contoso.com, again ${PIN_MASK}; password ${PIN_MASK}`);
    assert.equal(redactSecrets('nothing secret', []), 'nothing secret');
  });
});
