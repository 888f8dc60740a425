import * as assert from 'node:assert/strict';
import { TargetId, TARGETS } from '../../../../src/core/workspace/targets';

describe('core/workspace/targets', () => {
  it('describes exactly the five documented targets', () => {
    assert.deepEqual(Object.keys(TARGETS), TargetId.options);
    for (const [id, info] of Object.entries(TARGETS)) assert.equal(info.id, id);
  });

  it('needs the AD domain only where the UPN is built from the device name', () => {
    for (const info of Object.values(TARGETS)) assert.equal(info.needsAdDomain, info.identity === 'device', info.id);
    assert.equal(TARGETS['epm-case1'].identity, 'device');
    assert.equal(TARGETS['epm-case3-twostep'].identity, 'recorded-user');
  });

  it('refuses an unknown target', () => {
    assert.equal(TargetId.safeParse('intune').success, false);
    assert.equal(TargetId.parse('epm-case3-uac'), 'epm-case3-uac');
  });
});
