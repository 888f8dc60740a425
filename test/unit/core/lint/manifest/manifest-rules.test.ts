import * as assert from 'node:assert/strict';
import { applyEdits, lintFile } from '../../../../../src/core/lint/engine';
import { serializeManifest, ManifestSchema } from '../../../../../src/core/workspace/manifest';

const lint = (text: string, config = {}) => lintFile('pinpack.json', Buffer.from(text, 'utf8'), config);
/** Each finding as [rule, the exact text it covers, message]. */
const found = (text: string) => (lint(text)?.findings ?? []).map((f) => [f.rule, text.slice(f.start, f.end), f.message]);

const base = { schemaVersion: 1, name: 'Sales', target: 'sccm' };
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('core/lint manifest front end (PP3000-PP3003)', () => {
  it('lints a manifest as PinPack writes it clean, for every target', () => {
    for (const target of ManifestSchema.shape.target.options) {
      const manifest = ManifestSchema.parse({ ...base, target, device: { adDomain: 'contoso.com' }, enrollees: { users: ['aiko@contoso.com'], groups: ['営業部'] } });
      assert.deepEqual(found(serializeManifest(manifest)), [], target);
    }
  });

  it('PP3000 reports the first syntax error once, where the parser stopped', () => {
    assert.deepEqual(found('{\n  "name": "x",\n}\n'), [['PP3000', '}', 'A property name in double quotes is expected here (JSON allows no trailing comma and no unquoted keys).']]);
    assert.deepEqual(found('{ "name": "x" /* no */ }'), [['PP3000', '/* no */', 'JSON has no comments: remove this comment from pinpack.json.']]);
    assert.deepEqual(found('{ "destination": "C:\\Temp" }').map((f) => f[0]), ['PP3000']);
    assert.deepEqual(found('{ "name": "x"').map(([rule, , message]) => [rule, message]), [['PP3000', 'This object is not closed: add the matching "}".']]);
    assert.deepEqual(found('  \n'), [['PP3000', '', 'pinpack.json is empty: it needs at least schemaVersion, name and target.']]);
  });

  it('PP3001 puts each schema problem on its value, an unknown key on the key, a missing key on the brace', () => {
    const text = json({ ...base, device: { destination: 'ProgramData\\PinPack', logFolder: 5 }, enrollees: { users: [], group: ['Sales'] }, tenant: { url: 'http://na1.mobileiron.com' } });
    assert.deepEqual(found(text), [
      ['PP3001', '"ProgramData\\\\PinPack"', '"device.destination" must be an absolute Windows path such as C:\\ProgramData\\PinPack\\Package.'],
      ['PP3001', '5', '"device.logFolder" must be string, not number.'],
      ['PP3001', '"group"', '"enrollees.group" is not a pinpack.json setting: remove it or fix its name.'],
      ['PP3001', '"http://na1.mobileiron.com"', '"tenant.url" must be an https:// URL such as https://na1.mobileiron.com.'],
    ]);
    assert.deepEqual(found(json({ schemaVersion: 1, target: 'intune', lint: {} })), [
      ['PP3001', '{', '"name" is missing: add it.'],
      ['PP3001', '"intune"', '"target" must be one of "sccm", "epm-case1", "epm-case2", "epm-case3-twostep", "epm-case3-uac".'],
    ]);
    assert.deepEqual(found(json({ ...base, pin: '1234' })), [['PP3001', '"1234"', '"pin" looks like a secret: pinpack.json must never hold PINs or passwords, remove it.']]);
  });

  it('PP3001 and PP3002 find the values of a first-preview (version 0) manifest where they are', () => {
    assert.deepEqual(found(json({ name: 'Old', target: 'sccm', users: ['a b@contoso.com'], destination: 'relative' })).map((f) => f.slice(0, 2)), [
      ['PP3002', ' '],
      ['PP3001', '"relative"'],
    ]);
  });

  it('PP3002 names the space, U+3000 and U+00A0 included, and fixes only what it can be sure of', () => {
    const text = json({ ...base, enrollees: { users: ['taro\u3000yamada@contoso.com', 'jiro\u00a0@contoso.com', ' hanako@contoso.com\u3000', 'ｓａｂｕｒｏ＠contoso.com'] } });
    const lintResult = lint(text);
    const findings = lintResult?.findings.filter((f) => f.rule === 'PP3002') ?? [];
    assert.deepEqual(findings.map((f) => [text.slice(f.start, f.end), f.fix]), [
      ['\u3000', false],
      ['\u00a0', false],
      [' ', true],
      ['ｓ', true],
    ]);
    assert.match(findings[0]?.message ?? '', /an ideographic \(full-width\) space \(U\+3000\)/);
    assert.match(findings[1]?.message ?? '', /a no-break space \(U\+00A0\)/);
    assert.match(findings[2]?.message ?? '', /starts or ends with a space: remove it/);
    const fixed = applyEdits(text, findings.flatMap((f) => f.edits ?? []));
    assert.deepEqual(JSON.parse(fixed).enrollees.users, ['taro\u3000yamada@contoso.com', 'jiro\u00a0@contoso.com', 'hanako@contoso.com', 'saburo@contoso.com']);
    // The schema's own uid refusal is not reported twice.
    assert.deepEqual(lint(text)?.findings.filter((f) => f.rule === 'PP3001'), []);
  });

  it('PP3002 covers a uid written with JSON escapes as a whole string, without a fix', () => {
    const text = '{ "schemaVersion": 1, "name": "S", "target": "sccm", "enrollees": { "users": ["a\\u3000b@contoso.com"] } }';
    const [finding] = lint(text)?.findings ?? [];
    assert.equal(text.slice(finding?.start, finding?.end), '"a\\u3000b@contoso.com"');
    assert.equal(finding?.fix, false);
  });

  it('PP3003 asks EPM case 1 for its AD domain on the target value', () => {
    assert.deepEqual(found(json({ ...base, target: 'epm-case1' })).map((f) => f.slice(0, 2)), [['PP3003', '"epm-case1"']]);
    assert.deepEqual(found(json({ ...base, target: 'epm-case1', device: { adDomain: 'corp.contoso.com' } })), []);
    assert.deepEqual(found(json({ ...base, target: 'epm-case2' })), []);
  });

  it("applies lint.rules, the manifest's own included, to the manifest rules", () => {
    const text = json({ ...base, target: 'epm-case1' });
    assert.equal(lint(text)?.findings[0]?.severity, 'error');
    assert.equal(lint(text, { PP3003: 'warning' })?.findings[0]?.severity, 'warning');
    assert.deepEqual(lint(json({ ...base, target: 'epm-case1', lint: { rules: { PP3003: 'off' } } }))?.findings, []);
  });
});
