import * as assert from 'node:assert/strict';
import { ENROLLMENT_ERRORS, enrollmentErrorAt, hresultText } from '../../../../src/core/device-log/enrollment-errors';

describe('core/device-log/enrollment-errors', () => {
  it("holds Microsoft's MENROLL_E codes of facility 0x18, each with English and Japanese text", () => {
    assert.ok(ENROLLMENT_ERRORS.size >= 40);
    for (const [code, error] of ENROLLMENT_ERRORS) {
      assert.equal(code >>> 16, 0x8018, `${hresultText(code)} is not an enrollment HRESULT`);
      assert.match(error.name, /^MENROLL_E_[A-Z0-9_]+$/);
      assert.match(error.en, /^[A-Z].*[.)]$/, `${error.name}: one English sentence`);
      assert.match(error.ja, /[ぁ-んァ-ヶ一-龠]/, `${error.name}: Japanese text`);
      assert.match(error.ja, /。|\)$/, `${error.name}: ends as a Japanese sentence`);
    }
    assert.equal(ENROLLMENT_ERRORS.get(0x8018000a)?.name, 'MENROLL_E_DEVICE_ALREADY_ENROLLED');
    assert.equal(ENROLLMENT_ERRORS.get(0x80180026)?.name, 'MENROLL_E_DEVICE_MANAGEMENT_BLOCKED');
  });

  it('finds the code under the cursor in hex, signed and unsigned decimal', () => {
    const line = '2026-11-26 10:00:01 ERROR RegisterDeviceWithManagement failed: 0x8018000a (exit code -2145910774, 2149056522)';
    const hex = line.indexOf('0x8018000a');
    assert.deepEqual(enrollmentErrorAt(line, hex + 3), { code: 0x8018000a, start: hex, end: hex + 10, error: ENROLLMENT_ERRORS.get(0x8018000a) });
    assert.equal(enrollmentErrorAt(line, line.indexOf('-2145910774') + 1)?.error.name, 'MENROLL_E_DEVICE_ALREADY_ENROLLED');
    assert.equal(enrollmentErrorAt(line, line.indexOf('2149056522') + 9)?.code, 0x8018000a);
    assert.equal(enrollmentErrorAt(line, 3), undefined);
  });

  it('leaves other HRESULTs and numbers alone', () => {
    assert.equal(enrollmentErrorAt('failed: 0x80070005', 10), undefined);
    assert.equal(enrollmentErrorAt('failed: 0x8018FFFF', 10), undefined);
    assert.equal(enrollmentErrorAt('id 12345678901', 5), undefined);
    assert.equal(hresultText(0x8018000a), '0x8018000A');
  });
});
